"""Cross-appointments: create, edit, end, scope, the gap view and the Excel export."""
import io

from openpyxl import load_workbook
from sqlalchemy import func, select

import conftest
from webapp.appointments.models import CrossAppointment
from webapp.audit.models import AuditLog
from webapp.companies.models import PropertyCompany
from webapp.clock import local_today
from webapp.compounds.models import Community, Compound, OwnersCommittee
from webapp.extensions import db
from webapp.people.models import Person
from webapp.structure.models import OrgUnit


def by_name(model, name):
    return db.session.scalar(select(model).where(model.name == name))


def count():
    return db.session.scalar(select(func.count()).select_from(CrossAppointment))


def post(client, url, data):
    return conftest.post(client, url, data, token_from="/appointments/")


def shuangzhu_appointment(**over):
    """郑德福 of 恒安物业 joins 双珠路社区党委 for 恒安福苑 (closing that gap)."""
    data = {
        "person_id": str(by_name(Person, "郑德福").id),
        "direction": "company_in",
        "company_id": str(by_name(PropertyCompany, "恒安物业服务有限公司").id),
        "community_id": str(by_name(Community, "双珠路社区").id),
        "community_side": f"unit:{by_name(OrgUnit, '双珠路社区党委').id}",
        "compound_id": str(by_name(Compound, "恒安福苑").id),
        "home_role": "项目经理",
        "host_role": "社区党委兼职委员",
        "start_date": "2026-03-01",
        "end_date": "",
        "approval_document": "双珠党字〔2026〕4号",
    }
    data.update(over)
    return data


def jiyang_appointment(**over):
    """宋玉梅 of 济宁水景 joins 济阳示例一社区环物委 for 水景花苑 (济阳街道)."""
    data = {
        "person_id": str(by_name(Person, "宋玉梅").id),
        "direction": "company_in",
        "company_id": str(by_name(PropertyCompany, "济宁水景物业有限公司").id),
        "community_id": str(by_name(Community, "济阳示例一社区").id),
        "community_side": f"unit:{by_name(OrgUnit, '济阳示例一社区环物委').id}",
        "compound_id": str(by_name(Compound, "水景花苑").id),
        "home_role": "项目经理",
        "host_role": "环物委兼职委员",
        "start_date": "2026-03-01",
        "end_date": "",
        "approval_document": "济阳党发〔2026〕1号",
    }
    data.update(over)
    return data


def test_list_filters_by_company_and_compound(client, auth, fresh_demo):
    auth.login("jiyang_admin")
    fanhua = by_name(PropertyCompany, "泛华物业服务有限公司")
    html = client.get(f"/appointments/?company={fanhua.id}").get_data(as_text=True)
    assert "孙立华" in html and "陈志强" in html and "马春生" not in html
    assert "白建军" not in html  # 泛华's appointment in 离石 belongs to that street
    assert "物业企业：泛华物业服务有限公司" in html
    auth.logout()
    auth.login("street_admin")
    compound = by_name(Compound, "齐发小区")
    html = client.get(f"/appointments/?compound={compound.id}").get_data(as_text=True)
    assert "林海燕" in html and "孙立华" not in html
    active = client.get("/appointments/?status=active").get_data(as_text=True)
    assert "郑德福" not in active  # ended on 2024-12-31
    assert "郑德福" in client.get("/appointments/?status=ended").get_data(as_text=True)
    assert client.get("/appointments/?company=abc&status=<x>").status_code == 200
    assert client.get("/appointments/?company=99999999999999999999").status_code == 200
    assert client.get("/appointments/99999999999999999999/edit").status_code == 404


def test_staff_see_only_their_communitys_appointments(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    html = client.get("/appointments/").get_data(as_text=True)
    assert "林海燕" in html and "孙立华" not in html
    other = db.session.scalar(select(CrossAppointment).where(CrossAppointment.approval_document == "济阳党发〔2024〕5号"))
    assert client.get(f"/appointments/{other.id}/edit").status_code == 404
    assert post(client, f"/appointments/{other.id}/end", {"end_date": "2026-01-01"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(CrossAppointment, other.id).end_date is None


def test_create_closes_a_gap(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    gaps = client.get("/appointments/gaps").get_data(as_text=True)
    assert "恒安福苑" in gaps.split("尚无交叉任职的小区")[1].split("</table>")[0]
    assert "济阳" not in gaps and "泛华盛世" not in gaps  # other streets' compounds stay hidden
    r = post(client, "/appointments/new", shuangzhu_appointment())
    assert r.status_code == 303
    created = db.session.scalar(select(CrossAppointment).where(CrossAppointment.approval_document == "双珠党字〔2026〕4号"))
    assert created.person.name == "郑德福" and created.org_unit.name == "双珠路社区党委"
    assert created.street_id == created.community.street_id
    gaps = client.get("/appointments/gaps").get_data(as_text=True)
    assert "恒安福苑" not in gaps.split("尚无交叉任职的小区")[1].split("</table>")[0]
    assert "恒安物业服务有限公司" not in gaps.split("没有任何在任交叉任职的物业企业")[1].split("</table>")[0]


def test_bad_input_gets_field_messages_and_writes_nothing(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    before = count()
    cases = [
        (dict(approval_document=""), "请填写批准文件文号"),
        (dict(approval_document="文" * 201), "批准文件最多 200 个字"),
        (dict(home_role=""), "请填写本方职务"),
        (dict(host_role="<b>委员</b>"), "不能包含"),
        (dict(start_date=""), "请填写开始日期"),
        (dict(start_date="2026-13-01"), "不是有效的日期值"),
        (dict(end_date="2026-02-01"), "结束日期不能早于开始日期"),
        (dict(end_date="9999-01-01"), "2099-12-31"),
        (dict(person_id=""), "请选择任职人员"),
        (dict(community_side="planet:1"), "请从列表中选择社区侧组织"),
        (dict(direction="sideways"), "不是有效的选择"),
        (dict(compound_id="x"), "请从列表中选择"),
    ]
    for over, message in cases:
        r = post(client, "/appointments/new", shuangzhu_appointment(**over))
        assert r.status_code == 422, over
        assert message in r.get_data(as_text=True), over
    assert count() == before


def test_street_admin_gets_a_message_when_sides_are_in_different_communities(client, auth, fresh_demo):
    auth.login("jiyang_admin")  # a street with several communities
    before = count()
    r = post(client, "/appointments/new", jiyang_appointment(compound_id=str(by_name(Compound, "济阳二社区示例小区3").id)))
    assert r.status_code == 422 and "该小区不属于所选社区" in r.get_data(as_text=True)
    r = post(client, "/appointments/new", jiyang_appointment(
        community_side=f"committee:{by_name(OwnersCommittee, '济阳二社区示例小区3业主委员会').id}"))
    assert r.status_code == 422 and "该组织不属于所选社区" in r.get_data(as_text=True)
    assert count() == before
    assert post(client, "/appointments/new", jiyang_appointment()).status_code == 303


def test_ids_outside_scope_answer_404(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    before = count()
    fanhua = by_name(PropertyCompany, "泛华物业服务有限公司")  # serves no 双珠路 compound
    assert post(client, "/appointments/new", shuangzhu_appointment(company_id=str(fanhua.id))).status_code == 404
    jiyang = by_name(Community, "济阳示例一社区")
    assert post(client, "/appointments/new", shuangzhu_appointment(community_id=str(jiyang.id))).status_code == 404
    unit = by_name(OrgUnit, "济阳示例一社区环物委")
    assert post(client, "/appointments/new", shuangzhu_appointment(community_side=f"unit:{unit.id}")).status_code == 404
    assert count() == before


def test_edit_with_stale_version_and_end(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    a = db.session.scalar(select(CrossAppointment).where(CrossAppointment.approval_document == "双珠党字〔2025〕7号"))
    form = client.get(f"/appointments/{a.id}/edit").get_data(as_text=True)
    assert "双珠党字〔2025〕7号" in form and "结束此交叉任职" in form
    data = shuangzhu_appointment(
        person_id=str(a.person_id), company_id=str(a.company_id), community_side=f"committee:{a.committee_id}",
        compound_id=str(a.compound_id), home_role="项目经理", host_role="业委会党支部副书记",
        start_date="2025-01-01", approval_document="双珠党字〔2025〕7号", version=str(a.version))
    assert post(client, f"/appointments/{a.id}/edit", data).status_code == 303
    r = post(client, f"/appointments/{a.id}/edit", {**data, "host_role": "另一个职务"})
    assert r.status_code == 409 and "已被他人修改" in r.get_data(as_text=True)
    r = post(client, f"/appointments/{a.id}/end", {"end_date": "2024-12-31"})
    assert r.status_code == 422 and "结束日期不能早于开始日期" in r.get_data(as_text=True)
    r = post(client, f"/appointments/{a.id}/end", {"end_date": local_today().isoformat()})
    assert r.status_code == 303
    db.session.expire_all()
    a = db.session.get(CrossAppointment, a.id)
    assert a.host_role == "业委会党支部副书记" and a.end_date == local_today()
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "end", AuditLog.entity_id == a.id)) is not None


def test_gap_view_for_the_street(client, auth, fresh_demo):
    def gaps(account):
        auth.login(account)
        html = client.get("/appointments/gaps").get_data(as_text=True)
        auth.logout()
        return {part: html.split(title)[1].split("</table>")[0] for part, title in (
            ("compounds", "尚无交叉任职的小区"), ("companies", "没有任何在任交叉任职的物业企业"),
            ("committees", "党员比例低于 50%"))}

    yinzhu = gaps("street_admin")
    assert "恒安福苑" in yinzhu["compounds"] and "珠海二区" in yinzhu["compounds"]
    assert "<td>齐发小区</td>" not in yinzhu["compounds"]  # 林海燕 on its 业委会
    assert "水景花苑" not in yinzhu["compounds"]  # another street's
    assert "恒安物业服务有限公司" in yinzhu["companies"] and "热诚物业管理有限公司" not in yinzhu["companies"]
    assert "职业中专家属楼自管会" in yinzhu["committees"] and "33%" in yinzhu["committees"]
    assert "珠海一区红色业主委员会" not in yinzhu["committees"]  # 4 of 7
    jiyang = gaps("jiyang_admin")
    assert "水景花苑" in jiyang["compounds"] and "济阳二社区示例老旧小区1" in jiyang["compounds"]
    for covered in ("济阳一社区示例老旧小区2", "济阳一社区示例小区4", "泛华盛世"):
        assert f"<td>{covered}</td>" not in jiyang["compounds"], covered
    assert "济宁水景物业有限公司" in jiyang["companies"] and "泛华物业服务有限公司" not in jiyang["companies"]
    assert "恒安物业服务有限公司" not in jiyang["companies"]
    assert "水景花苑业主委员会" in jiyang["committees"] and "22%" in jiyang["committees"]


def test_active_appointments_are_counted_up_to_a_cap(client, auth, fresh_demo, monkeypatch):
    """The gaps page and the structure page count the active appointments only so far."""
    from webapp.appointments import services

    auth.login("jiyang_admin")  # a street with several active appointments
    assert "在任的交叉任职共" in client.get("/appointments/gaps").get_data(as_text=True)
    monkeypatch.setattr(services, "ACTIVE_CAP", 1)
    assert "在任的交叉任职超过 1 条" in client.get("/appointments/gaps").get_data(as_text=True)
    assert "<strong>超过 1</strong> 条" in client.get("/structure/").get_data(as_text=True)


def test_export_follows_the_filters(client, auth, fresh_demo):
    auth.login("jiyang_admin")
    fanhua = by_name(PropertyCompany, "泛华物业服务有限公司")
    r = client.get(f"/appointments/export.xlsx?company={fanhua.id}")
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(r.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and rows[0][10] == "批准文件"
    assert sorted(row[0] for row in rows[1:]) == sorted(["孙立华", "陈志强"])  # not 离石's 孙立华 and 白建军
    assert sorted(row[10] for row in rows[1:]) == ["济阳党发〔2024〕5号", "济阳党发〔2024〕6号"]


def test_gaps_are_kept_per_account_until_a_write(client, auth, fresh_demo, kept_figures):
    """The gap figures stay with the account that asked (figures_cache): a second look
    reads fewer statements, another account sees its own place, and an appointment made
    closes the gap at the next look."""
    from conftest import look

    def listed(html):
        return html.split("尚无交叉任职的小区")[1].split("</table>")[0]

    auth.login("shuangzhu_staff")
    first, computed = look(client, "/appointments/gaps")
    again, reused = look(client, "/appointments/gaps")
    assert reused < computed
    assert listed(again) == listed(first) and "恒安福苑" in listed(first)
    auth.logout()
    auth.login("jiyang_admin")
    assert "恒安福苑" not in listed(client.get("/appointments/gaps").get_data(as_text=True))
    auth.logout()
    auth.login("shuangzhu_staff")
    assert post(client, "/appointments/new", shuangzhu_appointment()).status_code == 303
    assert "恒安福苑" not in listed(client.get("/appointments/gaps").get_data(as_text=True))
