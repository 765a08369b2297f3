"""Staff publish a notice in Chromium; signed out, it is on the community page and
comes round on the lobby display as the display refreshes itself."""
import pytest

pytestmark = pytest.mark.browser


def test_published_notice_reaches_the_board_and_the_display(page, fresh_demo):
    # A lobby screen, signed out, already showing the board before the notice exists.
    page.goto("/login")
    base = page.evaluate("() => location.origin")
    reader = page.context.browser.new_context(locale="zh-CN")
    display = reader.new_page()
    display.goto(base + "/public/yinzhu/shuangzhu/display?every=2")
    assert display.locator("#slide .slide-title").inner_text()
    assert "关于十二月电梯年检的通知" not in display.locator("#display-list").inner_text()

    page.login("shuangzhu_staff")
    page.goto("/notices/new")
    page.fill("input[name=title]", "关于十二月电梯年检的通知")
    page.fill("textarea[name=body]", "12月3日上午电梯年检。\n\n- 请走楼梯\n- 注意安全")
    page.select_option("select[name=target]", label="双珠路社区（全社区）")
    page.check("input[name=publish_mode][value=now]")
    page.click("form.notice-form button[type=submit]")
    assert "已发布到公示栏" in page.locator(".flash").inner_text()

    # Signed out: the community page shows it, with its list items.
    public = reader.new_page()
    public.goto(base + "/public/yinzhu/shuangzhu/")
    public.get_by_role("link", name="关于十二月电梯年检的通知").click()
    assert public.locator("h1").inner_text() == "关于十二月电梯年检的通知"
    assert public.locator(".body li").all_inner_texts() == ["请走楼梯", "注意安全"]
    assert reader.cookies() == []

    # The display, never reloaded, picks it up as it refreshes itself, and rotates.
    display.wait_for_function(
        "() => document.querySelector('#display-list').innerText.includes('关于十二月电梯年检的通知')", timeout=15000)
    display.wait_for_function(
        "() => document.querySelector('#slide .slide-title').innerText.includes('关于十二月电梯年检的通知')", timeout=45000)
    assert display.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    reader.close()


def test_display_keeps_rotating_when_the_network_drops(page, fresh_demo):
    page.goto("/public/yinzhu/shuangzhu/display?every=3")
    shown = page.locator("#slide .slide-title").inner_text()
    page.context.set_offline(True)
    titles = {shown}
    for _ in range(10):
        page.wait_for_timeout(1000)
        titles.add(page.locator("#slide .slide-title").inner_text())
        if len(titles) > 2:
            break
    assert len(titles) > 2, titles
    assert page.locator("#display-offline").is_visible()
    assert "网络暂时中断" in page.locator("#display-offline").inner_text()
    page.context.set_offline(False)
    for _ in range(10):
        page.wait_for_timeout(1000)
        if not page.locator("#display-offline").is_visible():
            break
    assert not page.locator("#display-offline").is_visible()
