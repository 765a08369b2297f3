"""Minutes lifecycle: draft → submitted → approved; approved minutes never change;
a correction is a new linked version; tasks are closed after approval; what the notice
board is given."""
from datetime import date

import pytest
from sqlalchemy import select

from mt_world import count, login, make_meeting, post, world  # noqa: F401
from webapp.audit.models import AuditLog
from webapp.extensions import db
from webapp.meetings.models import AgendaItem, ApprovedMinutesError, Attendee, FollowUpTask, Meeting, Resolution
from webapp.meetings.services import published_resolutions


def _full(world, **kw):
    return make_meeting(world, attendees=[("孙经理", "红旗物业", world.company)], agenda=[("漏水", "顶楼漏水")],
                        resolutions=[("物业负责维修。", True), ("内部讨论事项。", False)],
                        tasks=[("维修楼顶", "孙经理", world.company, date(2026, 11, 1))], **kw)


def test_submit_approve_and_then_nothing_can_change(client, world):
    m = _full(world)
    login(client, "staff")
    assert post(client, f"/meetings/{m.id}/submit", htmx=False).status_code == 303
    # While under review the content is locked too.
    r = post(client, f"/meetings/{m.id}/agenda", {"new-title": "新议题"})
    assert r.status_code == 409 and "不能修改" in r.get_data(as_text=True)
    # Whoever submitted the minutes does not approve them: another clerk does.
    r = post(client, f"/meetings/{m.id}/approve", htmx=False)
    assert r.status_code == 409 and "须由其他人审定" in r.get_data(as_text=True)
    login(client, "staff2")
    assert post(client, f"/meetings/{m.id}/approve", {"confirm": "1"}, htmx=False).status_code == 303
    db.session.expire_all()
    m = db.session.get(Meeting, m.id)
    assert m.status == "approved" and m.approved_by == "东风 赵干事" and m.approved_at is not None
    page = client.get(f"/meetings/{m.id}").get_data(as_text=True)
    assert "已审定" in page and "审定人：东风 赵干事" in page

    item, res, att = m.agenda[0], m.resolutions[0], m.attendees[0]
    attempts = [
        (f"/meetings/{m.id}/agenda", {"new-title": "补充议题"}),
        (f"/meetings/{m.id}/agenda/{item.id}", {f"item{item.id}-title": "改", f"item{item.id}-version": item.version}),
        (f"/meetings/{m.id}/agenda/{item.id}/delete", {}),
        (f"/meetings/{m.id}/resolutions/{res.id}", {f"res{res.id}-text": "改", f"res{res.id}-version": res.version}),
        (f"/meetings/{m.id}/attendees/{att.id}", {f"att{att.id}-status": "absent", f"att{att.id}-version": att.version}),
        (f"/meetings/{m.id}/tasks", {"new-what": "x", "new-owner": "y", "new-due_date": "2026-12-01"}),
        (f"/meetings/{m.id}/edit", {"title": "改名"}),
        (f"/meetings/{m.id}/submit", {}),
        (f"/meetings/{m.id}/approve", {}),
    ]
    for user in ("staff", "admin"):
        login(client, user)
        for url, data in attempts:
            r = post(client, url, data)
            assert r.status_code == 409, f"{user} {url}: {r.status_code}"
    db.session.expire_all()
    m = db.session.get(Meeting, m.id)
    assert m.title == "东风小区说事议事会" and [i.title for i in m.agenda] == ["漏水"]
    assert m.resolutions[0].text == "物业负责维修。" and m.attendees[0].status == "present"


def test_guard_refuses_changes_to_approved_minutes_from_any_code_path(world):
    m = _full(world, status="approved")
    m.title = "偷偷改名"
    with pytest.raises(ApprovedMinutesError):
        db.session.flush()
    db.session.rollback()
    m = db.session.get(Meeting, m.id)
    m.agenda[0].discussion = "偷偷改记录"
    with pytest.raises(ApprovedMinutesError):
        db.session.flush()
    db.session.rollback()
    m = db.session.get(Meeting, m.id)
    db.session.add(Resolution(meeting=m, text="追加决议"))
    with pytest.raises(ApprovedMinutesError):
        db.session.flush()
    db.session.rollback()
    m = db.session.get(Meeting, m.id)
    db.session.delete(m.attendees[0])
    with pytest.raises(ApprovedMinutesError):
        db.session.flush()
    db.session.rollback()
    assert count(Resolution) == 2 and count(Attendee) == 1


def test_who_recorded_or_submitted_cannot_approve_unless_the_street_allows(client, world):
    m = _full(world)
    login(client, "staff2")  # records the minutes: adds an agenda item
    assert post(client, f"/meetings/{m.id}/agenda", {"new-title": "补充议题"}, htmx=False).status_code in (200, 303)
    login(client, "staff")
    assert post(client, f"/meetings/{m.id}/submit", htmx=False).status_code == 303
    for user in ("staff", "staff2"):  # the submitter, then the recorder
        login(client, user)
        r = post(client, f"/meetings/{m.id}/approve", htmx=False)
        assert r.status_code == 409 and "记录、提交与审定分离" in r.get_data(as_text=True), user
        detail = client.get(f"/meetings/{m.id}").get_data(as_text=True)
        assert f"/meetings/{m.id}/approve" not in detail  # no approve button offered
    db.session.expire_all()
    assert db.session.get(Meeting, m.id).status == "submitted"
    login(client, "admin")  # a third person may
    assert post(client, f"/meetings/{m.id}/approve", {"confirm": "1"}, htmx=False).status_code == 303
    db.session.expire_all()
    assert db.session.get(Meeting, m.id).status == "approved"

    m2 = _full(world, title="第二次说事议事会")
    login(client, "staff")
    assert post(client, f"/meetings/{m2.id}/submit", htmx=False).status_code == 303
    # The street's setting (the security page) allows it: then the submitter may.
    from webapp.security.models import SecurityPolicy

    db.session.add(SecurityPolicy(allow_self_approval=True))
    db.session.commit()
    assert post(client, f"/meetings/{m2.id}/approve", {"confirm": "1"}, htmx=False).status_code == 303


def test_submit_needs_an_agenda_item(client, world):
    m = make_meeting(world)
    login(client, "staff")
    r = post(client, f"/meetings/{m.id}/submit", htmx=False)
    assert r.status_code == 409 and "请至少添加一个议题" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, m.id).status == "draft"


def test_grid_worker_cannot_approve_and_approver_can_return(client, world):
    m = _full(world, status="submitted", compound=world.a1)  # in the grid worker's grid
    community_wide = _full(world, title="东风社区联席会议", status="submitted")
    login(client, "gridw")
    assert post(client, f"/meetings/{m.id}/approve", htmx=False).status_code == 403
    # A community-wide meeting it may read but never change: 404 for a write.
    assert client.get(f"/meetings/{community_wide.id}").status_code == 200
    assert post(client, f"/meetings/{community_wide.id}/return", {"note": "x"}, htmx=False).status_code == 404
    login(client, "staff")
    assert post(client, f"/meetings/{m.id}/return", {"note": "补充出席人员"}, htmx=False).status_code == 303
    db.session.expire_all()
    assert db.session.get(Meeting, m.id).status == "draft"
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "return")).note == "补充出席人员"


def test_correction_creates_a_linked_version_and_both_stay_readable(client, world):
    m = _full(world, status="approved")
    login(client, "staff")
    r = post(client, f"/meetings/{m.id}/correct", {"reason": ""}, htmx=False)
    assert r.status_code == 422 and "请填写更正原因。" in r.get_data(as_text=True)
    assert count(Meeting) == 1

    r = post(client, f"/meetings/{m.id}/correct", {"reason": "出席人员单位写错"}, htmx=False)
    assert r.status_code == 303
    v2 = db.session.scalar(select(Meeting).where(Meeting.previous_id == m.id))
    assert v2.status == "draft" and v2.revision == 2 and v2.correction_reason == "出席人员单位写错"
    assert [a.name for a in v2.attendees] == ["孙经理"] and [r.text for r in v2.resolutions] == ["物业负责维修。", "内部讨论事项。"]

    old = client.get(f"/meetings/{m.id}").get_data(as_text=True)
    new = client.get(f"/meetings/{v2.id}").get_data(as_text=True)
    assert "已审定" in old and "第2版" in old  # the old one links to its correction
    assert "更正原因：出席人员单位写错" in new and "第1版" in new
    listing = client.get("/meetings/").get_data(as_text=True)
    assert f"/meetings/{v2.id}\"" in listing and f"/meetings/{m.id}\"" not in listing

    # The correction is edited like any draft; the approved version stays as it was.
    item = v2.agenda[0]
    r = post(client, f"/meetings/{v2.id}/agenda/{item.id}", {f"item{item.id}-title": "漏水",
             f"item{item.id}-discussion": "顶楼及管道漏水", f"item{item.id}-version": item.version})
    assert r.status_code == 200
    db.session.expire_all()
    assert db.session.get(Meeting, m.id).agenda[0].discussion == "顶楼漏水"
    # Only the newest version can be corrected again.
    r = post(client, f"/meetings/{m.id}/correct", {"reason": "再改"}, htmx=False)
    assert r.status_code == 409 and "已有更正版本" in r.get_data(as_text=True)


def test_published_resolutions_contract(client, world):
    draft = make_meeting(world, title="草稿会议", resolutions=[("草稿决议", True)])
    m = _full(world, status="approved", compound=world.a1)
    other = make_meeting(world, title="西岭会议", community=world.b, resolutions=[("西岭决议", True)], status="approved")
    texts = [r.text for r in published_resolutions()]
    assert "物业负责维修。" in texts and "西岭决议" in texts
    assert "草稿决议" not in texts and "内部讨论事项。" not in texts
    assert [r.text for r in published_resolutions(community_id=world.b.id)] == ["西岭决议"]
    assert [r.text for r in published_resolutions(compound_id=world.a1.id)] == ["物业负责维修。"]
    r = published_resolutions(community_id=world.a.id)[0]
    assert r.meeting.title == m.title and r.meeting.kind.name == "说事议事会"
    assert r.meeting.approved_at and r.meeting.community_id == world.a.id and r.meeting.compound_id == world.a1.id
    assert r.meeting.starts_at and r.id

    # A correction in draft leaves v1 published; once approved only v2 counts.
    login(client, "staff")
    post(client, f"/meetings/{m.id}/correct", {"reason": "决议措辞"}, htmx=False)
    v2 = db.session.scalar(select(Meeting).where(Meeting.previous_id == m.id))
    res = v2.resolutions[0]
    post(client, f"/meetings/{v2.id}/resolutions/{res.id}", {f"res{res.id}-text": "物业负责十日内维修。",
         f"res{res.id}-publish": "y", f"res{res.id}-version": res.version})
    assert [r.text for r in published_resolutions(community_id=world.a.id)] == ["物业负责维修。"]
    post(client, f"/meetings/{v2.id}/submit", htmx=False)
    login(client, "staff2")  # not the clerk who corrected and submitted
    assert post(client, f"/meetings/{v2.id}/approve", {"confirm": "1"}, htmx=False).status_code == 303
    db.session.expire_all()
    assert [r.text for r in published_resolutions(community_id=world.a.id)] == ["物业负责十日内维修。"]
    assert draft.id and other.id


def test_company_closes_its_own_task_after_approval(client, world):
    m = _full(world, status="approved")
    mine = m.tasks[0]
    theirs = FollowUpTask(meeting_id=m.id, what="别家的任务", owner="蓝天", owner_company_id=world.other_company.id,
                          due_date=date(2026, 12, 1))
    # Tasks are set while drafting; add this one the way a draft would have it.
    m2 = make_meeting(world, title="另一个会", tasks=[("别家的任务", "蓝天", world.other_company, date(2026, 12, 1))])
    theirs = m2.tasks[0]
    login(client, "comp")
    listing = client.get("/meetings/tasks?state=all").get_data(as_text=True)
    assert "维修楼顶" in listing and "别家的任务" not in listing
    assert "已逾期" in listing  # due 2026-11-01
    p = f"task{mine.id}-"
    r = post(client, f"/meetings/tasks/{mine.id}/close", {p + "done_note": "", p + "version": mine.version})
    assert r.status_code == 422 and "请填写办理情况" in r.get_data(as_text=True)
    r = post(client, f"/meetings/tasks/{mine.id}/close", {p + "done_note": "11月5日完成防水维修", p + "version": mine.version})
    assert r.status_code == 200 and "已办结" in r.get_data(as_text=True)
    db.session.expire_all()
    task = db.session.get(FollowUpTask, mine.id)
    assert task.state == "done" and task.done_note == "11月5日完成防水维修" and task.done_at
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "close")).note == "11月5日完成防水维修"
    q = f"task{theirs.id}-"
    assert post(client, f"/meetings/tasks/{theirs.id}/close", {q + "done_note": "x", q + "version": 1}).status_code == 404
    page = client.get(f"/meetings/{m.id}").get_data(as_text=True)
    assert "跟进任务完成 1 / 1" in page


def test_staff_close_task_with_stale_form_gets_conflict(client, world):
    m = _full(world, status="approved")
    task = m.tasks[0]
    login(client, "staff")
    p = f"task{task.id}-"
    r = post(client, f"/meetings/tasks/{task.id}/close", {p + "done_note": "完成", p + "version": task.version + 5})
    assert r.status_code == 409 and "该记录已被他人修改" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FollowUpTask, task.id).state == "open"


def test_every_write_is_audited(client, world):
    m = make_meeting(world)
    login(client, "staff")
    post(client, f"/meetings/{m.id}/agenda", {"new-title": "外墙裂缝"})
    row = db.session.scalar(select(AuditLog).where(AuditLog.entity == "meeting_agenda_item"))
    assert row.action == "create" and row.username == "staff"
    assert count(AgendaItem) == 1
