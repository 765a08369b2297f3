"""Who sees what: interim results only for the street admin, companies only their own
closed sheets, representatives only the sheets they are asked to fill. Read-only (demo)."""
from datetime import date

from sqlalchemy import select

from webapp.assessments.models import AssessmentRound, AssessmentSheet
from webapp.compounds.models import Compound, Street
from webapp.extensions import db


def sheet_id(month, compound):
    return db.session.scalar(select(AssessmentSheet.id).join(AssessmentRound).join(Compound, Compound.id == AssessmentSheet.compound_id)
                             .where(AssessmentRound.month == month, Compound.name == compound))


def street_id(name="隐珠街道"):
    return db.session.scalar(select(Street.id).where(Street.name == name))


def round_id(month, street="隐珠街道"):
    return db.session.scalar(select(AssessmentRound.id).where(AssessmentRound.month == month,
                                                              AssessmentRound.street_id == street_id(street)))


NOV, OCT = date(2026, 11, 1), date(2026, 10, 1)


def test_company_user_sees_only_its_own_closed_results(client, auth, demo):
    auth.login("company_manager")  # 泛华物业
    html = client.get("/assessments/").get_data(as_text=True)
    assert "本企业考核结果" in html
    assert "济阳一社区示例老旧小区2" in html and "济阳二社区示例老旧小区1" in html  # its compounds in 济阳
    for other in ("恒安福苑", "水景花苑", "颐海苑", "东城嘉园"):
        assert other not in html
    assert "2026年11月考核" not in html  # the open month is not shown yet
    assert client.get(f"/assessments/sheets/{sheet_id(OCT, '恒安福苑')}").status_code == 404
    assert client.get(f"/assessments/sheets/{sheet_id(NOV, '济阳一社区示例老旧小区2')}").status_code == 404
    own = client.get(f"/assessments/sheets/{sheet_id(OCT, '济阳一社区示例老旧小区2')}").get_data(as_text=True)
    assert "综合得分" in own and "96" in own
    assert client.get("/assessments/ranking?quarter=2026Q3").status_code == 403
    assert client.get(f"/assessments/rounds/{round_id(OCT, '济阳街道')}").status_code == 403


def test_resident_rep_sees_only_assigned_sheets(client, auth, demo):
    auth.login("resident_rep")
    html = client.get("/assessments/").get_data(as_text=True)
    assert "请您填写的考核表" in html
    assert "珠海一区" in html and "恒安福苑" in html and "齐发小区" in html
    assert "水景花苑" not in html and "颐海苑" not in html
    assert "待填写" in html  # 恒安福苑 and 齐发小区 in November
    assert client.get(f"/assessments/sheets/{sheet_id(NOV, '水景花苑')}").status_code == 404
    assert client.get(f"/assessments/sheets/{sheet_id(NOV, '恒安福苑')}/score").status_code == 200
    assert client.get(f"/assessments/sheets/{sheet_id(NOV, '水景花苑')}/score").status_code == 404
    page = client.get(f"/assessments/sheets/{sheet_id(NOV, '珠海一区')}").get_data(as_text=True)
    assert "居民代表 赵清华" in page
    assert "隐珠街道物业办 王主任" not in page  # other scorers' results are not shown to the rep
    assert "综合得分" not in page


def test_interim_results_only_for_the_street_admin(client, auth, demo):
    nov = round_id(NOV)
    auth.login("street_admin")
    html = client.get(f"/assessments/rounds/{nov}").get_data(as_text=True)
    assert "暂定排名（仅街道管理员可见" in html and "综合得分" in html
    interim = client.get("/assessments/ranking?quarter=2026Q4&interim=1").get_data(as_text=True)
    assert "含未关闭月份的暂定结果" in interim and "11月" in interim
    auth.logout()

    auth.login("shuangzhu_staff")
    html = client.get(f"/assessments/rounds/{nov}").get_data(as_text=True)
    assert "暂定排名" not in html and "综合得分" not in html
    assert "恒安福苑" in html and "水景花苑" not in html  # only its own street's and community's sheets
    ranking = client.get("/assessments/ranking?quarter=2026Q4&interim=1").get_data(as_text=True)
    assert "暂定结果" not in ranking
    assert "已计入月份：10月" in ranking  # November (open) is not counted
    # a community cadre opening a sheet another cadre scored sees only their own filling while open
    page = client.get(f"/assessments/sheets/{sheet_id(NOV, '珠海一区')}").get_data(as_text=True)
    assert "王主任" not in page and "赵清华" not in page


def test_ranking_page_states_rules_prizes_and_exit_flag(client, auth, demo):
    auth.login("jiyang_staff")
    html = client.get("/assessments/ranking?quarter=2026Q3").get_data(as_text=True)
    assert "并列规则" in html and "最低月度得分" in html
    assert "一等奖</span> 5000 元" in html and "二等奖" in html and "三等奖" in html
    # 济阳's five companies (jiyang_staff works in 济阳); 隐珠's are not ranked here.
    assert html.index("泛华物业服务有限公司") < html.index("热诚物业管理有限公司") < html.index("任城安泰物业服务有限公司")
    assert "隐珠安居物业管理有限公司" not in html
    assert "列入退出机制" in html
    exit_part = html[html.index("<h2>退出机制</h2>"):]
    assert "济宁水景物业有限公司" in exit_part and "2026年7月、2026年8月、2026年9月" in exit_part
    # 任城安泰 was bottom three only twice running (August, September): not flagged
    row = html[html.index("任城安泰物业服务有限公司"):]
    row = row[:row.index("</tr>")]
    assert "列入退出机制" not in row and "连续倒数三名 2 次" in row
    assert "<svg" in html and "polyline" in html  # the printable trend


def test_published_rankings_contract(demo):
    from webapp.assessments.services import published_rankings

    published = published_rankings(street_id=street_id("济阳街道"))
    assert [p.quarter for p in published] == ["2026Q3"]
    first = published[0].rows[0]
    assert first["rank"] == 1 and first["company_name"] == "泛华物业服务有限公司"
    assert first["prize"] == "一等奖" and first["prize_amount"] == 5000 and first["score"] == 94.0
    assert published[0].published_at is not None
    assert published_rankings(limit=1, street_id=street_id("济阳街道"))[0].quarter == "2026Q3"
    # Each street publishes its own ranking: 隐珠's three companies, 热诚 first there.
    yinzhu = published_rankings(street_id=street_id())[0].rows
    assert [r["company_name"] for r in yinzhu] == ["热诚物业管理有限公司", "隐珠安居物业管理有限公司", "恒安物业服务有限公司"]
