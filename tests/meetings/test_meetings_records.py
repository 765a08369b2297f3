"""Recording a meeting on its one page: planning, the HTMX sections, bad input that
writes nothing, concurrent edits, and markup shown as text."""
from datetime import date

from mt_world import count, login, make_meeting, post, world  # noqa: F401
from webapp.extensions import db
from webapp.meetings.models import AgendaItem, Attendee, FollowUpTask, Meeting, Resolution

GOOD = {
    "title": "东风小区第一次说事议事会", "starts_at": "2026-11-20T09:00", "ends_at": "2026-11-20T11:00",
    "place": "红色议事厅", "host": "李书记", "recorder": "王记录", "convener": "社区议事小组",
    "invited": "物业公司、业委会、公安片警", "summary": "",
}


def _plan(client, world, **overrides):
    data = dict(GOOD, kind_id=world.kinds["说事议事会"].id, community_id=world.a.id, compound_id=world.a1.id)
    data.update(overrides)
    return post(client, "/meetings/new", data, htmx=False)


def test_plan_meeting_then_record_it_on_one_page(client, world):
    login(client, "staff")
    r = _plan(client, world)
    assert r.status_code == 303
    meeting = db.session.scalar(db.select(Meeting))
    assert meeting.status == "draft" and meeting.compound_id == world.a1.id
    url = f"/meetings/{meeting.id}"
    page = client.get(url).get_data(as_text=True)
    assert "东风小区第一次说事议事会" in page and "草稿" in page

    r = post(client, f"{url}/attendees", {"new-name": "孙经理", "new-organisation": "红旗物业服务有限公司",
                                          "new-company_id": str(world.company.id), "new-status": "present"})
    assert r.status_code == 200 and "<html" not in r.get_data(as_text=True)
    assert "孙经理" in r.get_data(as_text=True)
    attendee = db.session.scalar(db.select(Attendee))
    r = post(client, f"{url}/attendees/{attendee.id}", {f"att{attendee.id}-status": "apology",
                                                          f"att{attendee.id}-version": attendee.version})
    assert r.status_code == 200 and "请假 1 人" in r.get_data(as_text=True)

    r = post(client, f"{url}/agenda", {"new-title": "楼顶漏水", "new-discussion": "3号楼顶层雨天漏水。"})
    assert r.status_code == 200 and "楼顶漏水" in r.get_data(as_text=True)
    r = post(client, f"{url}/resolutions", {"new-text": "物业两周内完成楼顶防水维修。", "new-publish": "y"})
    assert r.status_code == 200 and "物业两周内完成楼顶防水维修。" in r.get_data(as_text=True)
    r = post(client, f"{url}/tasks", {"new-what": "维修3号楼楼顶防水", "new-owner": "孙经理",
                                      "new-owner_company_id": str(world.company.id), "new-due_date": "2026-12-05"})
    assert r.status_code == 200 and "维修3号楼楼顶防水" in r.get_data(as_text=True)

    page = client.get(url).get_data(as_text=True)
    assert "跟进任务完成 0 / 1" in page
    db.session.expire_all()
    assert db.session.scalar(db.select(Resolution)).publish is True
    assert db.session.scalar(db.select(FollowUpTask)).owner_company_id == world.company.id


def test_end_before_start_is_refused_and_nothing_is_written(client, world):
    login(client, "staff")
    r = _plan(client, world, ends_at="2026-11-20T08:00")
    assert r.status_code == 422
    assert "结束时间必须晚于开始时间。" in r.get_data(as_text=True)
    assert count(Meeting) == 0


def test_empty_title_is_refused(client, world):
    login(client, "staff")
    r = _plan(client, world, title="   ")
    assert r.status_code == 422 and "请填写会议名称。" in r.get_data(as_text=True)
    assert count(Meeting) == 0


def test_compound_of_another_community_is_refused(client, world):
    login(client, "admin")
    r = _plan(client, world, compound_id=world.b1.id)
    assert r.status_code == 422 and "所选小区不属于所选社区。" in r.get_data(as_text=True)
    assert count(Meeting) == 0


def test_staff_cannot_plan_for_another_community(client, world):
    login(client, "staff")
    r = _plan(client, world, community_id=world.b.id, compound_id="")
    assert r.status_code == 422 and "请从列表中选择所属社区" in r.get_data(as_text=True)
    assert count(Meeting) == 0


def test_task_without_owner_is_refused(client, world):
    m = make_meeting(world)
    login(client, "staff")
    r = post(client, f"/meetings/{m.id}/tasks", {"new-what": "清理楼道", "new-owner": "", "new-due_date": "2026-12-01"})
    assert r.status_code == 422
    assert "请填写责任人或责任单位。" in r.get_data(as_text=True)
    assert count(FollowUpTask) == 0


def test_task_without_due_date_is_refused(client, world):
    m = make_meeting(world)
    login(client, "staff")
    r = post(client, f"/meetings/{m.id}/tasks", {"new-what": "清理楼道", "new-owner": "物业"})
    assert r.status_code == 422 and "请填写完成期限" in r.get_data(as_text=True)
    assert count(FollowUpTask) == 0


def test_huge_text_is_refused(client, world):
    m = make_meeting(world)
    login(client, "staff")
    r = post(client, f"/meetings/{m.id}/agenda", {"new-title": "漏水", "new-discussion": "漏" * 10001})
    assert r.status_code == 422 and "内容过长：最多 10000 个字。" in r.get_data(as_text=True)
    assert count(AgendaItem) == 0


def test_stale_header_form_gets_conflict_message_and_writes_nothing(client, world):
    m = make_meeting(world, title="原来的名称")
    login(client, "staff")
    data = dict(GOOD, title="新的名称", kind_id=world.kinds["说事议事会"].id, community_id=world.a.id,
                compound_id="", version=m.version - 1 if m.version > 1 else 99)
    r = post(client, f"/meetings/{m.id}/edit", data, htmx=False)
    assert r.status_code == 409
    assert "该记录已被他人修改" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, m.id).title == "原来的名称"


def test_two_clerks_editing_the_same_item_conflict(app, world):
    m = make_meeting(world, agenda=[("暖气不热", "原始记录")])
    item = m.agenda[0]
    first, second = app.test_client(), app.test_client()
    login(first, "staff")
    login(second, "staff2")
    opened = item.version  # both opened the page at this version
    url = f"/meetings/{m.id}/agenda/{item.id}"
    p = f"item{item.id}-"
    r1 = post(first, url, {p + "title": "暖气不热", p + "discussion": "李干事的记录", p + "version": opened})
    assert r1.status_code == 200 and "已保存" in r1.get_data(as_text=True)
    r2 = post(second, url, {p + "title": "暖气不热", p + "discussion": "赵干事的记录", p + "version": opened})
    body = r2.get_data(as_text=True)
    assert r2.status_code == 409
    assert "该记录已被他人修改" in body and "赵干事的记录" in body  # their text is shown, not lost
    assert "李干事的记录" in body  # the newest saved text is what the form now holds
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id).discussion == "李干事的记录"


def test_markup_typed_into_minutes_is_shown_as_text(client, world):
    m = make_meeting(world, status="draft")
    login(client, "staff")
    evil = '<script>alert("x")</script><b>加粗</b>'
    post(client, f"/meetings/{m.id}/agenda", {"new-title": evil, "new-discussion": evil})
    post(client, f"/meetings/{m.id}/resolutions", {"new-text": evil})
    for path in (f"/meetings/{m.id}", "/meetings/?q=加粗"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "<b>加粗</b>" not in page
    page = client.get(f"/meetings/{m.id}").get_data(as_text=True)
    assert "&lt;script&gt;" in page


def test_htmx_section_refuses_writes_from_another_community(client, world):
    m = make_meeting(world)
    login(client, "other")
    r = post(client, f"/meetings/{m.id}/agenda", {"new-title": "越权"})
    assert r.status_code == 404
    assert count(AgendaItem) == 0


def test_company_user_reads_attended_meetings_only(client, world):
    seen = make_meeting(world, title="有红旗物业参加", attendees=[("孙经理", "红旗物业", world.company)])
    unseen = make_meeting(world, title="没有红旗物业", attendees=[("刘经理", "蓝天物业", world.other_company)])
    login(client, "comp")
    listing = client.get("/meetings/").get_data(as_text=True)
    assert "有红旗物业参加" in listing and "没有红旗物业" not in listing
    assert client.get(f"/meetings/{seen.id}").status_code == 200
    assert client.get(f"/meetings/{unseen.id}").status_code == 404
    page = client.get(f"/meetings/{seen.id}").get_data(as_text=True)
    assert "添加议题" not in page  # read-only for companies
    assert client.post(f"/meetings/{seen.id}/agenda").status_code in (400, 403)


def test_resident_rep_gets_403(client, world):
    login(client, "resident")
    assert client.get("/meetings/").status_code == 403
    assert client.get("/meetings/tasks").status_code == 403


def test_due_date_is_a_date(world):
    assert isinstance(make_meeting(world, tasks=[("x", "y", None, date(2026, 12, 1))]).tasks[0].due_date, date)


def test_header_edits_inline_through_htmx_and_stale_edit_conflicts(client, world):
    m = make_meeting(world, title="旧名称")
    login(client, "staff")
    form = client.get(f"/meetings/{m.id}/edit", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in form and 'value="旧名称"' in form
    data = dict(GOOD, title="新名称", kind_id=world.kinds["说事议事会"].id, community_id=world.a.id,
                compound_id=world.a1.id, version=m.version)
    r = post(client, f"/meetings/{m.id}/edit", data)
    assert r.status_code == 200 and "已保存。" in r.get_data(as_text=True) and "东风小区" in r.get_data(as_text=True)
    # The same (now stale) form sent again: a conflict, and the newer title stays.
    r = post(client, f"/meetings/{m.id}/edit", dict(data, title="又一个名称"))
    assert r.status_code == 409 and "该记录已被他人修改" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, m.id).title == "新名称"


def test_without_htmx_the_forms_still_work(client, world):
    m = make_meeting(world)
    login(client, "staff")
    r = post(client, f"/meetings/{m.id}/agenda", {"new-title": "无脚本也能添加"}, htmx=False)
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/meetings/{m.id}#agenda")
    r = post(client, f"/meetings/{m.id}/agenda", {"new-title": ""}, htmx=False)
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "<html" in body and "请填写议题。" in body
    assert count(AgendaItem) == 1


def test_company_sees_the_meeting_that_gave_it_a_task(client, world):
    m = make_meeting(world, title="未出席但有任务", tasks=[("清理楼道", "红旗物业", world.company, date(2026, 12, 1))])
    login(client, "comp")
    tasks = client.get("/meetings/tasks").get_data(as_text=True)
    assert "清理楼道" in tasks and f"/meetings/{m.id}" in tasks
    assert client.get(f"/meetings/{m.id}").status_code == 200
