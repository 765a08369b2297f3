"""Filling a score sheet in Chromium: the running total follows the typing (HTMX)."""
from conftest import street_of
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from webapp.assessments.models import AssessmentRound, AssessmentSheet, AssessmentTemplate
from webapp.compounds.models import Compound
from webapp.extensions import db

pytestmark = pytest.mark.browser


def _sheet(compound):
    return db.session.scalar(select(AssessmentSheet).join(AssessmentRound).join(Compound, Compound.id == AssessmentSheet.compound_id)
                             .where(AssessmentRound.month == date(2026, 11, 1), Compound.name == compound))


def _item_id(sheet, title):
    return next(i.id for i in sheet.round.template.items if i.title == title)


def test_fill_a_sheet_and_see_the_total_update(page, fresh_demo):
    sheet = _sheet("恒安福苑")
    rubbish, parking, party = (_item_id(sheet, t) for t in ("垃圾当日清", "停车有秩序", "突出党建引领"))
    page.login("shuangzhu_staff")
    page.goto(f"/assessments/sheets/{sheet.id}/score")
    total = page.locator("#score-total [data-total]")
    assert total.inner_text() == "100"
    page.fill(f"input[name=findings_{rubbish}]", "3")
    expect(page.locator("#score-total [data-total]")).to_have_text("97")
    assert page.locator(f"#pts-{rubbish}").inner_text() == "12"
    page.fill(f"input[name=findings_{parking}]", "20")  # 20 × 1 off 10 points: stops at 0
    expect(page.locator("#score-total [data-total]")).to_have_text("87")
    page.fill(f"input[name=points_{party}]", "13")
    expect(page.locator("#score-total [data-total]")).to_have_text("85")
    # submitting without findings is refused with a message on each item, nothing saved
    page.click("button.primary:has-text('提交评分')")
    assert "有扣分必须填写发现的问题" in page.locator("body").inner_text()
    page.fill(f"textarea[name=finding_{rubbish}]", "3号楼垃圾满溢")
    page.fill(f"textarea[name=finding_{parking}]", "消防通道停车")
    page.fill(f"textarea[name=finding_{party}]", "党员未亮牌")
    page.click("button.primary:has-text('提交评分')")
    page.wait_for_url(f"**/assessments/sheets/{sheet.id}")
    assert "评分已保存：85 分" in page.locator(".flash").inner_text()


def test_template_editor_live_total(page, fresh_demo):
    t = db.session.scalar(select(AssessmentTemplate).where(  # 隐珠街道's: every street has its own
        AssessmentTemplate.name == "党建引领考核（30分）", AssessmentTemplate.street_id == street_of('street_admin')))
    item = t.items[1]  # 物业服务人员中的党员, 6 points
    page.login("street_admin")
    page.goto(f"/assessments/templates/{t.id}/edit")
    assert page.locator("#template-total [data-total]").inner_text() == "30"
    page.fill(f"input[name=full_{item.id}]", "10")
    expect(page.locator("#template-total [data-total]")).to_have_text("34")
    assert "已保存的满分合计为 30 分" in page.locator("#template-total").inner_text()
