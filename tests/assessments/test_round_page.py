"""The round page shows one page of its sheets (issue 13: a round has a sheet per compound,
10,000 in a city), found by company or compound name and by state, with the round's totals
and the top of its company ranking."""
from webapp.extensions import db


def test_the_round_page_shows_a_page_of_sheets_found_by_name_and_state(client, auth, factory):
    from webapp.assessments.models import SheetScore
    from webapp.assessments.views.rounds import RANKING_TOP, SHEETS_PAGE

    community = factory.community("甲社区")
    for i in range(SHEETS_PAGE + 5):
        factory.compound(community, f"分页小区{i:03d}", company=factory.company(f"分页物业{i:03d}有限公司"))
    rnd = factory.assessment_round()
    boss = factory.user("boss", role="street_admin")
    sheets = sorted(rnd.sheets, key=lambda s: s.id)
    db.session.add_all([SheetScore(sheet=sheets[0], scorer=boss, status="submitted", total=9.5),
                        SheetScore(sheet=sheets[1], scorer=boss, status="assigned")])
    db.session.commit()
    auth.login("boss")
    html = client.get(f"/assessments/rounds/{rnd.id}").get_data(as_text=True)
    assert html.count("空白表</a>") == SHEETS_PAGE
    assert f"共 {SHEETS_PAGE + 5} 张：已评分 1 张，有评分人未提交 0 张，尚未评分 {SHEETS_PAGE + 4} 张" in html
    assert "第 1 / 2 页" in html
    second = client.get(f"/assessments/rounds/{rnd.id}?page=2").get_data(as_text=True)
    assert second.count("空白表</a>") == 5
    found = client.get(f"/assessments/rounds/{rnd.id}?q=分页小区007").get_data(as_text=True)
    assert found.count("空白表</a>") == 1 and "分页小区007" in found
    scored = client.get(f"/assessments/rounds/{rnd.id}?state=scored").get_data(as_text=True)
    assert scored.count("空白表</a>") == 1 and sheets[0].compound.name in scored
    unscored = client.get(f"/assessments/rounds/{rnd.id}?state=unscored&q=分页小区00").get_data(as_text=True)
    assert unscored.count("空白表</a>") == 10 - (sheets[0].compound.name.startswith("分页小区00"))
    assert client.get(f"/assessments/rounds/{rnd.id}?state=junk&page=junk").status_code == 200
    assert "暂定排名" in html and "9.5" in html
    assert RANKING_TOP >= 1
