"""The password rules (no database), Argon2 hashing with rehash of older hashes, the
history, expiry for administrators, and `create-user` enforcing the policy."""
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from conftest import DEMO_PASSWORD, csrf_from
from webapp.auth.models import User
from webapp.auth.passwords import problems
from webapp.extensions import db

GOOD = "Qd-Wuye-7781"


def test_rules_length_classes_name_and_common_passwords():
    assert problems(GOOD, "clerk") == []
    assert "密码至少 8 位。" in problems("Ab1!", "clerk")
    assert any("至少 3 类" in p for p in problems("abcdefgh12", "clerk"))  # two classes
    assert any("账号名" in p for p in problems("Clerk#2026x", "clerk"))
    for common in ("P@ssw0rd", "Password1", "Woaini1314!", "Admin@123"):
        assert any("常见密码" in p for p in problems(common, "clerk")), common


def _change(client, current, new, confirm=None):
    token = csrf_from(client.get("/password").get_data(as_text=True))
    return client.post("/password", data={"csrf_token": token, "current": current, "new": new,
                                          "confirm": new if confirm is None else confirm})


def test_password_change_checks_policy_and_the_last_three(client, auth, factory):
    factory.user("clerk")
    auth.login("clerk")
    r = _change(client, DEMO_PASSWORD, "1")
    assert r.status_code == 422 and "密码至少 8 位" in r.get_data(as_text=True)
    assert "当前密码不正确" in _change(client, "wrong", GOOD).get_data(as_text=True)
    assert "两次输入的新密码不一致" in _change(client, DEMO_PASSWORD, GOOD, "Other-7781x").get_data(as_text=True)
    passwords = [DEMO_PASSWORD, "Qd-Wuye-0001", "Qd-Wuye-0002", "Qd-Wuye-0003", "Qd-Wuye-0004"]
    for old, new in zip(passwords, passwords[1:]):
        assert _change(client, old, new).status_code == 303
    # The last three (0002, 0003 and the current 0004) are refused; the fourth back is fine.
    r = _change(client, "Qd-Wuye-0004", "Qd-Wuye-0002")
    assert r.status_code == 422 and "最近 3 次" in r.get_data(as_text=True)
    assert _change(client, "Qd-Wuye-0004", "Qd-Wuye-0003").status_code == 422
    assert _change(client, "Qd-Wuye-0004", "Qd-Wuye-0001").status_code == 303
    auth.logout()
    assert auth.login("clerk", "Qd-Wuye-0001").status_code == 303


def test_argon2_and_older_hashes_are_rehashed_on_sign_in(client, auth, factory):
    user = factory.user("clerk")
    assert user.password_hash.startswith("$argon2id$")
    user.password_hash = generate_password_hash(DEMO_PASSWORD, method="scrypt")
    db.session.commit()
    assert auth.login("clerk").status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash.startswith("$argon2id$")
    auth.logout()
    assert auth.login("clerk").status_code == 303  # the new hash verifies


def test_create_user_enforces_the_policy_and_forces_a_change(runner, client, auth, factory):
    factory.street()
    weak = runner.invoke(args=["create-user", "newclerk", "--role", "street_admin", "--password", "1"])
    assert weak.exit_code != 0 and "密码不符合安全策略" in weak.output
    assert db.session.scalar(select(User).where(User.username == "newclerk")) is None
    ok = runner.invoke(args=["create-user", "newclerk", "--role", "street_admin", "--password", GOOD])
    assert ok.exit_code == 0, ok.output
    r = auth.login("newclerk", GOOD)
    assert r.status_code == 303 and r.headers["Location"] == "/"
    # Every page leads to the change form until the password is changed.
    for path in ("/", "/compounds/", "/audit/"):
        assert client.get(path).headers["Location"] == "/password", path
    assert "首次登录" in client.get("/password").get_data(as_text=True)
    assert _change(client, GOOD, "Jiyang#2026x").status_code == 303
    assert client.get("/").status_code == 200


def test_administrator_passwords_expire(client, auth, factory, clock):
    factory.user("boss", role="street_admin")
    factory.user("clerk", role="community_staff", community=factory.community())
    clock.advance(days=91)
    auth.login("boss")
    assert client.get("/").headers["Location"] == "/password"
    assert "每 90 天" in client.get("/password").get_data(as_text=True)
    assert _change(client, DEMO_PASSWORD, GOOD).status_code == 303
    assert client.get("/").status_code == 200
    auth.logout()
    auth.login("clerk")  # not an administrator: no expiry
    assert client.get("/").status_code == 200
