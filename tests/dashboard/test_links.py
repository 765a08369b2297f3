"""Every number on the staff landing page links to the filtered list behind it, and the
list shows as many rows as the number says."""
import html as html_lib
import re

import pytest

import webapp.models  # noqa: F401  (every mapper before a domain module is imported)
from dashboard_world import street_world  # noqa: F401  (the fixture)


def cards(page):
    """{label: (number, href)} of the page's linked cards."""
    out = {}
    for href, num, label in re.findall(
            r'<a class="card" href="([^"]+)"><span class="num">(\d+)</span>(?:<span class="sub">[^<]*</span>)?'
            r'<span class="lbl">([^<]+)</span>', page):
        out[label] = (int(num), html_lib.unescape(href))
    return out


def rows(page, pattern):
    return len(set(re.findall(pattern, page)))


LISTS = {
    "红色物业覆盖小区": lambda p: int(re.search(r"共 <strong>(\d+)</strong> 个小区", p).group(1)),
    "尚未覆盖小区": lambda p: int(re.search(r"共 <strong>(\d+)</strong> 个小区", p).group(1)),
    "楼栋有红色管家/楼长": lambda p: int(re.search(r"红色管家/楼长 <strong>(\d+)</strong>", p).group(1)),
    "楼栋": lambda p: int(re.search(r"<strong>(\d+)</strong> 栋楼", p).group(1)),
    "物业企业已建党组织或选派指导员": lambda p: rows(p, r'href="/companies/(\d+)"'),
    "在任交叉任职": lambda p: int(re.search(r"共 (\d+) 条", p).group(1)),
    "本月收到": lambda p: rows(p, r'href="/requests/(\d+)"'),
    "本月收到已办结": lambda p: rows(p, r'href="/requests/(\d+)"'),
    "尚未办结": lambda p: rows(p, r'href="/requests/(\d+)"'),
    "已逾期": lambda p: rows(p, r'href="/requests/(\d+)"'),
    "本月召开会议": lambda p: rows(p, r'href="/meetings/(\d+)"'),
    "跟进任务已办结": lambda p: p.split("<tbody>")[1].split("</tbody>")[0].count("<tr class="),
    "跟进任务已逾期": lambda p: p.split("<tbody>")[1].split("</tbody>")[0].count('<tr class="overdue"'),
}


@pytest.mark.parametrize("user", ["dash_admin", "dash_staff"])
def test_each_number_opens_a_list_of_as_many(client, auth, street_world, user):
    auth.login(user)  # the other street's compound is in no list and no figure
    found = cards(client.get("/").get_data(as_text=True))
    assert set(LISTS) <= set(found), set(LISTS) - set(found)
    for label, count in LISTS.items():
        number, href = found[label]
        r = client.get(href)
        assert r.status_code == 200, (label, href)
        assert count(r.get_data(as_text=True)) == number, (label, href, number)


def test_the_first_uncovered_names_link_to_their_compounds(client, auth, street_world):
    auth.login("dash_admin")
    page = client.get("/").get_data(as_text=True)
    names = re.findall(r'<a href="(/compounds/\d+)">([^<]+)</a>（', page.split("尚未覆盖：")[1].split("</p>")[0])
    assert {n for _, n in names} == {"甲三", "乙一"}
    for href, name in names:
        assert name in client.get(href).get_data(as_text=True)
