"""The organisation tree in Chromium with JavaScript switched off: expand below the first
level, add a unit, rename it and move it — all by links and forms."""
import pytest

from conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def nojs(browser, live_server, fresh_demo):
    context = browser.new_context(base_url=live_server, locale="zh-CN", java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10000)
    pg.goto("/login")
    pg.fill("input[name=username]", "shuangzhu_staff")
    pg.fill("input[name=password]", DEMO_PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_url(lambda url: "/login" not in url)
    yield pg
    context.close()


def _row(page, name):
    return page.locator(".unit-row", has=page.locator(".unit-name", has_text=name))


def test_tree_without_javascript(nojs):
    page = nojs
    page.goto("/structure/")
    group = _row(page, "珠海一区楼院党小组")
    assert not group.is_visible()  # third level: closed on arrival

    # ▸ is a link: the tree comes back with the branch open, below the first level.
    _row(page, "双珠路社区第一网格党支部").locator(".tree-toggle").click()
    page.wait_for_load_state()
    assert group.is_visible()
    assert "open=" in page.url
    # ▾ closes it again.
    _row(page, "双珠路社区第一网格党支部").locator(".tree-toggle").click()
    page.wait_for_load_state()
    assert not _row(page, "珠海一区楼院党小组").is_visible()

    # 添加下级: a page with the form; a duplicate is refused there, a good name is added
    # and the tree opens where it was added.
    _row(page, "双珠路社区第一网格党支部").get_by_role("link", name="添加下级").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "添加下级单位"
    page.fill("input[name=name]", "珠海一区楼院党小组")
    page.get_by_role("button", name="添加").click()
    assert "同一上级下已有同名单位" in page.locator(".error").inner_text()
    page.fill("input[name=name]", "珠海一区3号楼党小组")
    page.get_by_role("button", name="添加").click()
    page.wait_for_load_state()
    assert "已添加「珠海一区3号楼党小组」" in page.locator(".flash").first.inner_text()
    assert _row(page, "珠海一区3号楼党小组").is_visible()

    # 改名
    _row(page, "珠海一区3号楼党小组").get_by_role("link", name="改名").click()
    page.wait_for_load_state()
    page.fill("input[name=name]", "珠海一区5号楼党小组")
    page.get_by_role("button", name="保存名称").click()
    page.wait_for_load_state()
    assert _row(page, "珠海一区5号楼党小组").is_visible()
    assert _row(page, "珠海一区3号楼党小组").count() == 0

    # 移动 under another branch
    _row(page, "珠海一区5号楼党小组").get_by_role("link", name="移动").click()
    page.wait_for_load_state()
    options = page.locator("select[name=parent_id] option").all_inner_texts()
    target = next(o for o in options if o.endswith("第二网格党支部"))
    page.select_option("select[name=parent_id]", label=target)
    page.get_by_role("button", name="移动").click()
    page.wait_for_load_state()
    assert "已将「珠海一区5号楼党小组」移到" in page.locator(".flash").first.inner_text()
    moved = _row(page, "珠海一区5号楼党小组")
    assert moved.is_visible()
    parent = page.locator("li.unit:has(> .unit-row .unit-name:text-is('双珠路社区第二网格党支部'))")
    assert parent.locator(".children .unit-name", has_text="珠海一区5号楼党小组").count() == 1

    # 取消 on a form page goes back to the tree.
    _row(page, "珠海一区5号楼党小组").get_by_role("link", name="改名").click()
    page.get_by_role("link", name="取消").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "组织架构"
    page.screenshot(path="/tmp/clerk-tree-nojs.png", full_page=True)
