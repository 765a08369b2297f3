"""The charts are valid SVG with a title and a description, CJK text in a named font, and
a table of the same numbers beside them on the page."""
import re
import xml.etree.ElementTree as ET

import webapp.models  # noqa: F401  (every mapper before a domain module is imported)
from webapp.dashboard import charts
from webapp.pdf import SVG_FONT_FAMILY

from dashboard_world import street_world  # noqa: F401  (the fixture)

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup):
    return ET.fromstring(str(markup))


def test_a_line_chart_is_valid_svg_that_names_its_font_and_reads_out_its_values():
    svg = parse(charts.line_chart("c1", "近十二个月群众诉求", ["11月", "12月"], [("诉求", [3, None])], unit="件"))
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-t c1-d"
    assert svg.find(f"{SVG}title").text == "近十二个月群众诉求"
    assert svg.find(f"{SVG}desc").text == "诉求：11月3件，12月无数据"
    texts = svg.findall(f".//{SVG}text")
    assert texts and all(t.get("font-family") == SVG_FONT_FAMILY for t in texts)
    assert any(re.search(r"[\u4e00-\u9fff]", t.text or "") for t in texts)


def test_a_bar_chart_draws_one_bar_per_label_and_escapes_names():
    svg = parse(charts.bar_chart("c2", "各社区", ["双珠路社区", "<济阳>"], [4, 0]))
    bars = [r for r in svg.findall(f"{SVG}rect")][1:]  # the first is the background
    assert len(bars) == 2 and float(bars[1].get("width")) == 0
    assert "<济阳>" in {t.text for t in svg.findall(f".//{SVG}text")}


def test_axis_ticks_are_round():
    assert charts.axis(7) == (8, 2)
    assert charts.axis(112) == (125, 25)
    assert charts.axis(0) == (1, 1)


def test_every_chart_on_the_page_is_valid_svg_beside_its_table(client, auth, street_world):
    auth.login("dash_admin")
    page = client.get("/").get_data(as_text=True)
    boxes = re.findall(r'<figure class="chart-box">(.*?)</figure>', page, re.S)
    assert len(boxes) == 5
    for box in boxes:
        svg = parse(re.search(r"<svg.*?</svg>", box, re.S).group(0))
        assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
        assert "<caption>" in box and "<tbody>" in box
