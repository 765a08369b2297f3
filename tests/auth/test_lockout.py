"""Brute force: the account locks after 5 failures for 15 minutes, an address is
throttled, and nothing tells a real account from an unknown one."""
import re

from sqlalchemy import select

from conftest import DEMO_PASSWORD, csrf_from
from webapp.audit.models import AuditLog
from webapp.extensions import db


def _attempt(client, username, password, address):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    r = client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                    environ_base={"REMOTE_ADDR": address})
    message = re.findall(r'class="form-error"[^>]*>([^<]*)<', r.get_data(as_text=True))
    return r.status_code, message


def test_fifty_wrong_passwords_lock_and_leak_nothing(app, factory):
    factory.user("clerk")
    real = [_attempt(app.test_client(), "clerk", f"wrong{i}", "10.9.0.1") for i in range(50)]
    unknown = [_attempt(app.test_client(), "nobody", f"wrong{i}", "10.9.0.2") for i in range(50)]
    assert real == unknown  # the same status and message, attempt by attempt
    assert real[0] == (401, ["用户名或密码不正确。"])
    assert real[5][0] == 429 and "已暂时锁定" in real[5][1][0]
    # Locked: even the right password is refused, in the same words.
    assert _attempt(app.test_client(), "clerk", DEMO_PASSWORD, "10.9.0.3") == real[-1]
    rows = db.session.execute(select(AuditLog.action, AuditLog.username).where(AuditLog.action.in_(("login_failed", "lockout")))).all()
    assert sorted(set(rows)) == [("lockout", "clerk"), ("lockout", "nobody"), ("login_failed", "clerk"), ("login_failed", "nobody")]
    assert [a for a, _ in rows].count("lockout") == 2 and [a for a, _ in rows].count("login_failed") == 10


def test_the_lock_lifts_after_fifteen_minutes(app, factory, clock):
    factory.user("clerk")
    for i in range(5):
        _attempt(app.test_client(), "clerk", "wrong", "10.9.1.1")
    assert _attempt(app.test_client(), "clerk", DEMO_PASSWORD, "10.9.1.1")[0] == 429
    clock.advance(minutes=14)
    assert _attempt(app.test_client(), "clerk", DEMO_PASSWORD, "10.9.1.1")[0] == 429
    clock.advance(minutes=2)
    assert _attempt(app.test_client(), "clerk", DEMO_PASSWORD, "10.9.1.1")[0] == 303


def test_one_address_is_throttled_across_account_names(app, factory):
    factory.user("clerk")
    for i in range(30):  # six names, five tries each: no account locks, the address does
        assert _attempt(app.test_client(), f"name{i // 5}", "wrong", "10.9.2.1")[0] == 401
    status, message = _attempt(app.test_client(), "clerk", DEMO_PASSWORD, "10.9.2.1")
    assert status == 429 and "此网络地址的登录尝试过于频繁" in message[0]
    assert _attempt(app.test_client(), "clerk", DEMO_PASSWORD, "10.9.2.2")[0] == 303  # another address


def test_a_sign_in_to_an_unknown_account_costs_a_hash_check(app, factory, monkeypatch):
    """The 139 ms / 6 ms leak: an unknown name is checked against a dummy hash."""
    from webapp.auth import hashing

    factory.user("clerk")
    calls = []
    real_verify = hashing.verify
    monkeypatch.setattr(hashing, "verify", lambda stored, pw: calls.append(stored[:9]) or real_verify(stored, pw))
    _attempt(app.test_client(), "clerk", "wrong", "10.9.3.1")
    _attempt(app.test_client(), "nobody", "wrong", "10.9.3.1")
    assert calls == ["$argon2id", "$argon2id"]


def test_system_admin_lifts_a_lockout(fresh_demo, app):
    from conftest import AuthActions

    for i in range(5):
        _attempt(app.test_client(), "grid_worker", "wrong", "10.9.4.1")
    assert _attempt(app.test_client(), "grid_worker", DEMO_PASSWORD, "10.9.4.1")[0] == 429
    admin = app.test_client()
    AuthActions(admin).login("system_admin")
    from webapp.auth.models import User

    uid = db.session.scalar(select(User.id).where(User.username == "grid_worker"))
    page = admin.get(f"/accounts/{uid}").get_data(as_text=True)
    assert "已锁定" in page
    assert admin.post(f"/accounts/{uid}/unlock", data={"csrf_token": csrf_from(page)}).status_code == 303
    assert _attempt(app.test_client(), "grid_worker", DEMO_PASSWORD, "10.9.4.1")[0] == 303
