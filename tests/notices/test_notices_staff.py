"""Staff write notices for the board: publish now or later, expiry, attachments checked
by content and size, no HTML, withdraw with a reason; scope as everywhere."""
import os
from datetime import timedelta

from sqlalchemy import func, select

import crafted_files
from webapp.extensions import db

PNG = crafted_files.png()
PDF = crafted_files.pdf()


def _count():
    from webapp.notices.models import Notice, NoticeAttachment

    return db.session.scalar(select(func.count(Notice.id))), db.session.scalar(select(func.count(NoticeAttachment.id)))


def _target(name):
    from webapp.compounds.models import Community, Compound

    community = db.session.scalar(select(Community).where(Community.name == name))
    if community is not None:
        return f"c:{community.id}"
    return f"p:{db.session.scalar(select(Compound.id).where(Compound.name == name))}"


def _post(client, auth, data, files=None, url="/notices/new"):
    form = {"csrf_token": auth.csrf("/notices/new"), "category": "notice", "publish_mode": "now", **data}
    if files:
        form["attachments"] = files
    return client.post(url, data=form, content_type="multipart/form-data")


def _uploads():
    folder = os.path.join(os.environ["UPLOAD_DIR"], "notices")
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def test_staff_publish_now_shows_on_the_public_board(client, auth, fresh_demo):
    import io

    auth.login("shuangzhu_staff")
    r = _post(client, auth, {"title": "关于小区停水的通知", "body": "11月25日 9:00—15:00 停水。\n\n- 请提前储水",
                             "target": _target("双珠路社区")},
              files=[(io.BytesIO(PDF), "停水范围.pdf"), (io.BytesIO(PNG), "示意图.png")])
    assert r.status_code == 303, r.get_data(as_text=True)
    detail = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "已发布到公示栏" in detail and "公示中" in detail
    auth.logout()
    board = client.get("/public/yinzhu/shuangzhu/").get_data(as_text=True)
    assert "关于小区停水的通知" in board
    from webapp.notices.models import Notice

    notice = db.session.scalar(select(Notice).where(Notice.title == "关于小区停水的通知"))
    page = client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}").get_data(as_text=True)
    assert "<li>请提前储水</li>" in page and "停水范围.pdf" in page
    att = notice.attachments[0]
    f = client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}/files/{att.id}")
    assert f.status_code == 200 and f.data == PDF and f.mimetype == "application/pdf"
    assert "关于小区停水的通知" not in client.get("/public/yinzhu/jiyang/").get_data(as_text=True)


def test_scheduled_notice_waits_for_its_time(client, auth, fresh_demo):
    from webapp.notices.models import Notice, local_now

    auth.login("shuangzhu_staff")
    at = (local_now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    r = _post(client, auth, {"title": "关于冬季消防检查的通知", "body": "下周开展消防检查。", "publish_mode": "at",
                             "publish_at": at, "target": _target("珠海一区")})
    assert r.status_code == 303
    assert "将于" in client.get(r.headers["Location"]).get_data(as_text=True)
    notice = db.session.scalar(select(Notice).where(Notice.title == "关于冬季消防检查的通知"))
    assert notice.state_label == "待发布"
    assert "关于冬季消防检查的通知" not in client.get("/public/yinzhu/shuangzhu/archive").get_data(as_text=True)
    assert client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}").status_code == 404
    # Its time comes: it shows without anyone touching it.
    notice.publish_at = local_now() - timedelta(minutes=1)
    db.session.commit()
    assert "关于冬季消防检查的通知" in client.get("/public/yinzhu/shuangzhu/archive").get_data(as_text=True)


def test_expiry_before_publish_time_is_refused(client, auth, fresh_demo):
    from webapp.notices.models import local_now

    auth.login("shuangzhu_staff")
    before = _count()
    at = local_now() + timedelta(days=3)
    r = _post(client, auth, {"title": "测试公告", "body": "内容", "publish_mode": "at", "target": _target("双珠路社区"),
                             "publish_at": at.strftime("%Y-%m-%dT%H:%M"),
                             "expires_at": (at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")})
    assert r.status_code == 422
    assert "公示截止时间必须晚于发布时间" in r.get_data(as_text=True)
    assert _count() == before


def test_scheduled_without_a_time_is_refused(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    before = _count()
    r = _post(client, auth, {"title": "测试公告", "body": "内容", "publish_mode": "at", "target": _target("双珠路社区")})
    assert r.status_code == 422 and "定时发布请填写发布时间" in r.get_data(as_text=True)
    assert _count() == before


def test_oversized_attachment_is_refused_and_nothing_written(app, client, auth, fresh_demo):
    import io

    auth.login("shuangzhu_staff")
    before, files_before = _count(), _uploads()
    app.config["NOTICE_ATTACHMENT_MAX_BYTES"] = 1024 * 1024
    try:
        big = PDF + b"0" * (1024 * 1024 + 10)
        r = _post(client, auth, {"title": "收费标准", "body": "见附件。", "target": _target("双珠路社区")},
                  files=[(io.BytesIO(big), "收费表.pdf")])
    finally:
        app.config.pop("NOTICE_ATTACHMENT_MAX_BYTES")
    assert r.status_code == 422
    assert "附件“收费表.pdf”超过 1 MB 的上限" in r.get_data(as_text=True)
    assert _count() == before and _uploads() == files_before


def test_wrong_file_type_is_refused_by_content(client, auth, fresh_demo):
    import io

    auth.login("shuangzhu_staff")
    before, files_before = _count(), _uploads()
    fake = b"<html><script>alert(1)</script></html>"
    r = _post(client, auth, {"title": "收费标准", "body": "见附件。", "target": _target("双珠路社区")},
              files=[(io.BytesIO(PNG), "ok.png"), (io.BytesIO(fake), "收费表.pdf")])
    assert r.status_code == 422
    assert "不是 PDF、JPEG 或 PNG 文件" in r.get_data(as_text=True)
    assert _count() == before and _uploads() == files_before


def test_script_in_the_body_is_refused(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    before = _count()
    r = _post(client, auth, {"title": "通知", "body": "你好<script>alert('x')</script>", "target": _target("双珠路社区")})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "不能包含 HTML 标签或脚本" in html
    assert "<script>alert" not in html  # echoed back escaped
    assert _count() == before


def test_withdraw_needs_a_reason_and_is_audited(client, auth, fresh_demo):
    from webapp.audit.models import AuditLog
    from webapp.notices.models import Notice

    notice = db.session.scalar(select(Notice).where(Notice.title == "珠海一区物业服务收费标准"))
    assert "珠海一区物业服务收费标准" in client.get("/public/yinzhu/shuangzhu/").get_data(as_text=True)
    auth.login("shuangzhu_staff")
    token = auth.csrf(f"/notices/{notice.id}")
    r = client.post(f"/notices/{notice.id}/withdraw", data={"csrf_token": token, "reason": ""})
    assert r.status_code == 422 and "请填写撤回原因" in r.get_data(as_text=True)
    r = client.post(f"/notices/{notice.id}/withdraw", data={"csrf_token": token, "reason": "收费标准调整，另行公示", "confirm": "1"})
    assert r.status_code == 303
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "withdraw", AuditLog.entity_id == notice.id))
    assert entry.note == "收费标准调整，另行公示" and entry.username == "shuangzhu_staff"
    auth.logout()
    assert "珠海一区物业服务收费标准" not in client.get("/public/yinzhu/shuangzhu/").get_data(as_text=True)
    assert client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}.pdf").status_code == 404


def test_staff_stay_in_their_community(client, auth, fresh_demo):
    from webapp.notices.models import Notice

    auth.login("jiyang_staff")
    notice = db.session.scalar(select(Notice).where(Notice.title == "珠海一区物业服务收费标准"))
    assert client.get(f"/notices/{notice.id}").status_code == 404
    token = auth.csrf("/notices/new")
    assert client.post(f"/notices/{notice.id}/withdraw", data={"csrf_token": token, "reason": "x"}).status_code == 404
    before = _count()
    r = _post(client, auth, {"title": "越权公告", "body": "内容", "target": _target("双珠路社区")})
    assert r.status_code == 422 and _count() == before
    listing = client.get("/notices/").get_data(as_text=True)
    assert "水景花苑物业服务内容公示" in listing and "珠海一区物业服务收费标准" not in listing
    assert "济阳示例二社区电动车平价充电桩运行公示" not in listing  # another community of 济阳
    neighbour = db.session.scalar(select(Notice).where(Notice.title == "济阳示例二社区电动车平价充电桩运行公示"))
    assert client.get(f"/notices/{neighbour.id}").status_code == 404
    # Street-wide notices of its own street are read-only for community staff: a write answers 404.
    street = db.session.scalar(select(Notice).where(Notice.title == "关于开展每月“走访日”活动的通知"))
    assert street.community_id is None
    assert client.get(f"/notices/{street.id}").status_code == 200
    other_street = db.session.scalar(select(Notice).where(Notice.title.like("隐珠街道%")))
    assert other_street.community_id is None and client.get(f"/notices/{other_street.id}").status_code == 404
    assert client.get(f"/notices/{street.id}/edit").status_code == 404


def test_edit_with_a_stale_version_is_refused(client, auth, fresh_demo):
    from webapp.notices.models import Notice

    notice = db.session.scalar(select(Notice).where(Notice.title == "珠海一区物业服务收费标准"))
    auth.login("shuangzhu_staff")
    r = _post(client, auth, {"title": "改过的标题", "body": notice.body, "category": "fees", "target": _target("珠海一区"),
                             "version": str(notice.version - 1 if notice.version > 1 else 99)},
              url=f"/notices/{notice.id}/edit")
    assert r.status_code == 409 and "已被他人修改" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).title == "珠海一区物业服务收费标准"


def test_cached_board_sees_a_new_notice_at_once(app, client, auth, fresh_demo):
    """With the public cache on, a commit anywhere marks cached pages stale."""
    app.config["PUBLIC_CACHE_SECONDS"] = 300
    try:
        first = client.get("/public/yinzhu/shuangzhu/")
        assert client.get("/public/yinzhu/shuangzhu/").headers["ETag"] == first.headers["ETag"]
        assert client.get("/public/yinzhu/shuangzhu/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
        auth.login("shuangzhu_staff")
        r = _post(client, auth, {"title": "缓存后新发布的通知", "body": "内容", "target": _target("双珠路社区")})
        assert r.status_code == 303
        assert "缓存后新发布的通知" in client.get("/public/yinzhu/shuangzhu/").get_data(as_text=True)
    finally:
        app.config.pop("PUBLIC_CACHE_SECONDS")


def test_a_published_notice_leaves_the_board_only_by_withdrawal(client, auth, fresh_demo):
    from webapp.notices.models import Notice

    notice = db.session.scalar(select(Notice).where(Notice.title == "珠海一区物业服务收费标准"))
    auth.login("shuangzhu_staff")
    r = _post(client, auth, {"title": notice.title, "body": notice.body, "category": "fees", "target": _target("珠海一区"),
                             "publish_mode": "draft", "version": str(notice.version)}, url=f"/notices/{notice.id}/edit")
    assert r.status_code == 422 and "已发布的公告不能改回草稿" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).is_live()
