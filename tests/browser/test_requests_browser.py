"""The whole loop of a request in Chromium: a grid worker records it at 390 px wide with a
photo; the company manager resolves it; the resident answers 不满意 on the receipt page;
it comes back to the company, which resolves it again; the resident answers 满意.
Screenshots in /tmp/requests-*.png."""
import io

import pytest
from PIL import Image
from sqlalchemy import select

from conftest import DEMO_PASSWORD, totp_code_for
from webapp.companies.models import PropertyCompany
from webapp.extensions import db
from webapp.requests.models import ResidentRequest

pytestmark = pytest.mark.browser


def _context(browser, live_server, width=1280, height=900):
    ctx = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": width, "height": height})
    pg = ctx.new_page()
    pg.set_default_timeout(10000)
    return ctx, pg


def _login(pg, username):
    pg.goto("/login")
    pg.fill("input[name=username]", username)
    pg.fill("input[name=password]", DEMO_PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_url(lambda url: "/login" not in url or "/login/totp" in url)
    if "/login/totp" in pg.url:
        pg.fill("input[name=code]", totp_code_for(username))
        pg.click("button[type=submit]")
        pg.wait_for_url(lambda url: "/login" not in url)


def _resolve(browser, live_server, request_id, note, shot):
    ctx, pg = _context(browser, live_server)
    _login(pg, "anju_manager")
    pg.goto("/requests/")
    assert pg.locator(f"a[href='/requests/{request_id}']").count() == 1  # in the company's inbox
    pg.goto(f"/requests/{request_id}")
    pg.click("details:has(summary:text-is('接单')) button[type=submit]")
    pg.wait_for_load_state()
    pg.locator("summary", has_text="办结").click()
    pg.fill("details:has(summary:text-is('办结')) textarea[name=note]", note)
    pg.click("details:has(summary:text-is('办结')) button[type=submit]")
    pg.wait_for_load_state()
    assert "已办结" in pg.locator("h1").inner_text()
    pg.screenshot(path=shot, full_page=True)
    ctx.close()


def _resident_answers(browser, live_server, receipt, answer, shot):
    ctx, pg = _context(browser, live_server, 390, 844)
    pg.goto(f"/public/yinzhu/shuangzhu/opinion/status?receipt={receipt}")
    pg.check(f"input[name=satisfaction][value={answer}]")
    pg.click("button:has-text('提交评价')")
    pg.wait_for_load_state()
    assert "感谢您的评价" in pg.locator("body").inner_text()
    pg.screenshot(path=shot, full_page=True)
    ctx.close()


def test_the_whole_loop(browser, live_server, fresh_demo, factory, tmp_path):
    company = db.session.scalar(select(PropertyCompany).where(PropertyCompany.name == "隐珠安居物业管理有限公司"))
    factory.user("anju_manager", role="company_user", company=company, display_name="隐珠安居 项目经理")
    photo = tmp_path / "leak.jpg"
    Image.new("RGB", (64, 48), (120, 160, 200)).save(photo, "JPEG")

    # 1. The grid worker on patrol, on a phone.
    ctx, pg = _context(browser, live_server, 390, 844)
    _login(pg, "grid_worker")
    pg.goto("/requests/new")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.select_option("#compound_id", label="双珠路社区 · 珠海一区")
    pg.locator("#building_id option").nth(1).wait_for(state="attached")  # the compound's buildings (HTMX)
    pg.select_option("#category_id", label="公共设施维修")
    pg.fill("#text", "5号楼2单元楼道顶部渗水，墙皮脱落。")
    pg.set_input_files("#photos", str(photo))
    pg.screenshot(path="/tmp/requests-1-record-390.png", full_page=True)
    pg.click("button:has-text('登记并派单')")
    pg.wait_for_load_state()
    assert "已派单" in pg.locator("h1").inner_text()
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.screenshot(path="/tmp/requests-2-recorded-390.png", full_page=True)
    ctx.close()
    db.session.rollback()
    item = db.session.scalars(select(ResidentRequest).order_by(ResidentRequest.id.desc()).limit(1)).first()
    assert item.photos and item.assignee_company_id == company.id

    # 2. The company resolves it.
    _resolve(browser, live_server, item.id, "已修补楼道顶部防水。", "/tmp/requests-3-resolved.png")
    # 3. The resident answers 不满意: back to the company.
    _resident_answers(browser, live_server, item.receipt_no, "unsatisfied", "/tmp/requests-4-unsatisfied-390.png")
    db.session.rollback()
    item = db.session.get(ResidentRequest, item.id)
    assert item.status == "dispatched" and item.reopen_count == 1
    # 4. Resolved again, 5. 满意.
    _resolve(browser, live_server, item.id, "重新做了整段防水层。", "/tmp/requests-5-resolved-again.png")
    _resident_answers(browser, live_server, item.receipt_no, "satisfied", "/tmp/requests-6-satisfied-390.png")
    db.session.rollback()
    item = db.session.get(ResidentRequest, item.id)
    assert item.status == "visited" and item.satisfaction == "satisfied"


def test_the_inbox_compound_filter_is_a_picker(browser, live_server, fresh_demo):
    """Typing into the inbox's compound filter swaps in the matching compounds (HTMX); the
    chosen one filters the list."""
    ctx, pg = _context(browser, live_server)
    _login(pg, "street_admin")
    pg.goto("/requests/")
    choices = pg.locator("#pick-compound option:not([value=''])")
    assert choices.count() > 1
    pg.fill("input[name=compound_q]", "珠海一区")
    for _ in range(100):  # the HTMX answer swaps the options in
        if choices.count() == 1:
            break
        pg.wait_for_timeout(100)
    assert choices.all_inner_texts() == ["双珠路社区 · 珠海一区"]
    pg.select_option("#pick-compound", label="双珠路社区 · 珠海一区")
    pg.click("form.filters button[type=submit]")
    pg.wait_for_url(lambda url: "compound=" in url and "compound=&" not in url)
    assert pg.locator("#pick-compound option:checked").inner_text() == "双珠路社区 · 珠海一区"
    ctx.close()
