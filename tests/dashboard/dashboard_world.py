"""A small street built row by row, so every figure on the dashboard and in the report can
be counted independently from what the test created.

Street 测试街道 (target date in 100 days), communities 甲社区 and 乙社区:
- compounds: 甲一 (company with its own party organisation), 甲二 (no red company, a
  committee with 1 party member of 5: covered, share 20%), 甲三 (not covered), 乙一 (not
  covered), 乙二 (company with an instructor): 3 of 5 covered;
- buildings: 甲一 3 (2 with a steward), 乙一 2 (1 with a steward): 3 of 5;
- committees: 甲二's (1/5), 甲一's (2/4, 50%), 乙二's (2/3): 2 of 3 with a share ≥ 50%;
- cross-appointments: one running since 2025, one beginning in ten days (future-dated),
  one that began this month, two that ended on last month's last day: 2 in place today,
  3 at last month's end;
- requests: 甲 2 received this month (1 resolved on time, 1 dispatched to 自建物业 and past
  its deadline), 1 last month; 乙 1 this month: 3 open, 1 overdue;
- meetings: 甲 one last month with a task (done) and one this month with two tasks (one
  overdue), 乙 one this month;
- another street with its own compound, which no figure may count.
"""
from datetime import date, datetime, time, timedelta

import pytest

from webapp.clock import local_today, utc_from_local, utcnow
from webapp.extensions import db


def month_first(day):
    return day.replace(day=1)


@pytest.fixture
def street_world(factory):
    from webapp.appointments.models import CrossAppointment
    from webapp.compounds.models import Street
    from webapp.meetings.models import FollowUpTask, Meeting
    from webapp.meetings.services import seed_kinds

    today = local_today()
    this_month = month_first(today)
    last_month_end = this_month - timedelta(days=1)
    last_month = month_first(last_month_end)
    street = factory.add(Street(name="测试街道", coverage_target_date=today + timedelta(days=100)))
    a = factory.community("甲社区", street=street)
    b = factory.community("乙社区", street=street)
    own = factory.company("自建物业", party_members=4, party_org_form="own")
    instructed = factory.company("指导员物业", party_members=1, party_org_form="instructor")
    plain = factory.company("普通物业", party_members=0, party_org_form="none")
    c = {
        "甲一": factory.compound(a, "甲一", company=own),
        "甲二": factory.compound(a, "甲二", company=plain),
        "甲三": factory.compound(a, "甲三", company=plain),
        "乙一": factory.compound(b, "乙一", company=plain),
        "乙二": factory.compound(b, "乙二", company=instructed),
    }
    steward = factory.person("管家", community=a)
    for i in range(3):
        factory.building(c["甲一"], f"甲{i}号楼", steward=steward if i < 2 else None)
    for i in range(2):
        factory.building(c["乙一"], f"乙{i}号楼", steward=steward if i < 1 else None)
    factory.committee(c["甲二"], "甲二业委会", members=5, party_members=1)
    factory.committee(c["甲一"], "甲一业委会", members=4, party_members=2)
    factory.committee(c["乙二"], "乙二业委会", members=3, party_members=2)

    person = factory.person("交叉任职者", company=own)
    terms = {
        "running": (date(2025, 1, 1), None, a),
        "future": (today + timedelta(days=10), None, a),
        "began this month": (this_month, None, a),
        "ended last month": (date(2025, 1, 1), last_month_end, b),
        "ended last month 2": (date(2025, 6, 1), last_month_end, a),
    }
    for label, (start, end, community) in terms.items():
        factory.add(CrossAppointment(person=person, direction="company_in", company=own, community=community,
                                     home_role="项目经理", host_role="兼职委员", start_date=start, end_date=end,
                                     approval_document=f"测试〔2026〕{label}"))

    def stamp(day, hour=10):
        return utc_from_local(datetime.combine(day, time(hour)))

    def request(text, community, compound, created, handled=None, overdue_with=None):
        r = factory.resident_request(text, community, compound)
        r.created_at = stamp(created)
        if handled:
            r.status, r.handled_at, r.resolved_at, r.resolved_late = "resolved", stamp(handled, 11), stamp(handled, 11), False
        if overdue_with is not None:  # dispatched to a company, past its deadline
            r.status, r.assignee_kind, r.assignee_company_id = "dispatched", "company", overdue_with.id
            r.due_at = utcnow() - timedelta(days=1)
        db.session.commit()
        return r

    request("甲本月一", a, c["甲一"], this_month, handled=this_month)
    request("甲本月二", a, c["甲一"], today, overdue_with=own)
    request("甲上月", a, c["甲二"], last_month)
    request("乙本月", b, c["乙一"], this_month)

    kind = next(iter(seed_kinds().values()))

    def meeting(title, community, compound, day, tasks=()):
        m = Meeting(kind=kind, title=title, starts_at=datetime.combine(day, time(9)), community=community,
                    compound=compound, place="议事厅")
        for what, due, done in tasks:
            m.tasks.append(FollowUpTask(what=what, owner="经理", due_date=due, state="done" if done else "open",
                                        done_at=stamp(due) if done else None))
        return factory.add(m)

    meeting("甲上月会", a, c["甲一"], last_month, [("上月任务", last_month, True)])
    meeting("甲本月会", a, None, this_month, [("逾期任务", this_month - timedelta(days=1), False),
                                           ("未到期任务", today + timedelta(days=30), False)])
    meeting("乙本月会", b, c["乙二"], this_month)

    other = factory.add(Street(name="别的街道"))
    elsewhere = factory.community("别处社区", street=other)
    factory.compound(elsewhere, "别处小区", company=plain)
    db.session.commit()
    admin = factory.user("dash_admin", role="street_admin", street=street)
    staff = factory.user("dash_staff", role="community_staff", community=b)
    return {"street": street, "a": a, "b": b, "compounds": c, "today": today, "this_month": this_month,
            "last_month": last_month, "admin": admin, "staff": staff, "companies": (own, instructed, plain)}
