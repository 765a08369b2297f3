""""Active on a day" is one rule (models_base.Tenure): the dashboard's 在任交叉任职, the
structure page's 在任 N 条 and each unit's count agree, for appointments that begin
tomorrow or next month, end tomorrow and ended yesterday. (The dashboard used to count `end_date IS
NULL`: it counted the two not yet begun and missed the one with an end date to come.)"""
import re
from datetime import timedelta

from sqlalchemy import select

from webapp.appointments.models import CrossAppointment
from webapp.clock import local_today
from webapp.companies.models import PropertyCompany
from webapp.compounds.models import Community
from webapp.extensions import db
from webapp.people.models import Person, Position
from webapp.structure.models import OrgUnit


def by_name(model, name):
    return db.session.scalar(select(model).where(model.name == name))


def figures(client):
    dashboard = client.get("/").get_data(as_text=True)
    structure = client.get("/structure/").get_data(as_text=True)
    on_dashboard = int(re.search(r'<span class="num">(\d+)</span><span class="lbl">在任交叉任职', dashboard).group(1))
    on_structure = int(re.search(r"交叉任职：在任 <a [^>]*><strong>(\d+)</strong>", structure).group(1))
    return on_dashboard, on_structure


def test_dashboard_and_structure_page_count_the_same_appointments(client, auth, fresh_demo):
    auth.login("street_admin")
    before = figures(client)
    assert before[0] == before[1]
    today = local_today()
    unit = by_name(OrgUnit, "双珠路社区环物委")
    common = dict(person=by_name(Person, "郑德福"), direction="company_in",
                  company=by_name(PropertyCompany, "恒安物业服务有限公司"), community=by_name(Community, "双珠路社区"),
                  org_unit=unit, home_role="项目经理", host_role="兼职委员", approval_document="测试〔2026〕1号")
    terms = {"begins tomorrow": (today + timedelta(days=1), None),
             "begins next month": (today + timedelta(days=31), None),
             "ends tomorrow": (today - timedelta(days=30), today + timedelta(days=1)),
             "ended yesterday": (today - timedelta(days=30), today - timedelta(days=1))}
    rows = {k: CrossAppointment(start_date=start, end_date=end, **common) for k, (start, end) in terms.items()}
    db.session.add_all(rows.values())
    db.session.commit()

    assert [k for k, a in rows.items() if a.active_on(today)] == ["ends tomorrow"]
    active_ids = set(db.session.scalars(select(CrossAppointment.id).where(CrossAppointment.active(today))))
    assert {a.id for a in rows.values()} & active_ids == {rows["ends tomorrow"].id}
    assert figures(client) == (before[0] + 1, before[1] + 1)


def test_a_position_is_active_from_its_first_to_its_last_day(fresh_demo):
    today = local_today()
    person = by_name(Person, "郑德福")
    for start, end, active in ((today, today, True), (today + timedelta(days=1), None, False),
                               (today - timedelta(days=9), today - timedelta(days=1), False)):
        position = Position(person=person, role="委员", org_unit=by_name(OrgUnit, "双珠路社区环物委"),
                            start_date=start, end_date=end)
        db.session.add(position)
        db.session.commit()
        in_sql = db.session.scalar(select(Position.id).where(Position.id == position.id, Position.active(today)))
        assert position.active_on(today) is active and (in_sql is not None) is active
