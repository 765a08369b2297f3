"""The organisation tree in Chromium: expand, add a unit inline, reload, see it kept."""
import pytest

pytestmark = pytest.mark.browser


def test_expand_add_unit_inline_and_it_persists(page, fresh_demo):
    page.login("shuangzhu_staff")
    page.goto("/structure/")
    committee = page.locator(".unit-row", has_text="双珠路社区党委")
    # Street level is shown read only; the community's units are expanded one level.
    branch_row = page.locator(".unit-row", has_text="双珠路社区第一网格党支部")
    branch_row.locator(".tree-toggle").click()
    group = page.locator(".unit-row", has_text="珠海一区楼院党小组")
    group.wait_for()
    assert "楼院党小组" in group.inner_text()
    # Collapse and expand again without losing the children.
    branch_row.locator(".tree-toggle").click()
    assert not group.is_visible()
    branch_row.locator(".tree-toggle").click()
    assert group.is_visible()

    # A duplicate name is refused in place, with the form still open.
    branch_row.get_by_role("link", name="添加下级").click()
    form = page.locator(".unit-form form")
    form.locator("input[name=name]").fill("珠海一区楼院党小组")
    form.get_by_role("button", name="添加").click()
    assert "同一上级下已有同名单位" in page.locator(".unit-form .error").inner_text()

    page.locator(".unit-form input[name=name]").fill("珠海一区3号楼党小组")
    page.locator(".unit-form").get_by_role("button", name="添加").click()
    added = page.locator(".unit-row", has_text="珠海一区3号楼党小组")
    added.wait_for()
    assert "楼院党小组" in added.inner_text()
    assert committee.is_visible()

    page.reload()
    page.locator(".unit-row", has_text="双珠路社区第一网格党支部").locator(".tree-toggle").click()
    page.locator(".unit-row", has_text="珠海一区3号楼党小组").wait_for()


def test_rename_inline_shows_the_new_name(page, fresh_demo):
    page.login("jiyang_admin")
    page.goto("/structure/")
    row = page.locator(".unit-row", has_text="济阳示例二社区环物委")
    row.get_by_role("link", name="改名").click()
    field = page.locator(".unit-form input[name=name]")
    field.fill("")
    page.locator(".unit-form").get_by_role("button", name="保存名称").click()
    assert "请填写单位名称" in page.locator(".unit-form .error").inner_text()
    page.locator(".unit-form input[name=name]").fill("济阳示例二社区党委")
    page.locator(".unit-form").get_by_role("button", name="保存名称").click()
    page.locator(".unit-row", has_text="济阳示例二社区党委").wait_for()
    page.reload()
    assert page.locator(".unit-row", has_text="济阳示例二社区党委").count() == 1
