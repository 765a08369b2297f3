"""Compounds and companies in Chromium: the inline credit-code check and inline building rows."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from webapp.companies.models import PropertyCompany
from webapp.compounds.models import Building, Compound
from webapp.extensions import db

pytestmark = pytest.mark.browser


def _companies():
    db.session.expire_all()
    return db.session.scalar(select(func.count(PropertyCompany.id)))


def test_bad_credit_code_shows_its_error_in_place_and_nothing_is_saved(page, fresh_demo):
    before = _companies()
    page.login("street_admin")
    page.goto("/companies/new")
    page.fill("input[name=name]", "青岛红心物业有限公司")
    code = page.locator("input[name=credit_code]")
    code.press_sequentially("91350100M000100Y44")
    feedback = page.locator("#credit-code-feedback")
    expect(feedback).to_contain_text("校验位错误（第 18 位应为 3）")
    expect(code).to_be_focused()  # the check did not take the field away from the clerk
    code.fill("91350100MO00100Y43")
    expect(feedback).to_contain_text("不允许的字符：O")
    code.fill("91350100m000100y43")
    expect(feedback).to_contain_text("代码校验通过")
    # Submitting with a bad code keeps the page, shows the reason under the field, saves nothing.
    code.fill("9135010")
    page.fill("input[name=staff_count]", "20")
    page.fill("input[name=party_members]", "1")
    page.select_option("select[name=party_org_form]", "instructor")
    page.fill("input[name=instructor_name]", "刘建国")
    page.click("form.panel button[type=submit]")
    expect(page.locator("#credit-code-feedback .error")).to_contain_text("应为 18 位，当前为 7 位")
    expect(page.locator("input[name=name]")).to_have_value("青岛红心物业有限公司")
    assert _companies() == before


def test_add_and_edit_a_building_in_place(page, fresh_demo):
    compound_id = db.session.scalar(select(Compound.id).where(Compound.name == "恒安福苑"))
    page.login("shuangzhu_staff")
    page.goto(f"/compounds/{compound_id}")
    page.click("text=添加楼栋")
    row = page.locator("#building-new tr.editing")
    row.locator("input[name=name]").fill("20号楼")
    row.locator("input[name=households]").fill("20000")
    row.locator("button:has-text('保存')").click()
    expect(page.locator("#building-new")).to_contain_text("户数应在 0 到 10000 之间")
    page.locator("#building-new input[name=households]").fill("36")
    page.locator("#building-new button:has-text('保存')").click()
    expect(page.locator("#buildings h2")).to_contain_text("20 栋")
    expect(page.locator("#buildings tbody", has_text="20号楼")).to_contain_text("36")
    added = page.locator("#" + page.locator("#buildings tbody", has_text="20号楼").get_attribute("id"))
    # Edit it in place, then reload: the change is kept.
    added.locator("button:has-text('修改')").click()
    added.locator("input[name=households]").fill("40")
    added.locator("button:has-text('保存')").click()
    expect(added.locator("td.num")).to_have_text("40")
    page.reload()
    expect(page.locator("#buildings tbody", has_text="20号楼").locator("td.num")).to_have_text("40")
    db.session.rollback()  # end this thread's read transaction: a new snapshot sees the server's commit
    assert db.session.scalar(select(Building.households).where(Building.compound_id == compound_id, Building.name == "20号楼")) == 40
