"""The request's life through the pages: routing by category × compound on arrival, the
whole loop (grid worker records, company resolves, resident 不满意 reopens it to the same
company, resolved again, 满意), refused moves (a Chinese message, nothing written), the
409 on a concurrent step, duplicates, 催办 once a day, and who sees what."""
from sqlalchemy import select

from conftest import csrf_from
from rq_helpers import category, compound, fresh, latest, record, step
from webapp.extensions import db
from webapp.requests.models import RequestEvent, ResidentRequest


def _events(request_id):
    db.session.rollback()
    return db.session.scalars(select(RequestEvent.kind).where(RequestEvent.request_id == request_id)
                              .order_by(RequestEvent.id)).all()


def test_routing_by_category_and_compound(client, auth, fresh_demo):
    auth.login("jiyang_admin")
    grid = compound("济阳一社区示例小区4").grid
    cases = [
        ("济阳一社区示例老旧小区2", "漏水", "company", "泛华物业服务有限公司"),  # the compound's company
        ("济阳一社区示例院落8", "漏水", "community", "济阳示例一社区"),  # no company, so the community
        ("济阳一社区示例小区4", "车辆停放", "grid", f"济阳示例一社区{grid.name}"),  # the compound's grid
        ("水景花苑", "商铺油烟和噪音", "department", "城管执法中队"),  # a named outside department
        ("济阳一社区示例小区5", "邻里纠纷", "community", "济阳示例一社区"),
    ]
    for compound_name, category_name, kind, label in cases:
        r = record(client, compound_name, category_name, f"{compound_name}{category_name}的诉求内容")
        assert r.status_code == 303, (compound_name, r.get_data(as_text=True)[:300])
        item = latest()
        assert item.status == "dispatched" and item.assignee_kind == kind, compound_name
        assert item.assignee_label == label
        assert item.due_at is not None and item.warn_at <= item.due_at
        assert _events(item.id) == ["received", "routed"]
        routed = db.session.scalars(select(RequestEvent.note).where(RequestEvent.request_id == item.id,
                                                                    RequestEvent.kind == "routed")).one()
        assert routed.endswith(f"派至：{label}")  # named when the request was written in one flush
        page = client.get(r.headers["Location"]).get_data(as_text=True)
        assert f"已登记，回执号 {item.receipt_no}，已派至：{label}。" in page


def test_the_whole_loop_with_a_reopening(app, client, auth, fresh_demo):
    auth.login("jiyang_staff")
    r = record(client, "济阳一社区示例老旧小区2", "漏水", "6号楼楼道顶部漏水。", phone="13805328000")
    item = latest()
    auth.logout()
    # The company sees it in its inbox, with the phone in full, and handles it.
    auth.login("company_manager")
    inbox = client.get("/requests/").get_data(as_text=True)
    assert item.receipt_no in inbox
    assert "13805328000" in client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert step(client, item.id, "accept").status_code == 303
    assert step(client, item.id, "resolve", note="更换了漏水的管件。").status_code == 303
    assert fresh(item.id).status == "resolved"
    # A company may not do the staff's steps.
    r = step(client, item.id, "close")
    assert r.status_code == 422 and "承办单位不能“关闭”" in r.get_data(as_text=True)
    auth.logout()
    # The resident answers 不满意 on the receipt page: back to the same company.
    receipt = item.receipt_no
    page = client.get("/public/jiyang/jiyang/opinion/status", query_string={"receipt": receipt}).get_data(as_text=True)
    assert "您对办理结果满意吗" in page
    token = csrf_from(page)
    r = client.post("/public/jiyang/jiyang/opinion/status/visit", data={"csrf_token": token, "receipt": receipt,
                                                                  "satisfaction": "unsatisfied", "note": "还在漏"})
    assert r.status_code == 303
    again = fresh(item.id)
    assert again.status == "dispatched" and again.reopen_count == 1 and again.assignee_kind == "company"
    assert again.satisfaction == "unsatisfied"
    auth.login("company_manager")
    assert step(client, item.id, "accept").status_code == 303
    assert step(client, item.id, "resolve", note="重新更换整段下水管。").status_code == 303
    auth.logout()
    page = client.get("/public/jiyang/jiyang/opinion/status", query_string={"receipt": receipt}).get_data(as_text=True)
    token = csrf_from(page)
    r = client.post("/public/jiyang/jiyang/opinion/status/visit", data={"csrf_token": token, "receipt": receipt,
                                                                  "satisfaction": "satisfied"})
    assert r.status_code == 303
    done = fresh(item.id)
    assert done.status == "visited" and done.satisfaction == "satisfied" and done.reopen_count == 1
    assert _events(item.id) == ["received", "routed", "accept", "resolve", "visit", "reopen", "accept", "resolve", "visit"]
    # Staff close it; the timeline shows every step with who did it.
    auth.login("jiyang_staff")
    assert step(client, item.id, "close").status_code == 303
    detail = client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert "泛华物业 孙立华" in detail and "居民（回执页）" in detail and "重新办理" in detail


def test_refused_moves_say_why_and_write_nothing(client, auth, fresh_demo):
    auth.login("jiyang_staff")
    record(client, "济阳一社区示例老旧小区2", "漏水", "楼上漏水到楼下。")
    item = latest()
    before = (item.status, item.version, len(_events(item.id)))
    for action, text in (("resolve", "不能跳过中间环节"), ("close", "不能跳过中间环节"), ("visit", "不能跳过中间环节"),
                         ("reject", "请填写不予受理的理由")):
        r = step(client, item.id, action)
        assert r.status_code == 422 and text in r.get_data(as_text=True), action
        now = fresh(item.id)
        assert (now.status, now.version, len(_events(item.id))) == before, action


def test_a_step_on_a_request_changed_meanwhile_answers_409(client, auth, fresh_demo):
    auth.login("jiyang_staff")
    record(client, "济阳一社区示例老旧小区2", "漏水", "楼上漏水到楼下。")
    item = latest()
    token = csrf_from(client.get(f"/requests/{item.id}").get_data(as_text=True))
    old_version = item.version
    assert step(client, item.id, "chase", note="请尽快").status_code == 303
    r = client.post(f"/requests/{item.id}/act/accept", data={"csrf_token": token, "version": old_version})
    assert r.status_code == 409 and "该记录已被他人修改" in r.get_data(as_text=True)
    assert fresh(item.id).status == "dispatched"


def test_reject_with_a_reason_the_resident_sees(client, auth, fresh_demo):
    auth.login("jiyang_staff")
    record(client, "济阳一社区示例老旧小区2", "小区封闭", "建议小区封闭管理。")
    item = latest()
    assert step(client, item.id, "reject", note="该事项属于业主大会决定范围，请通过业委会提出。").status_code == 303
    auth.logout()
    page = client.get("/public/jiyang/jiyang/opinion/status", query_string={"receipt": item.receipt_no}).get_data(as_text=True)
    assert "不予受理" in page and "请通过业委会提出" in page


def test_a_duplicate_links_to_its_original_and_the_receipt_shows_the_originals_progress(client, auth, fresh_demo):
    auth.login("grid_worker")
    record(client, "珠海一区", "公共设施维修", "3号楼单元门禁坏了，外人随意进出。")
    original = latest()
    # The similar-request suggestion finds it while typing a new one.
    fragment = client.get("/requests/similar", query_string={
        "compound_id": compound("珠海一区").id, "category_id": category("公共设施维修", "珠海一区").id,
        "text": "3号楼单元门禁坏了"}).get_data(as_text=True)
    assert original.receipt_no in fragment and "作为它的重复诉求登记" in fragment
    r = record(client, "珠海一区", "公共设施维修", "3号楼门禁坏了好几天。", duplicate_of=original.receipt_no)
    assert r.status_code == 303
    dup = latest()
    assert dup.status == "merged" and dup.duplicate_of_id == original.id
    assert original.receipt_no in client.get(f"/requests/{dup.id}").get_data(as_text=True)
    assert dup.receipt_no in client.get(f"/requests/{original.id}").get_data(as_text=True)
    assert step(client, original.id, "accept").status_code == 303
    auth.logout()
    page = client.get("/public/yinzhu/shuangzhu/opinion/status", query_string={"receipt": dup.receipt_no}).get_data(as_text=True)
    assert original.receipt_no in page and "处理中" in page


def test_the_resident_chases_once_a_day(client, fresh_demo, auth):
    auth.login("jiyang_staff")
    record(client, "济阳一社区示例老旧小区2", "漏水", "楼上漏水到楼下。")
    item = latest()
    auth.logout()
    page = client.get("/public/jiyang/jiyang/opinion/status", query_string={"receipt": item.receipt_no}).get_data(as_text=True)
    token = csrf_from(page)
    assert client.post("/public/jiyang/jiyang/opinion/status/chase", data={"csrf_token": token, "receipt": item.receipt_no}).status_code == 303
    r = client.post("/public/jiyang/jiyang/opinion/status/chase", data={"csrf_token": token, "receipt": item.receipt_no})
    assert r.status_code == 422 and "今天已经催办过了" in r.get_data(as_text=True)
    assert fresh(item.id).chase_count == 1 and _events(item.id).count("chase") == 1


def test_who_sees_and_moves_what(client, auth, fresh_demo):
    auth.login("jiyang_staff")
    record(client, "济阳一社区示例老旧小区2", "墙体裂缝", "楼道墙体出现裂缝。", phone="13805328001")
    futong = latest()
    record(client, "水景花苑", "墙体裂缝", "外墙有裂缝。")
    shuijing = latest()  # 济宁水景物业, not the company manager's company
    auth.logout()
    auth.login("company_manager")
    assert client.get(f"/requests/{futong.id}").status_code == 200
    assert client.get(f"/requests/{shuijing.id}").status_code == 404
    assert step(client, shuijing.id, "accept", token_from="/requests/").status_code == 404
    assert client.get("/requests/new").status_code == 403
    auth.logout()
    # The grid worker of 珠海一区's grid: not 济阳's requests, nor another grid's in its own community.
    auth.login("grid_worker")
    assert client.get(f"/requests/{futong.id}").status_code == 404
    assert step(client, futong.id, "chase", token_from="/requests/", note="x").status_code == 404
    other_grid = db.session.scalar(select(ResidentRequest).join(ResidentRequest.compound).where(
        ResidentRequest.community_id == compound("珠海一区").community_id,
        ResidentRequest.compound_id != compound("珠海一区").id,
        ResidentRequest.compound_id.is_not(None)).limit(1))
    if compound(other_grid.compound.name).grid_id != compound("珠海一区").grid_id:
        assert client.get(f"/requests/{other_grid.id}").status_code == 404
    auth.logout()
    # The street admin sees the phone masked; community staff in full.
    auth.login("jiyang_admin")
    page = client.get(f"/requests/{futong.id}").get_data(as_text=True)
    assert "138****8001" in page and "13805328001" not in page
    auth.logout()
    auth.login("shuangzhu_staff")
    assert client.get(f"/requests/{futong.id}").status_code == 404
    assert client.get("/requests/settings").status_code == 403
