"""Sessions: a copied cookie dies with sign-out, password change or disabling; idle
timeout and absolute lifetime with a controlled clock; Secure cookies in production."""
import pytest
from sqlalchemy import select

from conftest import DEMO_PASSWORD, AuthActions, csrf_from
from webapp import create_app
from webapp.auth.models import User
from webapp.config import Config
from webapp.extensions import db


def _copy_cookie(source, target):
    """What a thief does with a copied cookie: the same session cookie in another browser."""
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)
    return target


def _signed_in(client):
    r = client.get("/")
    return r.status_code == 200


def test_a_cookie_copied_before_sign_out_no_longer_works(app, factory):
    factory.user("clerk")
    first = app.test_client()
    AuthActions(first).login("clerk")
    thief = _copy_cookie(first, app.test_client())
    assert _signed_in(thief)
    AuthActions(first).logout()
    assert not _signed_in(thief)
    assert "/login" in thief.get("/compounds/").headers["Location"]


def test_sign_out_ends_every_session_of_the_account(app, factory):
    factory.user("clerk")
    office, home = app.test_client(), app.test_client()
    AuthActions(office).login("clerk")
    AuthActions(home).login("clerk")
    AuthActions(home).logout()
    assert not _signed_in(office)


def test_password_change_ends_the_other_sessions_and_keeps_this_one(app, factory):
    factory.user("clerk")
    office, home = app.test_client(), app.test_client()
    AuthActions(office).login("clerk")
    AuthActions(home).login("clerk")
    token = csrf_from(home.get("/password").get_data(as_text=True))
    r = home.post("/password", data={"csrf_token": token, "current": DEMO_PASSWORD, "new": "Qd-Wuye-7781",
                                      "confirm": "Qd-Wuye-7781"})
    assert r.status_code == 303
    assert "其他设备上的登录已全部退出" in home.get(r.headers["Location"]).get_data(as_text=True)
    assert _signed_in(home) and not _signed_in(office)


def test_disabling_an_account_ends_its_sessions(fresh_demo, app):
    clerk = app.test_client()
    AuthActions(clerk).login("grid_worker")
    assert _signed_in(clerk)
    admin = app.test_client()
    AuthActions(admin).login("system_admin")
    uid = db.session.scalar(select(User.id).where(User.username == "grid_worker"))
    token = csrf_from(admin.get(f"/accounts/{uid}").get_data(as_text=True))
    assert admin.post(f"/accounts/{uid}/disable", data={"csrf_token": token}).status_code == 303
    assert not _signed_in(clerk)
    assert AuthActions(app.test_client()).login("grid_worker").status_code == 401  # same words as a wrong password


def test_idle_timeout_of_thirty_minutes(client, auth, factory, clock):
    factory.user("clerk")
    auth.login("clerk")
    for _ in range(4):  # working every 25 minutes keeps the session
        clock.advance(minutes=25)
        assert _signed_in(client)
    clock.advance(minutes=31)
    r = client.get("/compounds/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert "登录已超时" in client.get(r.headers["Location"]).get_data(as_text=True)
    assert not _signed_in(client)
    from webapp.audit.models import AuditLog

    ended = db.session.scalar(select(AuditLog).where(AuditLog.action == "session_end"))
    assert ended.username == "clerk" and ended.note == "30 分钟未操作"


def test_an_htmx_request_after_the_timeout_sends_the_page_to_sign_in(client, auth, factory, clock):
    factory.user("clerk")
    auth.login("clerk")
    clock.advance(minutes=31)
    r = client.get("/compounds/", headers={"HX-Request": "true"})
    assert r.status_code == 401 and r.headers["HX-Redirect"] == "/login"


def test_absolute_lifetime_of_twelve_hours(client, auth, factory, clock):
    factory.user("clerk")
    auth.login("clerk")
    for _ in range(24):  # busy all day, never idle: 11 h 36 min
        clock.advance(minutes=29)
        assert _signed_in(client)
    clock.advance(minutes=29)  # 12 h 05 min after signing in
    assert not _signed_in(client)


def test_timeouts_follow_the_security_policy(client, auth, factory, clock):
    from webapp.security.models import DEFAULTS, SecurityPolicy

    factory.add(SecurityPolicy(**dict(DEFAULTS, idle_minutes=10)))
    factory.user("clerk")
    auth.login("clerk")
    clock.advance(minutes=11)
    assert not _signed_in(client)


class _Prod(Config):
    PRODUCTION = True
    SECRET_KEY = "x" * 32
    PUBLIC_BASE_URL = "https://wuye.example.gov.cn"
    SQLALCHEMY_DATABASE_URI = "sqlite://"


@pytest.mark.parametrize("plain_http, secure", [(False, True), (True, False)])
def test_production_cookies_are_secure_unless_plain_http_is_declared(plain_http, secure):
    prod = create_app(_Prod, PLAIN_HTTP=plain_http)
    assert prod.config["SESSION_COOKIE_SECURE"] is secure
