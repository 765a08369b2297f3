"""Locking and publishing actions ask first, without JavaScript: the button's plain POST
answers a page that says what will happen and what is missing (the unscored sheets by
name), and changes nothing; only its 确认 form (a plain POST with confirm=1) acts."""
import re
from datetime import date

from sqlalchemy import select

from conftest import csrf_from
from webapp.assessments.models import AssessmentRound, QuarterRanking, quarter_label
from webapp.extensions import db
from webapp.meetings.models import Meeting
from webapp.notices.models import Notice


def _confirm_form(html):
    """(action, fields) of the confirmation page's form: what a browser without JS posts."""
    form = next((f for f in re.finditer(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html, re.S)
                 if 'name="confirm"' in f.group(2)), None)
    assert form, "no confirmation form"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    return form.group(1).replace("&amp;", "&"), fields


def test_closing_a_month_with_unscored_sheets_names_them_and_waits_for_confirmation(client, auth, fresh_demo):
    rnd = db.session.scalar(select(AssessmentRound).where(AssessmentRound.month == date(2026, 11, 1)))
    unscored = [s for s in rnd.sheets if not any(sc.is_submitted for sc in s.scores)]
    assert unscored, "the demo's open month has unscored sheets"
    auth.login("street_admin")
    detail = client.get(f"/assessments/rounds/{rnd.id}").get_data(as_text=True)
    token = csrf_from(detail)
    r = client.post(f"/assessments/rounds/{rnd.id}/close", data={"csrf_token": token})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and f"关闭{rnd.title}？" in html
    assert "尚未完成" in html and "锁定全部" in html
    for sheet in unscored:
        assert f"{sheet.company.name} · {sheet.compound.name}：尚未评分" in html
    db.session.expire_all()
    assert not db.session.get(AssessmentRound, rnd.id).is_closed  # asked, not done
    action, fields = _confirm_form(html)
    assert fields["confirm"] == "1" and action == f"/assessments/rounds/{rnd.id}/close"
    assert client.post(action, data=fields).status_code == 303
    db.session.expire_all()
    assert db.session.get(AssessmentRound, rnd.id).is_closed


def _yinzhu_q3():
    """隐珠街道's 2026Q3 ranking (each street ranks its own quarter)."""
    from webapp.compounds.models import Street

    street_id = select(Street.id).where(Street.slug == "yinzhu").scalar_subquery()
    return select(QuarterRanking).where(QuarterRanking.quarter == "2026Q3", QuarterRanking.street_id == street_id)


def test_publishing_a_ranking_asks_first(client, auth, fresh_demo):
    q3 = db.session.scalar(_yinzhu_q3())
    q3.published_at, q3.snapshot = None, None
    db.session.commit()
    auth.login("street_admin")
    token = auth.csrf("/assessments/ranking?quarter=2026Q3")
    r = client.post("/assessments/ranking/publish?quarter=2026Q3", data={"csrf_token": token})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and f"发布{quarter_label('2026Q3')}考核排名？" in html
    assert "发布后不能再修改" in html and "公示栏" in html
    db.session.expire_all()
    assert db.session.scalar(_yinzhu_q3()).published_at is None
    action, fields = _confirm_form(html)
    assert client.post(action, data=fields).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(_yinzhu_q3()).published_at is not None


def test_withdrawing_a_notice_asks_first_and_keeps_the_reason(client, auth, fresh_demo):
    notice = db.session.scalar(select(Notice).where(Notice.title == "珠海一区物业服务收费标准"))
    auth.login("shuangzhu_staff")
    token = auth.csrf(f"/notices/{notice.id}")
    r = client.post(f"/notices/{notice.id}/withdraw", data={"csrf_token": token, "reason": "收费标准调整"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "撤回公告“珠海一区物业服务收费标准”？" in html
    assert "撤回原因记入操作记录：收费标准调整" in html and "1 个附件不再公开" in html
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).status == "published"
    action, fields = _confirm_form(html)
    assert fields["reason"] == "收费标准调整"
    assert client.post(action, data=fields).status_code == 303
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).status == "withdrawn"
    assert db.session.get(Notice, notice.id).withdraw_reason == "收费标准调整"


def test_approving_minutes_asks_first_and_says_what_is_missing(client, auth, fresh_demo):
    meeting = db.session.scalar(select(Meeting).where(Meeting.status == "draft", Meeting.community.has(name="双珠路社区"))
                                .order_by(Meeting.id))
    assert meeting.agenda, "a draft with an agenda"
    meeting.status, meeting.submitted_by = "submitted", "别人"
    for r in list(meeting.resolutions):
        db.session.delete(r)
    db.session.commit()
    auth.login("street_admin")
    token = auth.csrf(f"/meetings/{meeting.id}")
    r = client.post(f"/meetings/{meeting.id}/approve", data={"csrf_token": token})
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html
    assert "审定“" in html and "纪要审定后锁定" in html and "没有记录决议" in html
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == "submitted"
    action, fields = _confirm_form(html)
    assert client.post(action, data=fields).status_code == 303
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == "approved"


def test_the_security_policy_holds_the_self_approval_setting(app, fresh_demo):
    """The street's setting that the minutes approval rule reads (`meetings/access.py`
    asks `policy().allow_self_approval`): off by default, set on /security/, audited."""
    from conftest import AuthActions
    from webapp.audit.models import AuditLog
    from webapp.security.models import SecurityPolicy, policy

    assert policy().allow_self_approval is False
    sec = app.test_client()
    assert AuthActions(sec).login("security_admin").status_code == 303
    page = sec.get("/security/").get_data(as_text=True)
    assert "允许记录或提交纪要的人审定同一份纪要" in page and 'name="allow_self_approval"' in page
    data = {"csrf_token": csrf_from(page), "version": "0", "password_min_length": "8", "password_min_classes": "3",
            "password_history": "3", "admin_password_max_age_days": "90", "lockout_threshold": "5",
            "lockout_minutes": "15", "address_attempts": "30", "idle_minutes": "30", "absolute_hours": "12",
            "totp_roles": ["system_admin", "security_admin", "audit_admin"], "allow_self_approval": "y"}
    assert sec.post("/security/", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(SecurityPolicy)).allow_self_approval is True
    entry = db.session.scalar(select(AuditLog).where(AuditLog.entity == "security_policy"))
    assert entry is not None and entry.username == "security_admin"
