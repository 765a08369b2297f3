"""In Chromium: enrol in TOTP at first sign-in, sign in with a code, and be signed out
after the idle timeout (a controlled clock: the live server runs in this process)."""
import os

import pyotp
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SCREENSHOT_DIR")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_enrol_sign_in_with_a_code_and_time_out_when_idle(page, fresh_demo, clock):
    page.goto("/login")
    page.fill("input[name=username]", "security_admin")
    page.fill("input[name=password]", "hongye-demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/login/totp/enrol")
    expect(page.locator("h1")).to_have_text("绑定手机验证器")
    expect(page.locator(".totp-qr svg")).to_be_visible()
    _shot(page, "totp-enrol.png")
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    phone = pyotp.TOTP(secret)  # what the authenticator app computes from the QR code
    page.fill("input[name=code]", "000000" if phone.now() != "000000" else "111111")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("验证码不正确")
    page.fill("input[name=code]", phone.now())
    page.click("button[type=submit]")
    page.wait_for_url("**/security/")
    expect(page.locator("h1")).to_have_text("安全策略")
    _shot(page, "security-policy.png")

    # Signed out, then in again: the password, then the code (no second enrolment).
    page.click("button:has-text('退出')")
    page.wait_for_url("**/login")
    page.login("security_admin")
    assert page.url.endswith("/security/")

    clock.advance(minutes=29)
    page.goto("/security/")
    expect(page.locator("h1")).to_have_text("安全策略")
    clock.advance(minutes=31)
    page.goto("/security/")
    page.wait_for_url(lambda url: "/login?next=" in url)
    expect(page.locator(".flash")).to_contain_text("登录已超时")
    _shot(page, "timed-out.png")
