"""The dashboard's SQL statement count does not grow with the data: the same page with
ten times the compounds, buildings, appointments, requests, meetings, tasks and recorded
counts runs the same statements (issue 13: it used to run 15 at 1k rows, 214 at 100k)."""
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import event

import webapp.models  # noqa: F401  (every mapper before a domain module is imported)
from webapp.extensions import db

from dashboard_world import street_world  # noqa: F401  (the fixture)


@contextmanager
def statements():
    seen = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def grow(world, factory, n):
    """n more of everything the dashboard counts, spread over both communities."""
    from webapp.appointments.models import CrossAppointment
    from webapp.dashboard.models import COUNT_KINDS, RecordedCount
    from webapp.dashboard.periods import add_months
    from webapp.meetings.models import FollowUpTask, Meeting, MeetingKind
    from webapp.requests.models import ResidentRequest

    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import Community, Street

    kind = db.session.query(MeetingKind).first()
    a = db.session.query(Community).filter_by(name="甲社区").one()
    b = db.session.query(Community).filter_by(name="乙社区").one()
    street = db.session.query(Street).filter_by(name="测试街道").one()
    companies = [db.session.query(PropertyCompany).filter_by(name=n).one() for n in ("自建物业", "指导员物业", "普通物业")]
    own = companies[0]
    person = factory.person("增长者", community=a, company=own)
    today = world["today"]
    for i in range(n):
        community = a if i % 2 else b
        compound = factory.compound(community, f"增长小区{n}-{i}", company=companies[i % 3])
        factory.building(compound, f"增长{i}号楼")
        db.session.add(CrossAppointment(person=person, direction="company_in", company=own, community=community,
                                        compound=compound, home_role="经理", host_role="委员",
                                        start_date=date(2025, 1, 1), approval_document=f"增长{n}-{i}"))
        db.session.add(ResidentRequest(receipt_no=f"YJ-G{n}-{i}", community=community, compound=compound,
                                       text="增长诉求", source=("online_box", "phone")[i % 2]))
        m = Meeting(kind=kind, title=f"增长会议{i}", starts_at=datetime.combine(today - timedelta(days=i % 40), time(9)),
                    community=community, compound=compound)
        m.tasks.append(FollowUpTask(what="增长任务", owner="经理", due_date=today - timedelta(days=i % 3)))
        db.session.add(m)
        db.session.add(RecordedCount(street_id=street.id, community_id=community.id,
                                     kind=list(COUNT_KINDS)[i % 8], month=add_months(today.replace(day=1), -(i // 8)),
                                     value=i))
        if i % 50 == 0:
            db.session.commit()
    db.session.commit()


@pytest.mark.parametrize("user", ["dash_admin", "dash_staff"])
def test_the_dashboard_runs_the_same_statements_at_any_size(client, auth, street_world, factory, user):
    auth.login(user)
    client.get("/")  # first request of the session: warm caches, sign-in bookkeeping
    db.session.remove()
    with statements() as few:
        assert client.get("/").status_code == 200
    grow(street_world, factory, 60)
    db.session.remove()
    with statements() as many:
        assert client.get("/").status_code == 200
    assert len(few) == len(many), "\n".join(" ".join(s.split())[:150] for s in many)
    assert len(many) <= 25
