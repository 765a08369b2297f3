"""Two factors: enrolment at first sign-in for a role that needs it (the administrators
by default), sign-in with the code, replay and wrong codes refused."""
import re

import pyotp
from sqlalchemy import select

from conftest import DEMO_PASSWORD, AuthActions, csrf_from, totp_code_for
from webapp.audit.models import AuditLog
from webapp.auth.models import User
from webapp.extensions import db


def _password_step(client, username):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token})


def _code(client, path, code):
    token = csrf_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"code": code, "csrf_token": token})


def test_enrolment_then_sign_in_with_a_code(client, factory):
    factory.user("sec", role="security_admin")
    r = _password_step(client, "sec")
    assert r.headers["Location"] == "/login/totp/enrol"
    assert client.get("/security/").status_code == 302  # the password alone does not sign in
    page = client.get("/login/totp/enrol").get_data(as_text=True)
    assert "<svg" in page and "绑定手机验证器" in page
    secret = re.search(r'class="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert secret == db.session.scalar(select(User.totp_secret).where(User.username == "sec"))
    assert _code(client, "/login/totp/enrol", "000000").status_code == 401
    r = _code(client, "/login/totp/enrol", pyotp.TOTP(secret).now())
    assert r.status_code == 303 and r.headers["Location"] == "/security/"
    assert client.get("/security/").status_code == 200
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "totp_enrol")) is not None
    AuthActions(client).logout()
    # The next sign-in asks for the code, not for enrolment.
    assert _password_step(client, "sec").headers["Location"] == "/login/totp"
    assert "手机上的验证器" in client.get("/login/totp").get_data(as_text=True)
    r = _code(client, "/login/totp", totp_code_for("sec"))
    assert r.status_code == 303 and client.get("/security/").status_code == 200


def test_a_code_is_accepted_once(app, factory):
    factory.user("sec", role="security_admin")
    first = app.test_client()
    assert AuthActions(first).login("sec").status_code == 303  # enrols
    user = db.session.scalar(select(User).where(User.username == "sec"))
    db.session.refresh(user)
    used = pyotp.TOTP(user.totp_secret).at(user.totp_last_step * 30)
    second = app.test_client()
    _password_step(second, "sec")
    r = _code(second, "/login/totp", used)
    assert r.status_code == 401 and "已使用" in r.get_data(as_text=True)


def test_wrong_codes_count_towards_the_lockout(app, factory):
    factory.user("sec", role="security_admin")
    AuthActions(app.test_client()).login("sec")
    c = app.test_client()
    _password_step(c, "sec")
    for _ in range(4):
        assert _code(c, "/login/totp", "123456").status_code == 401
    r = _code(c, "/login/totp", "123456")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert "已暂时锁定" in c.get("/login").get_data(as_text=True)
    assert AuthActions(app.test_client()).login("sec", totp=False).status_code == 429


def test_street_admin_needs_no_second_factor_unless_the_policy_says_so(app, factory):
    from webapp.security.models import DEFAULTS, SecurityPolicy

    factory.user("boss", role="street_admin")
    assert _password_step(app.test_client(), "boss").headers["Location"] == "/"
    factory.add(SecurityPolicy(**dict(DEFAULTS, totp_roles=DEFAULTS["totp_roles"] + ",street_admin")))
    assert _password_step(app.test_client(), "boss").headers["Location"] == "/login/totp/enrol"


def test_the_pending_step_expires(client, factory, clock):
    factory.user("sec", role="security_admin")
    _password_step(client, "sec")
    clock.advance(minutes=6)
    assert "/login" in client.get("/login/totp/enrol").headers["Location"]


def test_system_admin_resets_a_lost_second_factor(fresh_demo, app):
    sec = app.test_client()
    AuthActions(sec).login("security_admin")
    admin = app.test_client()
    AuthActions(admin).login("system_admin")
    uid = db.session.scalar(select(User.id).where(User.username == "security_admin"))
    token = csrf_from(admin.get(f"/accounts/{uid}").get_data(as_text=True))
    assert admin.post(f"/accounts/{uid}/reset-totp", data={"csrf_token": token}).status_code == 303
    assert sec.get("/security/").status_code == 302  # its sessions ended
    assert _password_step(app.test_client(), "security_admin").headers["Location"] == "/login/totp/enrol"
