"""The staff dashboard keeps its figures per place while nothing is written
(`figures_cache`): a second look runs none of the figures' statements, a write (an
audit entry) makes the next look count again, and each place has its own figures."""
import pytest

import webapp.models  # noqa: F401  (every mapper before a domain module is imported)
from webapp import figures_cache as cache
from webapp.extensions import db

from conftest import look
from dashboard_world import street_world  # noqa: F401  (the fixture)
from test_landing import card


@pytest.fixture
def cached(kept_figures):
    return kept_figures


def selects(client, path="/"):
    return look(client, path, only_selects=True)


def test_off_in_tests_by_default(app):
    assert cache.seconds() == 0


def test_a_second_look_reuses_the_figures_until_a_write(client, auth, street_world, factory, cached):
    auth.login("dash_admin")
    first, computed = selects(client)
    again, reused = selects(client)
    assert card(again, "红色物业覆盖小区") == card(first, "红色物业覆盖小区") == (3, 5)
    assert reused < computed - 10
    factory.compound(street_world["a"], "新建未覆盖小区")  # audited: a new entry
    db.session.commit()
    after, recomputed = selects(client)
    assert card(after, "红色物业覆盖小区") == (3, 6)
    assert card(after, "尚未覆盖小区") == (3, None)
    assert recomputed >= computed  # counted again (and the session reloads what the commit expired)


def test_sign_ins_elsewhere_keep_the_figures(client, auth, street_world, factory, cached, app):
    auth.login("dash_admin")
    _, computed = selects(client)
    other = app.test_client()
    from conftest import AuthActions

    AuthActions(other).login("dash_staff")  # an audited sign-in, and the staff's own dashboard
    other.get("/")
    _, reused = selects(client)
    assert reused < computed - 10


def test_each_place_has_its_own_figures(client, auth, street_world, cached):
    auth.login("dash_admin")
    assert card(client.get("/").get_data(as_text=True), "红色物业覆盖小区") == (3, 5)
    auth.logout()
    auth.login("dash_staff")
    assert card(client.get("/").get_data(as_text=True), "红色物业覆盖小区") == (1, 2)


def test_figures_expire(client, auth, street_world, cached, monkeypatch):
    auth.login("dash_admin")
    _, computed = selects(client)
    now = cache.time.monotonic()
    monkeypatch.setattr(cache.time, "monotonic", lambda: now + 61)
    _, again = selects(client)
    assert again == computed
