"""Public board URLs carry the street; every old single-street URL form answers 301 with
the same page under its street (printed QR codes keep working); `/public/` lists the
streets; same-named communities of two streets each keep their own board."""
from datetime import datetime

import pytest
from sqlalchemy import select

from webapp.extensions import db

from conftest import csrf_from
from district_world import geo  # noqa: F401

OLD_FORMS = [
    ("/public/xingfu/", "/public/dong/xingfu/"),
    ("/public/xingfu/{k1}/", "/public/dong/xingfu/{k1}/"),
    ("/public/xingfu/archive", "/public/dong/xingfu/archive"),
    ("/public/xingfu/archive?q=%E4%BE%9B%E6%9A%96&page=2", "/public/dong/xingfu/archive?q=%E4%BE%9B%E6%9A%96&page=2"),
    ("/public/xingfu/notices/7", "/public/dong/xingfu/notices/7"),
    ("/public/xingfu/notices/7.pdf", "/public/dong/xingfu/notices/7.pdf"),
    ("/public/xingfu/notices/7/files/3", "/public/dong/xingfu/notices/7/files/3"),
    ("/public/xingfu/display", "/public/dong/xingfu/display"),
    ("/public/xingfu/display?mode=elder&every=20", "/public/dong/xingfu/display?mode=elder&every=20"),
    ("/public/xingfu/display/next?after=n1&v=abc", "/public/dong/xingfu/display/next?after=n1&v=abc"),
    ("/public/xingfu/opinion", "/public/dong/xingfu/opinion"),
    ("/public/xingfu/opinion/status?receipt=YJ20261201-AB12", "/public/dong/xingfu/opinion/status?receipt=YJ20261201-AB12"),
    ("/public/heping/", "/public/xi/heping/"),
    ("/public/heping/display", "/public/xi/heping/display"),
]


def _same(location, expected):
    """Compare a Location with the expected path and query (order of arguments aside)."""
    from urllib.parse import parse_qsl, urlsplit

    a, b = urlsplit(location), urlsplit(expected)
    return a.path == b.path and sorted(parse_qsl(a.query)) == sorted(parse_qsl(b.query))


@pytest.mark.parametrize("old, new", OLD_FORMS)
def test_every_old_url_form_moves_permanently_to_its_street(client, geo, old, new):
    """xingfu is the slug of a community in 东街道 and in 南街道: the oldest street (东街道,
    the one migrated from the single-street release) wins."""
    old, new = old.format(k1=geo.k1.id), new.format(k1=geo.k1.id)
    r = client.get(old)
    assert r.status_code == 301, old
    assert _same(r.headers["Location"], new), (old, r.headers["Location"])


def test_the_redirected_pages_answer(client, geo):
    for old in ("/public/xingfu/", f"/public/xingfu/{geo.k1.id}/", "/public/xingfu/archive", "/public/xingfu/display",
                "/public/xingfu/opinion", "/public/xingfu/opinion/status"):
        r = client.get(old, follow_redirects=True)
        assert r.status_code == 200, old
        assert "幸福社区" in r.get_data(as_text=True)


def test_an_old_opinion_post_keeps_its_method(client, geo):
    page = client.get("/public/dong/xingfu/opinion")
    token = csrf_from(page.get_data(as_text=True))
    r = client.post("/public/xingfu/opinion", data={"csrf_token": token, "text": "路灯坏了"})
    assert r.status_code == 308
    assert r.headers["Location"].endswith("/public/dong/xingfu/opinion")


def test_unknown_old_slugs_and_streets_answer_404(client, geo):
    for path in ("/public/nowhere/", "/public/nowhere/display", "/public/nowhere/notices/1",
                 "/public/dong/nowhere/", "/public/bei/xingfu/", "/public/nan/heping/"):
        assert client.get(path).status_code == 404, path


def test_a_compound_of_another_street_is_not_on_this_board(client, geo):
    assert client.get(f"/public/dong/xingfu/{geo.k1.id}/").status_code == 200
    assert client.get(f"/public/nan/xingfu/{geo.k1.id}/").status_code == 404
    assert client.get(f"/public/xingfu/{geo.k5.id}/").status_code == 301  # moves to 东街道 …
    assert client.get(f"/public/xingfu/{geo.k5.id}/", follow_redirects=True).status_code == 404  # … where it is not


def test_same_named_communities_each_keep_their_board(client, geo):
    east = client.get("/public/dong/xingfu/").get_data(as_text=True)
    south = client.get("/public/nan/xingfu/").get_data(as_text=True)
    assert "红旗苑" in east and "南红苑" not in east
    assert "南红苑" in south and "红旗苑" not in south
    assert "东街道" in east and "南街道" in south


def test_the_front_lists_every_street_and_each_street_its_communities(client, geo):
    html = client.get("/public/").get_data(as_text=True)
    for name in ("东街道", "西街道", "南街道", "北街道"):
        assert name in html
    assert 'href="/public/dong/"' in html and 'href="/public/nan/"' in html
    assert "3 个小区" in html  # 东街道: 1 community, 3 compounds
    east = client.get("/public/dong/").get_data(as_text=True)
    assert 'href="/public/dong/xingfu/"' in east and "3 个小区" in east
    street = client.get("/public/nan/").get_data(as_text=True)
    assert 'href="/public/nan/xingfu/"' in street and "和平社区" not in street


def test_qr_codes_and_links_carry_the_street(client, geo):
    from webapp.notices.models import Notice

    notice = Notice(title="停水通知", body="明日停水", community=geo.c3, status="published", category="notice",
                    publish_at=datetime(2026, 1, 1, 8))
    db.session.add(notice)
    db.session.commit()
    r = client.get(f"/public/nan/xingfu/notices/{notice.id}")
    assert r.status_code == 200
    assert f"http://localhost/public/nan/xingfu/notices/{notice.id}" in r.get_data(as_text=True)  # under the QR code
    assert client.get(f"/public/dong/xingfu/notices/{notice.id}").status_code == 404
    display = client.get("/public/nan/xingfu/display").get_data(as_text=True)
    assert "/public/nan/xingfu/display/next" in display


def test_a_street_wide_notice_stays_in_its_street(client, geo):
    from webapp.notices.models import Notice

    notice = Notice(title="东街道全街道通知", body="全街道", street_id=geo.s1.id, status="published", category="notice",
                    publish_at=datetime(2026, 1, 1, 8))
    db.session.add(notice)
    db.session.commit()
    assert "东街道全街道通知" in client.get("/public/dong/xingfu/").get_data(as_text=True)
    assert "东街道全街道通知" not in client.get("/public/nan/xingfu/").get_data(as_text=True)
    assert client.get(f"/public/nan/xingfu/notices/{notice.id}").status_code == 404
