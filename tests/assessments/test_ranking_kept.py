"""The quarterly ranking keeps its figures per worker until the next write
(`figures_cache`): a second look runs fewer statements and shows the same; after a
write (new prize amounts, audited) the next look ranks again."""
import re

from conftest import look
from webapp.extensions import db

PATH = "/assessments/ranking?quarter=2026Q4"


def _table(html):
    """The ranking table's rows, tags stripped."""
    body = html[html.index("<table"):html.index("</table>")]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_ranking_is_kept_until_a_write(client, auth, fresh_demo, kept_figures):
    auth.login("jiyang_admin")
    first, computed = look(client, PATH)
    again, reused = look(client, PATH)
    assert _table(again) == _table(first) and len(_table(first)) > 3
    assert "泛华物业服务有限公司" in _table(first)[1]
    assert reused < computed
    token = auth.csrf(PATH)
    r = client.post(PATH.replace("ranking?", "ranking/prizes?"),
                    data={"csrf_token": token, "first_prize": "8000", "second_prize": "4000", "third_prize": "1000"})
    assert r.status_code == 303
    after, ranked_again = look(client, PATH)
    assert _table(after) == _table(first) and ranked_again > reused
    assert 'value="8000' in after  # the prize form shows the amounts saved


def test_each_street_has_its_own_ranking(client, auth, fresh_demo, kept_figures):
    auth.login("jiyang_admin")
    jiyang = _table(look(client, PATH)[0])
    auth.logout()
    auth.login("street_admin")
    yinzhu = _table(look(client, PATH)[0])
    assert jiyang != yinzhu and "泛华物业服务有限公司" not in " ".join(yinzhu[1:2])
