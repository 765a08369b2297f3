"""The residents' side in Chromium as WeChat's browser on a phone (issue 15): every public
page in the standard board and in 长辈版 is clean under axe-core's WCAG 2.1 A/AA rules,
fits 360–414 px without sideways scrolling, and in 长辈版 has large type, loose lines and
60 px tap targets; the opinion box works in 长辈版; the main staff pages pass axe too and
work from the keyboard.

axe-core is vendored (tests/browser/vendor, version in static/vendor/VERSIONS.txt) and
put into the page through the DevTools protocol (see browser/a11y.py), so the pages are
checked under their real CSP. Set SCREENSHOT_DIR to keep a screenshot of every page
checked."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from browser.a11y import MODES, axe_violations, horizontal_overflow, shot, with_mode as _with_mode
from webapp.compounds.models import Compound
from webapp.extensions import db
from webapp.notices.models import Notice
from webapp.requests.models import ResidentRequest

pytestmark = pytest.mark.browser


_issued = {}


def _verifiable_code():
    """A stored document to check at /verify/<code>: the first approved minutes, issued
    once for the module (the demo street has none stored until someone prints)."""
    if "code" not in _issued:
        from webapp.documents import services as documents
        from webapp.meetings.models import Meeting

        meeting = db.session.scalars(select(Meeting).where(Meeting.status == "approved", Meeting.is_current.is_(True))
                                     .order_by(Meeting.id)).first()
        _issued["code"] = documents.issue("minutes", meeting.id).code
        db.session.commit()
    return _issued["code"]


def public_pages():
    """Every kind of public page residents open, as paths on the demo street."""
    compound = db.session.scalar(select(Compound).where(Compound.name == "珠海一区"))
    notice = db.session.scalar(select(Notice).where(Notice.title == "珠海一区物业服务收费标准"))
    receipt = db.session.scalar(select(ResidentRequest.receipt_no).where(ResidentRequest.receipt_no != "")
                                .where(ResidentRequest.community_id == compound.community_id).limit(1))
    pages = {
        "index": "/public/",
        "street": "/public/yinzhu/",
        "community": "/public/yinzhu/shuangzhu/",
        "compound": f"/public/yinzhu/shuangzhu/{compound.id}/",
        "archive": "/public/yinzhu/shuangzhu/archive?q=物业",
        "notice": f"/public/yinzhu/shuangzhu/notices/{notice.id}",
        "opinion": "/public/yinzhu/shuangzhu/opinion",
        "lookup": "/public/yinzhu/shuangzhu/opinion/status",
        "lookup-found": f"/public/yinzhu/shuangzhu/opinion/status?receipt={receipt}",
        "lookup-missing": "/public/yinzhu/shuangzhu/opinion/status?receipt=YJ20260101-XXXX",
        "not-found": "/public/nowhere/",
        "verify": f"/verify/{_verifiable_code()}",
        "verify-missing": "/verify/ZZZZ-ZZZZ",
    }
    assert receipt, "the demo street has opinions with receipts"
    return pages


@pytest.mark.parametrize("mode", MODES)
def test_public_pages_pass_axe_and_fit_a_phone(phone, demo, mode):
    failures = {}
    for name, path in public_pages().items():
        response = phone.goto(_with_mode(path, mode))
        assert response.status in (200, 404), (name, response.status)
        problems = axe_violations(phone)
        for width in (360, 390, 414):
            phone.set_viewport_size({"width": width, "height": 844})
            size = horizontal_overflow(phone)
            if size["scroll"] > size["client"]:
                problems.append(f"scrolls sideways at {width} px: {size}")
        phone.set_viewport_size({"width": 390, "height": 844})
        shot(phone, f"phone-{mode}-{name}")
        if problems:
            failures[name] = problems
    assert failures == {}


def test_public_pages_on_a_desktop_pass_axe(page, demo):
    """The same pages at office-screen width, where the board has two columns."""
    failures = {}
    for mode in MODES:
        for name in ("community", "compound", "opinion"):
            page.goto(_with_mode(public_pages()[name], mode))
            problems = axe_violations(page)
            shot(page, f"desktop-{mode}-{name}")
            if problems:
                failures[f"{mode}/{name}"] = problems
    assert failures == {}


def test_lobby_display_in_both_sizes_passes_axe(page, demo):
    page.set_viewport_size({"width": 1920, "height": 1080})
    # Without motion the slides appear at once, so axe reads their colours, not a fade-in.
    page.emulate_media(reduced_motion="reduce")
    sizes = {}
    for mode in MODES:
        page.goto(_with_mode("/public/yinzhu/shuangzhu/display", mode))
        assert axe_violations(page) == []
        sizes[mode] = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.slide-title')).fontSize)")
        # Every slide the screen rotates through fits its box, down to the date line.
        cut = page.evaluate("""() => { const slide = document.querySelector('#slide'), cut = [];
            for (const tpl of document.querySelectorAll('#slide-store template')) {
              slide.replaceChildren(tpl.content.cloneNode(true));
              const last = slide.querySelector('.slide-dates') || slide.querySelector('.slide-rank');
              if (last && last.getBoundingClientRect().bottom > slide.getBoundingClientRect().bottom)
                cut.push(slide.querySelector('.slide-title').textContent); }
            return cut; }""")
        assert cut == [], (mode, cut)
        shot(page, f"display-{mode}")
    assert sizes["elder"] >= 1.25 * sizes["standard"], sizes


ELDER_MEASURE = """() => {
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('[aria-hidden=true], .hp'); };
  const text = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !visible(el)) continue;
    const s = getComputedStyle(el);
    const lh = s.lineHeight === 'normal' ? 1.2 * parseFloat(s.fontSize) : parseFloat(s.lineHeight);
    text.push({tag: el.tagName, cls: el.className, text: node.textContent.trim().slice(0, 20),
               size: parseFloat(s.fontSize), ratio: lh / parseFloat(s.fontSize)});
  }
  const targets = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')) {
    if (!visible(el) || el.classList.contains('skip-link')) continue;
    const r = el.getBoundingClientRect();
    targets.push({tag: el.tagName, text: (el.innerText || el.name || '').trim().slice(0, 20),
                  width: Math.round(r.width), height: Math.round(r.height)});
  }
  const main = getComputedStyle(document.body);
  return {body: parseFloat(main.fontSize), text, targets};
}"""


def test_elder_mode_type_spacing_and_tap_targets(phone, demo):
    """长辈版 on every public page: the body text 24 px (18 pt) and no text in the main
    part smaller, dates and labels included; lines at least 1.3 apart; every link,
    button and field at least 60 × 60 px."""
    bad = {}
    for name, path in public_pages().items():
        phone.goto(_with_mode(path, "elder"))
        m = phone.evaluate(ELDER_MEASURE)
        problems = []
        if m["body"] < 24:
            problems.append(f"body text {m['body']} px")
        problems += [f"text {t} too small" for t in m["text"] if t["size"] < 24]
        problems += [f"text {t} lines too close" for t in m["text"] if t["ratio"] < 1.3]
        problems += [f"target {t}" for t in m["targets"] if t["width"] < 60 or t["height"] < 60]
        if problems:
            bad[name] = problems
    assert bad == {}


def test_standard_board_is_smaller_than_elder(phone, demo):
    """The switch really changes something a reader sees: same page, bigger type."""
    sizes = {}
    for mode in MODES:
        phone.goto(_with_mode("/public/yinzhu/shuangzhu/", mode))
        sizes[mode] = phone.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert sizes["standard"] < 20 <= 24 <= sizes["elder"]
    # The measurement the 长辈版 test relies on does catch the standard board's small
    # type and small links.
    phone.goto("/public/yinzhu/shuangzhu/")
    m = phone.evaluate(ELDER_MEASURE)
    assert any(t["size"] < 24 for t in m["text"]) and any(t["height"] < 60 for t in m["targets"])


def test_elder_switch_and_links_keep_the_mode(phone, demo):
    phone.goto("/public/yinzhu/shuangzhu/")
    switch = phone.locator("header .mode-switch")
    assert switch.inner_text() == "长辈版（大字）"
    switch.click()
    assert "mode=elder" in phone.url
    assert phone.locator("body.elder").count() == 1
    # The key actions come first in the main text, before any notice list.
    first = phone.locator("main > h1 + nav.key-actions a").all_inner_texts()
    assert [re.sub(r"^\W+", "", t).strip() for t in first] == ["看通知公告", "红色管家电话", "我要提意见", "查询回执"]
    # Every public link on every page keeps the mode.
    for name, path in public_pages().items():
        phone.goto(_with_mode(path, "elder"))
        hrefs = phone.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("#") or not parts.path.startswith("/public/"):
                continue
            query = parse_qs(parts.query)
            if href == phone.locator("header .mode-switch").get_attribute("href"):
                assert "mode" not in query, (name, href)
            else:
                assert query.get("mode") == ["elder"], (name, href)
    # And back to the standard board.
    phone.goto("/public/yinzhu/shuangzhu/archive?q=物业&mode=elder")
    phone.locator("header .mode-switch").click()
    assert "mode" not in parse_qs(urlsplit(phone.url).query)
    assert parse_qs(urlsplit(phone.url).query)["q"] == ["物业"]
    assert phone.locator("body.elder").count() == 0


def test_elder_steward_phones_are_large_call_buttons(phone, demo):
    compound = db.session.scalar(select(Compound).where(Compound.name == "珠海一区"))
    phone.goto(f"/public/yinzhu/shuangzhu/{compound.id}/?mode=elder")
    phone.locator(".key-actions a", has_text="红色管家电话").click()
    calls = phone.locator("#cat-stewards a[href^='tel:']")
    assert calls.count() > 0
    box = calls.first.bounding_box()
    assert box["height"] >= 60 and box["width"] >= 300
    shot(phone, "phone-elder-stewards")


def test_community_page_is_light_on_a_slow_connection(phone, demo):
    """The first response of the community page, as the browser received it (brotli or
    gzip), is at most 30 KB."""
    phone.goto("/public/yinzhu/shuangzhu/?mode=elder")
    for mode in MODES:
        response = phone.goto(_with_mode("/public/yinzhu/shuangzhu/", mode))
        assert response.headers.get("content-encoding") in ("br", "gzip")
        sizes = phone.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                                    return {encoded: n.encodedBodySize, decoded: n.decodedBodySize}; }""")
        assert 0 < sizes["encoded"] <= 30 * 1024, sizes
        assert sizes["encoded"] < sizes["decoded"] / 3, sizes


def test_link_previews_make_sense_in_a_wechat_group(phone, demo):
    for name, path in public_pages().items():
        phone.goto(path)
        title = phone.title()
        description = phone.locator("meta[name=description]").get_attribute("content")
        og_title = phone.locator("meta[property='og:title']").get_attribute("content")
        og_description = phone.locator("meta[property='og:description']").get_attribute("content")
        assert "公示栏" in title and og_title == title, (name, title)
        assert 10 <= len(description) <= 120 and og_description == description, (name, description)
    phone.goto(public_pages()["notice"])
    assert "珠海一区物业服务收费标准" in phone.title()
    assert phone.locator("meta[name=description]").get_attribute("content").startswith("双珠路社区")


# --- staff pages ----------------------------------------------------------------------

def _staff_pages():
    from datetime import date

    from webapp.assessments.models import AssessmentRound, AssessmentSheet
    from webapp.meetings.models import Meeting

    meeting = db.session.scalar(select(Meeting).where(Meeting.title == "恒安福苑民情恳谈会"))
    sheet = db.session.scalar(select(AssessmentSheet).join(AssessmentRound)
                              .join(Compound, Compound.id == AssessmentSheet.compound_id)
                              .where(AssessmentRound.month == date(2026, 11, 1), Compound.name == "珠海一区"))
    return {
        "dashboard": "/",
        "list": "/compounds/",
        "meeting": f"/meetings/{meeting.id}",
        "scoring": f"/assessments/sheets/{sheet.id}/score",
    }


def test_staff_pages_pass_axe(page, demo):
    page.login("street_admin")
    failures = {}
    for name, path in _staff_pages().items():
        assert page.goto(path).status == 200, name
        problems = axe_violations(page)
        shot(page, f"staff-{name}")
        if problems:
            failures[name] = problems
    # A form with errors: a company saved with nothing filled in.
    page.goto("/companies/new")
    page.locator("main form button[type=submit]").first.click()
    assert page.locator(".field.has-error").count() > 0
    problems = axe_violations(page)
    shot(page, "staff-form-errors")
    if problems:
        failures["form-errors"] = problems
    assert failures == {}


def test_staff_form_errors_are_tied_to_their_fields(page, demo):
    page.login("street_admin")
    page.goto("/companies/new")
    page.locator("main form button[type=submit]").first.click()
    fields = page.locator(".field.has-error :is(input, select, textarea)")
    assert fields.count() > 0
    for i in range(fields.count()):
        field = fields.nth(i)
        assert field.get_attribute("aria-invalid") == "true"
        ids = field.get_attribute("aria-describedby").split()
        messages = " ".join(page.locator(f"[id='{x}']").inner_text() for x in ids)
        assert messages.strip(), field.get_attribute("name")


def test_staff_pages_from_the_keyboard(page, demo):
    """The first Tab lands on a skip link that takes focus past the navigation; focus is
    always drawn; the score total HTMX updates is read out by the live region."""
    page.login("street_admin")
    pages = _staff_pages()
    page.goto(pages["dashboard"])
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "跳到正文"
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # On a list page, past the skip link the next Tab is the first control inside the
    # page, not the navigation; its focus ring shows.
    page.goto(pages["list"])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), inMain: !!document.activeElement.closest('main')}; }""")
    assert style["inMain"] and style["outline"] != "none" and style["width"] >= 2, style
    # Scoring: the new total is read out through the page's live region.
    page.goto(pages["scoring"])
    assert page.locator("#live-status").inner_text() == ""
    field = page.locator("form.score-form input[type=number]").first
    field.fill("2")
    page.wait_for_function("() => document.querySelector('#live-status').textContent.includes('当前合计')")
    assert page.locator("#live-status").inner_text() == page.locator("#score-total .grand").inner_text()
    assert page.evaluate("() => document.getElementById('live-status').getAttribute('aria-live')") == "polite"


def test_axe_is_really_checking(phone, demo):
    """The checker itself: on a public page with an unlabelled field and low-contrast
    text added, it reports both (so a clean result above means something)."""
    phone.goto("/public/yinzhu/shuangzhu/?mode=elder")
    phone.evaluate("""() => { const m = document.querySelector('main');
        m.insertAdjacentHTML('beforeend', '<input type="text" name="x"><p style="color:#ccc;background:#fff">浅色字</p>'); }""")
    ids = " ".join(axe_violations(phone))
    assert "label" in ids and "color-contrast" in ids, ids
