"""The district page and the district ranking keep their figures per worker until the
next write (`figures_cache`): a second look runs fewer statements and shows the same,
a new compound anywhere is counted at the next look."""
import re

import pytest
from sqlalchemy import event

from webapp import figures_cache
from webapp.extensions import db

from district_world import geo  # noqa: F401
from test_district_pages import _login, _row


@pytest.fixture
def kept(app):
    app.config["FIGURES_CACHE_SECONDS"] = 60
    figures_cache.clear()
    yield
    app.config["FIGURES_CACHE_SECONDS"] = 0
    figures_cache.clear()


def _look(client, path):
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        html = client.get(path).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return html, len(seen)


def test_district_page_keeps_its_figures_until_a_write(client, auth, geo, factory, kept):
    _login(client, auth, "d1_staff")
    path = f"/district/{geo.d1.id}/?period=month&year=2026&n=11"
    first, computed = _look(client, path)
    again, reused = _look(client, path)
    assert "2 / 3" in _row(first, "东街道") and _row(again, "东街道") == _row(first, "东街道")
    assert reused < computed
    factory.compound(geo.c1, "新建苑")  # an audited write
    db.session.commit()
    after, _ = _look(client, path)
    assert "2 / 4" in _row(after, "东街道")


def test_district_ranking_keeps_its_lines_and_pages_them(client, auth, geo, kept):
    _login(client, auth, "d1_staff")
    path = f"/district/{geo.d1.id}/ranking?quarter=2026Q4"
    first, computed = _look(client, path)
    again, reused = _look(client, path)
    strip = lambda html: re.sub(r'name="csrf_token"[^>]*>', "", html[html.index("<h1"):])  # noqa: E731
    assert strip(again) == strip(first) and reused < computed
    assert "东街道" in strip(first)
