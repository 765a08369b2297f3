"""The landing pages in Chromium: the resident representative's at 390 px (one tap to each
sheet waiting, no sideways scrolling, large tap targets, clean under axe), and the staff
dashboard at desktop width with its charts drawn (server-side SVG), and at 390 px."""
import pytest

from browser.a11y import axe_violations, horizontal_overflow

pytestmark = pytest.mark.browser


def fits(page):
    o = horizontal_overflow(page)
    return o["scroll"] <= o["client"]


def test_the_representative_taps_straight_to_a_sheet_at_390_px(page, fresh_demo):
    page.set_viewport_size({"width": 390, "height": 844})
    page.login("resident_rep")
    page.goto("/")
    assert "待我评分的考核表" in page.locator("h1").inner_text()
    taps = page.locator("a.tap")
    assert taps.count() >= 1
    assert fits(page)
    box = taps.first.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300, box
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/dashboard-rep-390.png", full_page=True)
    taps.first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/score") and "提交评分" in page.locator("body").inner_text()


def test_the_staff_dashboard_draws_its_charts_at_desktop_width(page, fresh_demo):
    page.login("jiyang_admin")  # a street of several communities: the by-community bars too
    page.goto("/")
    charts = page.locator("svg.chart")
    assert charts.count() == 5
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box["width"] > 200 and box["height"] > 60, box
    assert fits(page)
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/dashboard-admin-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    assert fits(page)
    page.screenshot(path="/tmp/dashboard-admin-390.png", full_page=True)
