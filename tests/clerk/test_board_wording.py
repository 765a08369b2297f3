"""The public board's wording: quarters in Chinese, scores in one format."""
import re

from sqlalchemy import select

from webapp.extensions import db


def _ranking():
    from webapp.assessments.models import QuarterRanking

    return db.session.scalars(select(QuarterRanking).where(QuarterRanking.published_at.is_not(None))
                              .order_by(QuarterRanking.quarter.desc())).first()


def test_ranking_heading_names_the_quarter_in_chinese(client, demo):
    ranking = _ranking()
    year, q = ranking.quarter.split("Q")
    label = f"{year}年第{'一二三四'[int(q) - 1]}季度"
    for url in ("/public/yinzhu/shuangzhu/", "/public/yinzhu/shuangzhu/display"):
        html = client.get(url).get_data(as_text=True)
        assert label in html, url
        assert re.search(r"\d{4}Q\d", html) is None, url


def test_scores_print_one_way(client, demo, auth):
    """Every score on the board and the ranking page has two decimals: 94.00 beside 91.67."""
    board = client.get("/public/yinzhu/shuangzhu/").get_data(as_text=True)
    cells = re.findall(r'<td class="num">([^<]*)</td>', board.split('id="cat-ranking"')[1])
    assert cells and all(re.fullmatch(r"\d+\.\d\d", c) for c in cells), cells
    display = client.get("/public/yinzhu/shuangzhu/display").get_data(as_text=True)
    shown = re.findall(r"<td>第\d+名</td><td>[^<]*</td><td>([^<]*)</td>", display)
    assert shown and all(re.fullmatch(r"\d+\.\d\d", c) for c in shown), shown
    auth.login()
    page = client.get(f"/assessments/ranking?quarter={_ranking().quarter}").get_data(as_text=True)
    strong = re.findall(r'<td class="num"><strong>([^<]*)</strong>', page)
    assert strong and all(re.fullmatch(r"\d+\.\d\d", c) for c in strong), strong
