"""The district page and the district ranking keep their figures per worker until the
next write (`figures_cache`): a second look runs fewer statements and shows the same,
a new compound anywhere is counted at the next look."""
import re

from conftest import look
from webapp.extensions import db

from district_world import geo  # noqa: F401
from test_district_pages import _login, _row


def test_district_page_keeps_its_figures_until_a_write(client, auth, geo, factory, kept_figures):
    _login(client, auth, "d1_staff")
    path = f"/district/{geo.d1.id}/?period=month&year=2026&n=11"
    first, computed = look(client, path)
    again, reused = look(client, path)
    assert "2 / 3" in _row(first, "东街道") and _row(again, "东街道") == _row(first, "东街道")
    assert reused < computed
    factory.compound(geo.c1, "新建苑")  # an audited write
    db.session.commit()
    after, _ = look(client, path)
    assert "2 / 4" in _row(after, "东街道")


def test_district_ranking_keeps_its_lines_and_pages_them(client, auth, geo, kept_figures):
    _login(client, auth, "d1_staff")
    path = f"/district/{geo.d1.id}/ranking?quarter=2026Q4"
    first, computed = look(client, path)
    again, reused = look(client, path)
    strip = lambda html: re.sub(r'name="csrf_token"[^>]*>', "", html[html.index("<h1"):])  # noqa: E731
    assert strip(again) == strip(first) and reused < computed
    assert "东街道" in strip(first)
