"""/meetings/<id>/submit, /return, /approve, /correct: the minutes' review and correction."""
from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from ...confirm import ask, confirmed
from ...documents import services as documents
from ...extensions import db
from ...forms import save_or_conflict
from ...scope import STAFF_ROLES, roles_required
from .. import access, services
from ..forms import ReasonForm, ReturnForm
from ..models import ApprovedMinutesError, Meeting
from . import bp
from .common import _load, _load_for_write
from .record import _detail_context


def _lifecycle(meeting_id, action, approver=False, approving=False):
    meeting = _load_for_write(meeting_id)
    if approver and current_user.role not in access.APPROVERS:
        abort(403)
    if approving:
        problem = access.approval_problem(meeting)
        if problem:
            return render_template("meetings/detail.html", **_detail_context(meeting, lifecycle_message=problem)), 409
    problems = []
    try:
        result = save_or_conflict(lambda: action(meeting), problems)
    except (services.LifecycleError, ApprovedMinutesError) as e:
        db.session.rollback()
        problems.append(str(e))
    if problems:
        meeting = _load(meeting_id)
        return render_template("meetings/detail.html", **_detail_context(meeting, lifecycle_message=problems[0])), 409
    target = result if isinstance(result, Meeting) else meeting
    return redirect(url_for("meetings.detail", meeting_id=target.id), 303)


@bp.route("/<int:meeting_id>/submit", methods=["POST"])
@roles_required(*STAFF_ROLES)
def submit(meeting_id):
    def action(meeting):
        services.submit(meeting)
        flash("纪要已提交审核，审核期间不能修改。", "success")

    return _lifecycle(meeting_id, action)


@bp.route("/<int:meeting_id>/return", methods=["POST"])
@roles_required(*STAFF_ROLES)
def return_draft(meeting_id):
    form = ReturnForm()

    def action(meeting):
        services.return_to_draft(meeting, form.note.data or "")
        flash("纪要已退回修改。", "success")

    if not form.validate():
        abort(400)
    return _lifecycle(meeting_id, action, approver=True)


@bp.route("/<int:meeting_id>/approve", methods=["POST"])
@roles_required(*STAFF_ROLES)
def approve(meeting_id):
    meeting = _load_for_write(meeting_id)
    if meeting.status == "submitted" and access.can_approve(meeting) and not confirmed():
        published = [r for r in meeting.resolutions if r.publish]
        return ask(f"审定“{meeting.minutes_title}”？", url_for("meetings.approve", meeting_id=meeting.id),
                   ["纪要审定后锁定，内容不能再修改；如需更正，须说明原因并生成新版本",
                    f"审定人记为您本人（{current_user.display_name}），审定时间记为现在",
                    f"{len(published)} 条决议随后向居民公开" if published else "没有需要向居民公开的决议"],
                   services.approval_gaps(meeting), back=url_for("meetings.detail", meeting_id=meeting.id),
                   button="确认审定")

    def action(meeting):
        services.approve(meeting)
        flash("纪要已审定。审定后的纪要不能再修改。", "success")

    response = make_response(_lifecycle(meeting_id, action, approver=True, approving=True))
    if response.status_code == 303:  # approved: its PDF is rendered once, now, as a job
        documents.issue_later("minutes", meeting_id, "审定纪要定稿 PDF", current_user)
    return response


@bp.route("/<int:meeting_id>/correct", methods=["POST"])
@roles_required(*STAFF_ROLES)
def correct(meeting_id):
    meeting = _load_for_write(meeting_id)
    form = ReasonForm()
    if not meeting.is_approved:
        return render_template("meetings/detail.html", **_detail_context(
            meeting, lifecycle_message="只有已审定的纪要需要更正；草稿可直接修改。")), 409
    if not form.validate():
        ctx = _detail_context(meeting)
        ctx["reason_form"] = form
        return render_template("meetings/detail.html", **ctx), 422

    def action(m):
        copy = services.correct(m, form.reason.data)
        flash(f"已生成第 {copy.revision} 版纪要（草稿），原审定版本保留可查。", "success")
        return copy

    return _lifecycle(meeting_id, action)
