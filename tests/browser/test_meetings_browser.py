"""Recording a meeting in Chromium: plan it, then fill the sign-in sheet, agenda,
resolutions and tasks on one page through HTMX, and open its PDF."""
import io

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser


def test_record_a_meeting_on_one_page_and_open_its_pdf(page, fresh_demo):
    page.login("shuangzhu_staff")
    page.goto("/meetings/new")
    page.select_option("#kind_id", label="民情恳谈会")
    page.fill("#title", "恒安福苑电梯问题恳谈会")
    page.fill("#starts_at", "2026-11-23T14:30")
    page.fill("#ends_at", "2026-11-23T16:00")
    page.select_option("#compound_id", label="双珠路社区 · 恒安福苑")
    page.fill("#host", "张英")
    page.fill("#recorder", "潘维海")
    page.click("button:has-text('创建会议')")
    page.wait_for_url("**/meetings/*")
    record_url = page.url
    assert page.locator("h1").inner_text() == "恒安福苑电梯问题恳谈会"

    # Sign-in sheet: two people, one sends apologies — the page never reloads.
    marker = page.evaluate("() => { window.__same_page = true; return true; }")
    assert marker
    page.fill("#new-name", "张英")
    page.fill("#new-organisation", "双珠路社区党委")
    page.click("button:has-text('加入签到表')")
    page.locator("#attendees td", has_text="张英").wait_for()
    page.fill("#new-name", "郑德福")
    page.fill("#new-organisation", "恒安物业服务有限公司")
    page.click("button:has-text('加入签到表')")
    page.locator("#attendees td", has_text="郑德福").wait_for()
    page.htmx_settled()  # the new row's select is bound only once htmx has settled
    page.select_option("select[aria-label='郑德福的签到']", "apology")
    page.locator("#attendees h2", has_text="请假 1 人").wait_for()

    # Agenda with its discussion, a resolution for residents, a follow-up task.
    page.fill("#new-title", "电梯频繁停运")
    page.fill("#new-discussion", "居民反映2号楼电梯一周停运三次。")
    page.click("button:has-text('添加议题')")
    page.locator("#agenda input[value='电梯频繁停运']").wait_for()
    page.fill("#new-text", "恒安物业十日内完成电梯检修并公示维保记录。")
    page.check("#new-publish")
    page.click("button:has-text('添加决议')")
    page.locator("#resolutions textarea", has_text="恒安物业十日内完成电梯检修").wait_for()

    # A task with no owner is refused in place, with the Chinese message.
    page.fill("#new-what", "电梯检修")
    page.fill("#new-due_date", "2026-12-03")
    page.click("button:has-text('添加任务')")
    assert "请填写责任人或责任单位。" in page.locator("#tasks .error").inner_text()
    page.fill("#new-owner", "郑德福")
    page.click("button:has-text('添加任务')")
    page.locator("#tasks td", has_text="电梯检修").wait_for()
    assert page.url == record_url and page.evaluate("() => window.__same_page === true")

    # The minutes PDF, as the print button would fetch it.
    action = page.locator("form.pdf-choice").get_attribute("action")
    response = page.request.get(action)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = "".join(PdfReader(io.BytesIO(response.body())).pages[0].extract_text().split())
    assert "恒安福苑电梯问题恳谈会纪要" in text and "张英" in text and "恒安物业十日内完成电梯检修" in text
    assert "草稿" in text
