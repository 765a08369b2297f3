"""Pages a clerk prints from the browser (Chromium's print to PDF, A4): the public
compound page with its 红色管家 table and the quarterly ranking print on few, readable
pages — no table squeezed to one character per line."""
import io
import os

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from webapp.extensions import db

pytestmark = pytest.mark.browser
OUT = os.environ.get("PRINT_OUT")  # set to a folder to keep the PDFs for looking at


def _print(page, name):
    page.emulate_media(media="print")
    data = page.pdf(format="A4", print_background=True)
    if OUT:
        with open(os.path.join(OUT, f"{name}.pdf"), "wb") as fh:
            fh.write(data)
    return PdfReader(io.BytesIO(data))


def _narrowest_cell(page, selector):
    """The narrowest rendered (not hidden) cell among `selector`, in CSS pixels, as printed."""
    return page.evaluate(
        "sel => Math.min(...[...document.querySelectorAll(sel)]"
        ".map(c => c.getBoundingClientRect().width).filter(w => w > 0))", selector)


def test_public_compound_page_prints_cleanly(page, demo):
    from webapp.compounds.models import Compound

    compound = db.session.scalar(select(Compound).where(Compound.name == "珠海一区"))
    page.goto(f"/public/yinzhu/shuangzhu/{compound.id}/")
    reader = _print(page, "public-compound")
    assert page.locator("table.stewards tbody tr").count() > 30
    # 珠海一区: the board and 40-odd stewards: three A4 pages at most, the table readable.
    assert len(reader.pages) <= 3, len(reader.pages)
    assert _narrowest_cell(page, "table.stewards td") >= 60


def test_ranking_page_prints_cleanly(page, demo):
    from webapp.assessments.models import QuarterRanking

    quarter = db.session.scalars(select(QuarterRanking.quarter).order_by(QuarterRanking.quarter.desc())).first()
    page.login("street_admin")
    page.goto(f"/assessments/ranking?quarter={quarter}")
    reader = _print(page, "ranking")
    assert len(reader.pages) <= 2, len(reader.pages)
    assert _narrowest_cell(page, "table.ranking td.name") >= 120


def test_public_community_board_prints_cleanly(page, demo):
    page.goto("/public/yinzhu/shuangzhu/")
    reader = _print(page, "public-community")
    assert len(reader.pages) <= 3, len(reader.pages)
    assert _narrowest_cell(page, ".pub-table td") >= 30


def test_lobby_display_has_room_for_item_10_and_shows_street_time(page, demo):
    """The display list's markers sit in its left padding: it must hold "10." (it clipped
    to ".0."); the clock shows the street's time even on a screen set to UTC."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto("/public/yinzhu/shuangzhu/display")
    room, needed = page.evaluate("""() => {
        const ol = document.getElementById('display-list');
        const probe = document.createElement('li');
        probe.textContent = 'x';
        for (let i = ol.children.length; i < 12; i++) ol.appendChild(probe.cloneNode(true));
        const span = document.createElement('span');
        span.textContent = '10. ';
        const li = ol.children[9];
        li.appendChild(span);
        return [parseFloat(getComputedStyle(ol).paddingLeft), span.getBoundingClientRect().width];
    }""")
    assert room >= needed, (room, needed)
    clock = page.locator("#clock").inner_text()
    from webapp.clock import local_now

    assert f"{local_now():%H}:" in clock, clock
