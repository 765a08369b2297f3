"""Helpers for the residents' browser tests: axe-core run inside the page, the two board
modes, screenshots.

axe-core is vendored (tests/browser/vendor; version and sha256 in static/vendor/
VERSIONS.txt) and evaluated through the DevTools protocol (`page.evaluate`), which the
app's CSP (script-src 'self') does not govern: the page is checked under its real CSP,
no `bypass_csp` needed, and nothing is loaded from the internet."""
import os
from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Exceptions to the zero-violations rule, each with its reason. None today.
ALLOWED = {}
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
             "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 "
             "MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI "
             "Language/zh_CN ABI/arm64")
MODES = {"standard": "", "elder": "mode=elder"}
SHOTS = os.environ.get("SCREENSHOT_DIR")


def with_mode(path, mode):
    """The path in that mode: `?mode=elder` added (before any #anchor) for 长辈版."""
    query = MODES[mode]
    if not query:
        return path
    base, _, anchor = path.partition("#")
    return base + ("&" if "?" in base else "?") + query + (f"#{anchor}" if anchor else "")


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, minus ALLOWED."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    result = page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                      resultTypes: ['violations']})""", WCAG_TAGS)
    found = []
    for v in result["violations"]:
        if v["id"] in ALLOWED:
            continue
        targets = [n["target"] for n in v["nodes"]][:5]
        found.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return found


def horizontal_overflow(page):
    return page.evaluate("""() => {
        const d = document.documentElement;
        return {scroll: d.scrollWidth, client: d.clientWidth};
    }""")


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
