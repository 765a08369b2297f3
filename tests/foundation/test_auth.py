"""Sign-in, throttling, cookies, CSRF and the production guard."""
import pytest

from conftest import DEMO_PASSWORD, csrf_from
from webapp import create_app
from webapp.config import Config


def test_sign_in_and_out(client, auth, factory):
    factory.user("clerk", role="street_admin")
    r = auth.login("clerk")
    assert r.status_code == 303
    assert client.get("/").status_code == 200
    r = auth.logout()
    assert r.status_code == 303
    assert "/login" in client.get("/").headers["Location"]


def test_wrong_password_is_refused_in_chinese(client, auth, factory):
    factory.user("clerk")
    r = auth.login("clerk", "nope")
    assert r.status_code == 401
    assert "用户名或密码不正确" in r.get_data(as_text=True)
    assert "/login" in client.get("/").headers["Location"]


def test_five_failures_block_the_account_from_that_address(client, auth, factory):
    factory.user("clerk")
    for _ in range(5):
        assert auth.login("clerk", "wrong").status_code == 401
    r = auth.login("clerk", DEMO_PASSWORD)  # even the right password waits now
    assert r.status_code == 429
    assert "15 分钟后再试" in r.get_data(as_text=True)
    assert "/login" in client.get("/").headers["Location"]


def test_other_accounts_are_not_blocked(client, auth, factory):
    factory.user("clerk")
    factory.user("other")
    for _ in range(5):
        auth.login("clerk", "wrong")
    assert auth.login("other").status_code == 303


def test_session_cookie_is_httponly_and_samesite(client, auth, factory):
    factory.user("clerk")
    r = auth.login("clerk")
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_post_without_csrf_token_is_refused(client, auth, factory):
    factory.user("clerk")
    auth.login("clerk")
    r = client.post("/logout")
    assert r.status_code == 400
    assert "页面已过期" in r.get_data(as_text=True)
    assert client.get("/").status_code == 200  # still signed in: nothing happened


def test_login_form_without_token_changes_nothing(client, factory):
    factory.user("clerk")
    r = client.post("/login", data={"username": "clerk", "password": DEMO_PASSWORD})
    assert r.status_code == 400
    assert "/login" in client.get("/").headers["Location"]


def test_next_parameter_cannot_leave_the_site(client, factory):
    factory.user("clerk")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    r = client.post("/login?next=https://evil.example/", data={"username": "clerk", "password": DEMO_PASSWORD, "csrf_token": token})
    assert r.headers["Location"] == "/"


def test_empty_login_form_shows_field_messages(client):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    r = client.post("/login", data={"username": "", "password": "", "csrf_token": token})
    html = r.get_data(as_text=True)
    assert "请输入用户名" in html and "请输入密码" in html


def test_production_refuses_the_default_secret(monkeypatch):
    class Prod(Config):
        PRODUCTION = True
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Prod)


def test_production_refuses_demo_data(runner, app):
    app.config["PRODUCTION"] = True
    try:
        result = runner.invoke(args=["demo-data"])
    finally:
        app.config["PRODUCTION"] = False
    assert result.exit_code != 0
    assert "生产模式" in result.output


def test_create_user_command_makes_an_account_that_signs_in(runner, auth, factory):
    factory.street()
    result = runner.invoke(args=["create-user", "newclerk", "--role", "street_admin", "--password", "s3cret-pass"])
    assert result.exit_code == 0, result.output
    assert auth.login("newclerk", "s3cret-pass").status_code == 303


def test_demo_data_command_loads_once(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    again = runner.invoke(args=["demo-data"])
    assert again.exit_code != 0 and "不为空" in again.output
    assert runner.invoke(args=["demo-data", "--if-empty"]).exit_code == 0


def test_absurd_ids_in_urls_answer_404_not_500(client, auth, factory):
    factory.user("clerk")
    auth.login("clerk")
    for path in ("/compounds/99999999999999999999", "/companies/99999999999999999999", "/people/2147483648"):
        assert client.get(path).status_code == 404, path


def test_two_clients_never_share_a_signed_in_user(app, factory):
    """Guards the suite itself: a second browser is anonymous until it signs in."""
    from conftest import AuthActions

    factory.user("clerk")
    first, second = app.test_client(), app.test_client()
    assert AuthActions(first).login("clerk").status_code == 303
    assert first.get("/").status_code == 200
    assert "/login" in second.get("/").headers["Location"]
