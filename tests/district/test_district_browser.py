"""The district's pages in Chromium, on screen and printed: the street-by-street table
fits an A4 page across, the ranking prints without its navigation, a published
selection shows on each street's board. SHOTS=<folder> keeps screenshots and PDFs."""
import io
import os
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from webapp.extensions import db

from district_world import geo  # noqa: F401
from test_district_pages import _closed_round

pytestmark = pytest.mark.browser
OUT = os.environ.get("SHOTS")


def _shot(page, name, full=True):
    if OUT:
        page.screenshot(path=os.path.join(OUT, f"{name}.png"), full_page=full)


def _print(page, name):
    page.emulate_media(media="print")
    data = page.pdf(format="A4", print_background=True)
    if OUT:
        with open(os.path.join(OUT, f"{name}.pdf"), "wb") as fh:
            fh.write(data)
    page.emulate_media(media="screen")
    return PdfReader(io.BytesIO(data))


def test_district_pages_on_screen_and_printed(page, geo):
    for m in (10, 11, 12):
        _closed_round(geo.s1, date(2026, m, 1), {(geo.red, geo.k1): 92.5, (geo.plain, geo.k2): 81.0,
                                                 (geo.plain, geo.k3): 84.0})
        _closed_round(geo.s2, date(2026, m, 1), {(geo.plain, geo.k4): 76.0})
    d1 = geo.d1.id
    db.session.remove()  # the live server writes: no test-side snapshot held open
    page.login("d1_staff")
    page.goto(f"/district/{d1}/?period=month&year=2026&n=11")
    assert page.locator("table.district-streets tbody tr").count() == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, width
    _shot(page, "district-streets")
    reader = _print(page, "district-streets")
    assert len(reader.pages) == 1
    # The PDF's text as a reader sees it: Kangxi radicals folded (NFKC), cells' line breaks joined.
    text = unicodedata.normalize("NFKC", reader.pages[0].extract_text()).replace("\n", "")
    assert "东街道" in text and "西街道" in text and "跨街道物业企业排名" not in text  # the nav is not printed

    page.goto(f"/district/{d1}/ranking?quarter=2026Q4")
    assert page.locator("table.district-ranking tbody tr").count() == 2
    _shot(page, "district-ranking")
    _print(page, "district-ranking")

    page.goto(f"/district/{d1}/selections?quarter=2026Q4")
    page.fill("input[name=title]", "2026年第四季度金牌红色物业")
    page.fill("textarea[name=criteria]", "季度考核得分居全区前列；\n无群众投诉的重大问题。")
    page.click("form button.primary")
    page.wait_for_url("**/district/selections/*")
    page.check("input[name=chosen] >> nth=0")
    page.fill("textarea[name=note]", "区物业行业党委会议研究决定。")
    page.click("form button.primary")
    page.click("button:has-text('确认决定')")
    page.wait_for_url("**/district/selections/*")
    _shot(page, "district-selection")
    page.click("button:has-text('公示到本区各街道公示栏')")
    page.click("button:has-text('确认公示')")
    page.wait_for_url("**/district/selections/*")
    assert "已公示" in page.inner_text("h1")
    _print(page, "district-selection")

    page.goto("/public/xi/")
    assert "2026年第四季度金牌红色物业" in page.inner_text("main")
    _shot(page, "public-street-selection")
    page.goto("/public/")
    _shot(page, "public-streets")
