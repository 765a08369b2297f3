"""The figures: per company per compound per month equal to counts computed here
independently; the street summary by month and category; the morning's due warnings;
and the escalation round trip with a meeting."""
from datetime import datetime, timedelta

from sqlalchemy import select

from conftest import csrf_from
from rq_helpers import fresh, latest, record
from webapp.clock import local, utcnow
from webapp.extensions import db
from webapp.requests import services, stats
from webapp.requests.models import RequestEvent, ResidentRequest
from webapp.requests.rules import OPEN


def _company(name):
    from webapp.companies.models import PropertyCompany

    return db.session.scalar(select(PropertyCompany).where(PropertyCompany.name == name))


def test_company_month_figures_equal_independent_counts(fresh_demo):
    company = _company("泛华物业服务有限公司")
    from rq_helpers import compound

    place = compound("泛华盛世")
    now = utcnow()
    rows = db.session.scalars(select(ResidentRequest).where(ResidentRequest.compound_id == place.id)).all()
    months = {(local(r.created_at).year, local(r.created_at).month) for r in rows}
    assert months
    for year, month in months:
        mine = [r for r in rows if (local(r.created_at).year, local(r.created_at).month) == (year, month)
                and r.assignee_kind == "company" and r.assignee_company_id == company.id]
        figures = stats.company_month(company.id, place.id, year, month, now=now)
        assert figures["received"] == len(mine)
        assert figures["on_time"] == sum(1 for r in mine if r.resolved_at and r.resolved_late is False and r.status != "merged")
        assert figures["late"] == sum(1 for r in mine if r.resolved_at and r.resolved_late is True and r.status != "merged")
        assert figures["overdue"] == sum(1 for r in mine if r.status in OPEN and r.due_at and r.due_at < now)
        assert figures["reopened"] == sum(1 for r in mine if r.reopen_count > 0)
        answered = [r for r in mine if r.satisfaction]
        good = [r for r in answered if r.satisfaction in ("satisfied", "basic")]
        assert figures["answered"] == len(answered)
        assert figures["satisfaction_rate"] == (round(len(good) / len(answered), 4) if answered else None)
    # The street's summary: every month's received adds up to the total, categories too.
    summary = stats.summary(None, months=12)
    assert sum(m["received"] for m in summary["months"]) == summary["total"]["received"]
    assert sum(c["received"] for c in summary["categories"]) == summary["total"]["received"]
    assert summary["total"]["received"] > 250 and summary["total"]["overdue"] >= 1
    # The total (the months added up) against every request of the span counted here.
    start, _ = stats.month_bounds(summary["months"][0]["year"], summary["months"][0]["month"])
    _, end = stats.month_bounds(summary["months"][-1]["year"], summary["months"][-1]["month"])
    span = db.session.scalars(select(ResidentRequest).where(ResidentRequest.created_at >= start,
                                                            ResidentRequest.created_at < end)).all()
    at = utcnow()
    total = stats.summary(None, months=12, now=at)["total"]
    assert total["received"] == len(span)
    assert total["resolved"] == sum(1 for r in span if r.status in ("resolved", "visited", "closed"))
    assert total["on_time"] == sum(1 for r in span
                                   if r.resolved_at and r.resolved_late is False and r.status != "merged")
    assert total["overdue"] == sum(1 for r in span if r.status in OPEN and r.due_at and r.due_at < at)
    answered = [r for r in span if r.satisfaction]
    good = sum(1 for r in answered if r.satisfaction in ("satisfied", "basic"))
    assert total["answered"] == len(answered)
    assert total["satisfaction_rate"] == (round(good / len(answered), 4) if answered else None)


def test_the_assessment_sheet_shows_the_figures(client, auth, fresh_demo):
    from webapp.assessments.models import AssessmentSheet

    from rq_helpers import compound
    from webapp.compounds.models import Compound

    sheet = db.session.scalars(select(AssessmentSheet).join(Compound, Compound.id == AssessmentSheet.compound_id)
                               .where(Compound.street_id == compound("珠海一区").street_id).limit(1)).first()
    auth.login("street_admin")
    page = client.get(f"/assessments/sheets/{sheet.id}").get_data(as_text=True)
    assert "群众诉求办理（参考）" in page and "按时办结率 × 50%" in page
    # The street sets its own rule; the sheet follows it. Weights must add up to 100.
    settings = client.get("/requests/settings").get_data(as_text=True)
    r = client.post("/requests/settings/score-rule", data={"csrf_token": csrf_from(settings), "version": 0,
                                                             "on_time_weight": 70, "satisfaction_weight": 20, "per_reopen": 2})
    assert r.status_code == 422 and "两项权重之和应为 100%" in r.get_data(as_text=True)
    r = client.post("/requests/settings/score-rule", data={"csrf_token": csrf_from(settings), "version": 0,
                                                             "on_time_weight": 70, "satisfaction_weight": 30, "per_reopen": 2})
    assert r.status_code == 303
    page = client.get(f"/assessments/sheets/{sheet.id}").get_data(as_text=True)
    assert "按时办结率 × 70%" in page and "每次重新办理扣 2 分" in page
    assert stats.points_from({"on_time": 3, "late": 1, "overdue": 0, "answered": 4, "satisfaction_rate": 0.5,
                              "reopened": 1}, 10) == round(10 * (0.75 * 0.5 + 0.5 * 0.5) - 1, 1)


def test_due_warnings_mark_each_request_once(fresh_demo):
    first = services.send_due_warnings()
    assert first["overdue"] >= 1
    warned = db.session.scalars(select(RequestEvent).where(RequestEvent.kind == "warned_overdue")).all()
    assert len(warned) == first["overdue"]
    again = services.send_due_warnings()
    assert again == {"due_soon": 0, "overdue": 0}
    # A later morning: what was only due soon is now overdue and warned as such.
    later = services.send_due_warnings(utcnow() + timedelta(days=40))
    assert later["overdue"] >= 1


def test_overdue_requests_stand_out_in_the_inbox(client, auth, fresh_demo):
    auth.login("company_manager")
    page = client.get("/requests/").get_data(as_text=True)
    assert "row-overdue" in page and "件超期未办结" in page
    only = client.get("/requests/", query_string={"timing": "overdue"}).get_data(as_text=True)
    assert "row-overdue" in only and "row-due-soon" not in only


def test_escalation_round_trip_with_a_meeting(client, auth, fresh_demo):
    from webapp.meetings.models import Meeting, MeetingKind

    auth.login("jiyang_staff")
    record(client, "济阳一社区示例老旧小区2", "外墙保温", "外墙保温层大面积脱落，需要业主共同决定维修资金。")
    item = latest()
    page = client.get(f"/requests/{item.id}").get_data(as_text=True)
    kind = db.session.scalars(select(MeetingKind).where(MeetingKind.street_id == item.street_id).limit(1)).first()
    when = (datetime.now() + timedelta(days=7)).strftime("%Y-%m-%d 19:00")
    r = client.post(f"/requests/{item.id}/escalate", data={"csrf_token": csrf_from(page), "version": fresh(item.id).version,
                                                           "kind_id": kind.id, "starts_at": when})
    assert r.status_code == 303, r.get_data(as_text=True)[:400]
    item = fresh(item.id)
    meeting = db.session.get(Meeting, item.meeting_id)
    assert meeting.is_draft and any(item.receipt_no in a.title for a in meeting.agenda)
    assert item.receipt_no in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    # Before the minutes are approved, no decision can be applied.
    page = client.get(f"/requests/{item.id}").get_data(as_text=True)
    r = client.post(f"/requests/{item.id}/decision", data={"csrf_token": csrf_from(page), "version": item.version,
                                                           "outcome": "resolve", "note": "使用公共收益维修"})
    assert r.status_code == 422 and "纪要审定后" in r.get_data(as_text=True)
    meeting.status = "approved"
    meeting.approved_at = utcnow()
    db.session.commit()
    item = fresh(item.id)
    page = client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert "按议事决议办理" in page
    r = client.post(f"/requests/{item.id}/decision", data={"csrf_token": csrf_from(page), "version": item.version,
                                                           "outcome": "resolve", "note": "使用公共收益维修外墙"})
    assert r.status_code == 303
    item = fresh(item.id)
    assert item.status == "resolved" and "按议事决议办结" in item.resolution
    detail = client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert "已审定纪要" in detail and f"/meetings/{meeting.id}" in detail


def test_by_street_counts_each_streets_requests_of_the_period(fresh_demo):
    """The district's column: one GROUP BY street, equal to counting each street's rows."""
    from datetime import date

    rows = db.session.scalars(select(ResidentRequest)).all()
    streets = {r.street_id for r in rows}
    start, end = date(2026, 1, 1), date(2027, 1, 1)
    figures = stats.by_street(streets, start, end)
    for street in streets:
        mine = [r for r in rows if r.street_id == street and local(r.created_at).year == 2026]
        got = figures.get(street, {"received": 0})
        assert got["received"] == len(mine)
        if mine:
            assert got["reopened"] == sum(1 for r in mine if r.reopen_count > 0)
    assert stats.by_street([], start, end) == {}
