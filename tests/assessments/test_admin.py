"""The street admin's work: template versions, live totals, opening rounds, prizes, publishing."""
from sqlalchemy import func, select

from conftest import csrf_from
from webapp.assessments.models import AssessmentRound, AssessmentTemplate, QuarterRanking
from webapp.assessments.services import published_rankings
from webapp.compounds.models import Street
from webapp.extensions import db

FIVE_PLUS_THREE = "红色物业“5+3”考核表"
PARTY = "党建引领考核（30分）"


def street_id(name="隐珠街道"):
    return db.session.scalar(select(Street.id).where(Street.name == name))


def template(name, revision=1, street="隐珠街道"):
    """A template of the street (street_admin's by default): each street has its own."""
    return db.session.scalar(select(AssessmentTemplate).where(AssessmentTemplate.name == name,
                                                              AssessmentTemplate.revision == revision,
                                                              AssessmentTemplate.street_id == street_id(street)))


def edit_data(t, token, **points):
    data = {"csrf_token": token, "version": str(t.version), "name": t.name, "note": t.note}
    for section in t.sections:
        data[f"section_{section.id}"] = section.title
    for item in t.items:
        i = item.id
        data.update({f"title_{i}": item.title, f"full_{i}": str(points.get(item.title, item.full_points)),
                     f"rule_{i}": item.rule, f"per_{i}": str(item.per_finding), f"floor_{i}": str(item.floor),
                     f"guidance_{i}": item.guidance})
    return data


def test_a_template_in_use_is_frozen_and_revised_as_a_new_version(client, auth, fresh_demo):
    auth.login("street_admin")
    old = template(FIVE_PLUS_THREE)
    r = client.get(f"/assessments/templates/{old.id}/edit")
    assert r.status_code == 303
    assert "已冻结" in client.get(r.headers["Location"]).get_data(as_text=True)
    token = auth.csrf(f"/assessments/templates/{old.id}")
    r = client.post(f"/assessments/templates/{old.id}/revise", data={"csrf_token": token})
    assert r.status_code == 303
    new = template(FIVE_PLUS_THREE, 2)
    assert new is not None and [i.title for i in new.items] == [i.title for i in old.items]
    # change 垃圾当日清 from 15 to 20 points in the new version
    data = edit_data(new, token, 垃圾当日清=20)
    r = client.post(f"/assessments/templates/{new.id}/edit", data=data)
    assert r.status_code == 303
    db.session.expire_all()
    assert template(FIVE_PLUS_THREE, 2).total_points == 105
    assert template(FIVE_PLUS_THREE, 1).total_points == 100  # the version in use is unchanged
    assert template(FIVE_PLUS_THREE, 1).items[0].full_points == 15


def test_live_total_while_editing(client, auth, fresh_demo):
    auth.login("street_admin")
    t = template(PARTY)
    page = client.get(f"/assessments/templates/{t.id}/edit").get_data(as_text=True)
    assert "满分合计：<strong data-total>30</strong>" in page
    data = edit_data(t, csrf_from(page), 物业服务人员中的党员=10)
    r = client.post(f"/assessments/templates/{t.id}/total", data=data, headers={"HX-Request": "true"})
    html = r.get_data(as_text=True)
    assert "满分合计：<strong data-total>34</strong>" in html and "一、组织建设（10分）：<strong>14</strong>" in html
    db.session.expire_all()
    assert template(PARTY).total_points == 30  # the preview saves nothing


def test_template_edit_rejects_bad_points(client, auth, fresh_demo):
    auth.login("street_admin")
    t = template(PARTY)
    token = auth.csrf(f"/assessments/templates/{t.id}/edit")
    data = edit_data(t, token, 物业服务人员中的党员=-3)
    floor_item = t.items[0]
    data[f"floor_{floor_item.id}"] = "9"  # above its 4 full points
    r = client.post(f"/assessments/templates/{t.id}/edit", data=data)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "满分应在 0.5 至 100 分之间" in html and "最低分必须小于满分" in html
    db.session.expire_all()
    assert template(PARTY).total_points == 30


def test_add_and_delete_items(client, auth, fresh_demo):
    auth.login("street_admin")
    t = template(PARTY)
    token = auth.csrf(f"/assessments/templates/{t.id}/edit")
    r = client.post(f"/assessments/templates/{t.id}/items", data={
        "csrf_token": token, "add-section_id": "new", "add-new_section": "四、红色管家（5分）",
        "add-title": "楼道红管家覆盖", "add-full_points": "5"})
    assert r.status_code == 303
    db.session.expire_all()
    t = template(PARTY)
    assert t.total_points == 35 and t.sections[-1].title == "四、红色管家（5分）"
    item = t.sections[-1].items[0]
    r = client.post(f"/assessments/templates/{t.id}/items/{item.id}/delete", data={"csrf_token": token})
    assert r.status_code == 303
    db.session.expire_all()
    assert template(PARTY).total_points == 30 and len(template(PARTY).sections) == 3


def test_open_a_round_for_every_company_and_compound(client, auth, fresh_demo):
    auth.login("street_admin")
    token = auth.csrf("/assessments/")
    t = template(PARTY)
    data = {"csrf_token": token, "month": "2026-12", "template_id": str(t.id), "cadre_weight": "0.6", "rep_weight": "0.4"}
    r = client.post("/assessments/rounds", data=data)
    assert r.status_code == 303
    rnd = db.session.scalar(select(AssessmentRound).order_by(AssessmentRound.month.desc()).limit(1))
    # 隐珠's four served compounds, none of another street's.
    assert rnd.title == "2026年12月考核" and len(rnd.sheets) == 4 and rnd.cadre_weight == 0.6
    assert {s.company.name for s in rnd.sheets} == {"隐珠安居物业管理有限公司", "热诚物业管理有限公司", "恒安物业服务有限公司"}
    assert rnd.street_id == street_id()
    r = client.post("/assessments/rounds", data=data)
    assert r.status_code == 422 and "该月份的考核已经存在" in r.get_data(as_text=True)
    r = client.post("/assessments/rounds", data=dict(data, month="2027-01", cadre_weight="0", rep_weight="0"))
    assert r.status_code == 422 and "权重不能都为 0" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AssessmentRound)
                             .where(AssessmentRound.street_id == street_id())) == 6
    # 济阳's admin opens the same month for 济阳: its own 20 sheets.
    auth.logout()
    auth.login("jiyang_admin")
    token = auth.csrf("/assessments/")
    jiyang_party = template(PARTY, street="济阳街道")
    r = client.post("/assessments/rounds", data=dict(data, csrf_token=token, template_id=str(jiyang_party.id)))
    assert r.status_code == 303
    rnd = db.session.scalar(select(AssessmentRound).where(AssessmentRound.street_id == street_id("济阳街道"))
                            .order_by(AssessmentRound.month.desc()).limit(1))
    assert rnd.title == "2026年12月考核" and len(rnd.sheets) == 20
    assert {s.company.name for s in rnd.sheets} >= {"泛华物业服务有限公司", "济宁水景物业有限公司"}
    assert {s.compound.street_id for s in rnd.sheets} == {street_id("济阳街道")}


def test_prizes_and_publishing(client, auth, fresh_demo):
    auth.login("jiyang_admin")  # 济阳: five companies, prizes and the exit mechanism
    jiyang = street_id("济阳街道")
    token = auth.csrf("/assessments/ranking?quarter=2026Q3")
    # an incomplete quarter cannot be published
    r = client.post("/assessments/ranking/publish?quarter=2026Q4", data={"csrf_token": token})
    assert "尚未全部关闭" in client.get(r.headers["Location"]).get_data(as_text=True)
    assert [p.quarter for p in published_rankings(street_id=jiyang)] == ["2026Q3"]
    r = client.post("/assessments/ranking/prizes?quarter=2026Q4",
                    data={"csrf_token": token, "first_prize": "-5", "second_prize": "3000", "third_prize": "1000"})
    assert r.status_code == 422 and "金额应在 0 至 1000000 元之间" in r.get_data(as_text=True)
    r = client.post("/assessments/ranking/prizes?quarter=2026Q4",
                    data={"csrf_token": token, "first_prize": "8000", "second_prize": "4000", "third_prize": "1000"})
    assert r.status_code == 303
    assert db.session.scalar(select(QuarterRanking).where(QuarterRanking.quarter == "2026Q4",
                                                          QuarterRanking.street_id == jiyang)).first_prize == 8000
    assert db.session.scalar(select(QuarterRanking).where(QuarterRanking.quarter == "2026Q4",
                                                          QuarterRanking.street_id == street_id())).first_prize == 5000
    # Q3 again, from scratch: unpublish in the database, then publish through the page
    q3 = db.session.scalar(select(QuarterRanking).where(QuarterRanking.quarter == "2026Q3",
                                                        QuarterRanking.street_id == jiyang))
    q3.published_at, q3.snapshot = None, None
    db.session.commit()
    assert published_rankings(street_id=jiyang) == []
    assert [p.quarter for p in published_rankings(street_id=street_id())] == ["2026Q3"]  # 隐珠's stays
    r = client.post("/assessments/ranking/publish?quarter=2026Q3", data={"csrf_token": token, "confirm": "1"})
    assert "已发布到公示栏" in client.get(r.headers["Location"]).get_data(as_text=True)
    rows = published_rankings(street_id=jiyang)[0].rows
    assert [(row["rank"], row["prize"]) for row in rows[:3]] == [(1, "一等奖"), (2, "二等奖"), (3, "三等奖")]
    assert rows[-1]["company_name"] == "济宁水景物业有限公司" and rows[-1]["prize_amount"] == 0
