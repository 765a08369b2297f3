"""A resident representative fills a score sheet on a phone (390 px wide): the form fits
the screen, the criteria read as lines of text, and a photo attached to a form that comes
back with an error is named as needing to be attached again."""
import struct
import zlib
from datetime import date

import pytest
from sqlalchemy import select

from webapp.assessments.models import AssessmentRound, AssessmentSheet
from webapp.compounds.models import Compound
from webapp.extensions import db

pytestmark = pytest.mark.browser


def _png(path):
    """A small valid PNG file."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 8 for _ in range(8))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return str(path)


def _rep_sheet():
    return db.session.scalar(
        select(AssessmentSheet).join(AssessmentRound).join(Compound, Compound.id == AssessmentSheet.compound_id)
        .where(AssessmentRound.month == date(2026, 11, 1), Compound.name == "珠海一区"))


def test_score_form_fits_a_phone(page, fresh_demo, tmp_path):
    sheet = _rep_sheet()
    page.set_viewport_size({"width": 390, "height": 844})
    page.login("resident_rep")
    page.goto(f"/assessments/sheets/{sheet.id}/score")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    # The criteria: no cell narrower than a few characters (was one character per line).
    narrowest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('.score-table td.guide')].map(c => c.getBoundingClientRect().width))")
    assert narrowest >= 250, narrowest
    page.screenshot(path="/tmp/clerk-score-390.png")

    # A photo attached to a form refused for another reason: said plainly to attach it again.
    item = next(i for i in sheet.round.template.items if i.rule != "judged")
    page.fill(f"input[name=findings_{item.id}]", "2")
    page.fill(f"textarea[name=finding_{item.id}]", "")  # a deduction without its finding: refused
    page.set_input_files(f"input[name=photo_{item.id}]", _png(tmp_path / "site.png"))
    page.click("button.primary:has-text('提交评分')")
    page.wait_for_load_state()
    body = page.locator("body").inner_text()
    assert "有扣分必须填写发现的问题" in body
    note = page.locator(f"#photo-again-{item.id}")
    assert "site.png" in note.inner_text() and "重新选择" in note.inner_text()
    assert "照片未保存" in body
    note.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/clerk-score-390-error.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
