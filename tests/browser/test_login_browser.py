"""Sign-in through the real form in Chromium."""
import pytest

pytestmark = pytest.mark.browser


def test_sign_in_shows_dashboard_with_street_counts(page, fresh_demo):
    page.login("street_admin")
    assert page.locator("h1").inner_text() == "工作台"
    # 双珠路's 120 buildings, 112 of them with a red steward (the report's figures).
    assert page.locator(".card", has_text="楼栋有红色管家").locator(".num").inner_text() == "112"


def test_wrong_password_shows_message_in_chinese(page, fresh_demo):
    page.goto("/login")
    page.fill("input[name=username]", "street_admin")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.locator(".form-error").inner_text()
