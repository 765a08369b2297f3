"""/requests/<id>: one request with its timeline, and the steps of its life as small
forms (only those the user may take in its state). Each step posts to
/requests/<id>/act/<action>; a refused step answers 422 with the Chinese reason and
writes nothing; a step on a request someone changed meanwhile answers 409."""
from datetime import datetime

from flask import abort, flash, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import uploads
from ...audit.services import record_unmask
from ...clock import local_now
from ...extensions import db
from ...forms import CONFLICT_MESSAGE, BaseForm, save_or_conflict
from ...htmx import redirect_to
from ...pdf import pdf_response, render_pdf
from ...phones import reveal_response
from ...scope import STAFF_ROLES, get_scoped_or_404, roles_required
from .. import access, rules, services
from ..forms import ActForm, DecisionForm, EscalateForm, check_photos
from ..models import RequestEvent, RequestPhoto, ResidentRequest
from . import bp
from .common import categories, departments, get_request


def _act_form(item, formdata=True):
    form = ActForm() if formdata else ActForm(formdata=None)
    form.category_id.choices = [(None, "请选择类别")] + [(c.id, c.name) for c in categories()]
    form.department_id.choices = [(None, "请选择")] + [(d.id, d.name) for d in departments()]
    if not formdata or request.method == "GET":
        form.version.data = item.version
        form.category_id.data = item.category_id
    return form


def _meetings_for(item):
    """Upcoming draft meetings of the request's community (to put it on their agenda)."""
    from ...meetings.models import DRAFT, Meeting

    return db.session.scalars(select(Meeting).where(
        Meeting.community_id == item.community_id, Meeting.status == DRAFT, Meeting.is_current.is_(True),
        Meeting.starts_at >= local_now().replace(hour=0, minute=0)).order_by(Meeting.starts_at).limit(20)).all()


def _page(item, form=None, error=None, status=200, escalate_form=None, decision_form=None):
    from ...meetings.models import MeetingKind

    role = access.actor(item)
    events = db.session.scalars(select(RequestEvent).where(RequestEvent.request_id == item.id)
                                .options(selectinload(RequestEvent.meeting)).order_by(RequestEvent.id)).all()
    duplicates = db.session.scalars(select(ResidentRequest).where(
        ResidentRequest.duplicate_of_id == item.id, access.request_filter()).limit(20)).all()
    original = item.duplicate_of if item.duplicate_of_id and access.can_read(item.duplicate_of) else None
    escalate_form = escalate_form or EscalateForm(formdata=None)
    escalate_form.version.data = item.version
    meetings = _meetings_for(item) if role == "staff" else []
    escalate_form.meeting_id.choices = [(None, "新建一次议事会议（草稿）")] + [
        (m.id, f"{m.starts_at:%m月%d日 %H:%M} {m.title}") for m in meetings]
    kinds = db.session.scalars(select(MeetingKind).where(MeetingKind.active.is_(True), MeetingKind.street_id == item.street_id)
                               .order_by(MeetingKind.sort_order)).all()
    escalate_form.kind_id.choices = [(k.id, k.name) for k in kinds]
    decision_form = decision_form or DecisionForm(formdata=None)
    decision_form.version.data = item.version
    decision_form.department_id.choices = [(None, "请选择")] + [(d.id, d.name) for d in departments()]
    return render_template(
        "requests/detail.html", item=item, form=form or _act_form(item, formdata=False), error=error,
        role=role, actions=rules.allowed(item.status, role) if role else [], labels=rules.ACTION_LABELS,
        events=events, duplicates=duplicates, original=original, timing=item.timing(),
        escalate_form=escalate_form, decision_form=decision_form, handlers=rules.HANDLERS,
        satisfaction=rules.SATISFACTION, status_names=rules.STATUSES), status


@bp.route("/<int:request_id>")
@roles_required(*access.INBOX_ROLES)
def detail(request_id):
    return _page(get_request(request_id))


@bp.route("/<int:request_id>/act/<action>", methods=["POST"])
@roles_required(*access.INBOX_ROLES)
def act(request_id, action):
    item = get_request(request_id)
    if action not in rules.ACTIONS or action == "escalate":
        abort(404)
    role = access.actor(item)
    form = _act_form(item)
    if not form.validate_on_submit():
        return _page(item, form, status=422)
    if form.is_stale(item):
        return _page(item, form, error=CONFLICT_MESSAGE, status=409)
    refusal = rules.check(action, item.status, role)
    if refusal:
        return _page(item, form, error=refusal, status=422)
    photos = check_photos(form.photos) if action == "resolve" else []
    if photos is None:
        return _page(item, form, error=form.photos.errors[0], status=422)
    data = {"note": form.note.data, "satisfaction": form.satisfaction.data, "category_id": form.category_id.data,
            "assignee_kind": form.assignee_kind.data, "department_id": form.department_id.data,
            "public_reply": form.public_reply.data or None}
    if data["department_id"] is not None and data["department_id"] not in {d.id for d in departments()}:
        return _page(item, form, error="请选择列表中的外部门。", status=422)
    if data["category_id"] is not None and data["category_id"] not in {c.id for c in categories()}:
        return _page(item, form, error="请选择列表中的类别。", status=422)
    if action == "merge":
        data["duplicate_of"] = services.find_in_street(form.duplicate_receipt.data, access.request_filter())
    errors = []
    try:
        done = save_or_conflict(lambda: services.act(item, action, role, data, photos, current_user), errors)
    except services.Refused as exc:
        db.session.rollback()
        return _page(get_request(request_id), form, error=str(exc), status=422)
    if not done:
        return _page(get_request(request_id), form, error=errors[0], status=409)
    flash(f"已{rules.ACTION_LABELS[action]}。", "success")
    return redirect_to(url_for(".detail", request_id=item.id))


def _parse_local(text):
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


@bp.route("/<int:request_id>/escalate", methods=["POST"])
@roles_required(*STAFF_ROLES)
def escalate(request_id):
    """提交议事: on an upcoming draft meeting of the community, or a new draft meeting."""
    from ...meetings.models import Meeting, MeetingKind

    item = get_request(request_id)
    if access.actor(item) != "staff":
        abort(404)
    form = EscalateForm()
    form.meeting_id.choices = [(None, "")] + [(m.id, m.title) for m in _meetings_for(item)]
    if not form.validate_on_submit():
        return _page(item, escalate_form=form, status=422)
    if form.is_stale(item):
        return _page(item, error=CONFLICT_MESSAGE, status=409)
    meeting = None
    if form.meeting_id.data is not None:
        meeting = next((m for m in _meetings_for(item) if m.id == form.meeting_id.data), None)
        if meeting is None:
            return _page(item, error="请选择本社区即将召开的草稿会议。", status=422)
        starts_at = kind_id = None
    else:
        kind = db.session.get(MeetingKind, form.kind_id.data) if form.kind_id.data else None
        starts_at = _parse_local(form.starts_at.data or "")
        if kind is None or not kind.active or kind.street_id != item.street_id:
            return _page(item, error="请选择新会议的类型。", status=422)
        if starts_at is None or starts_at < local_now():
            return _page(item, error="请填写新会议今后的时间，如 2026-12-10 19:00。", status=422)
        kind_id = kind.id
    errors = []
    try:
        result = save_or_conflict(lambda: services.escalate(item, meeting, kind_id, starts_at, current_user), errors)
    except services.Refused as exc:
        db.session.rollback()
        return _page(get_request(request_id), error=str(exc), status=422)
    if not result:
        return _page(get_request(request_id), error=errors[0], status=409)
    flash("已提交议事，会议议程中已加入此诉求。", "success")
    return redirect_to(url_for(".detail", request_id=item.id))


@bp.route("/<int:request_id>/decision", methods=["POST"])
@roles_required(*STAFF_ROLES)
def decision(request_id):
    """The approved minutes' resolution on the request: close (办结) or reassign it."""
    item = get_request(request_id)
    if access.actor(item) != "staff":
        abort(404)
    form = DecisionForm()
    form.department_id.choices = [(None, "")] + [(d.id, d.name) for d in departments()]
    if not form.validate_on_submit():
        return _page(item, decision_form=form, status=422)
    if form.is_stale(item):
        return _page(item, error=CONFLICT_MESSAGE, status=409)
    errors = []
    assignee = {"assignee_kind": form.assignee_kind.data, "department_id": form.department_id.data}
    try:
        done = save_or_conflict(lambda: services.apply_meeting_decision(item, form.outcome.data, form.note.data,
                                                                        current_user, assignee), errors)
    except services.Refused as exc:
        db.session.rollback()
        return _page(get_request(request_id), error=str(exc), status=422)
    if not done:
        return _page(get_request(request_id), error=errors[0], status=409)
    flash("已按议事决议办理。", "success")
    return redirect_to(url_for(".detail", request_id=item.id))


@bp.route("/<int:request_id>/phone", methods=["POST"])
@roles_required(*STAFF_ROLES)
def phone(request_id):
    """Reveal the resident's masked phone (one click, audited)."""
    item = get_request(request_id)
    if not BaseForm().validate() or access.phone_view(item).state != "masked":
        abort(404)
    record_unmask(item, "phone")
    db.session.commit()
    return reveal_response(item.phone, f"诉求 {item.receipt_no} 留言人", url_for(".detail", request_id=item.id))


@bp.route("/<int:request_id>/slip.pdf")
@roles_required(*access.INBOX_ROLES)
def slip(request_id):
    """The 派单 slip (工单) as an A4 PDF; the phone as the user may see it."""
    item = get_request(request_id)
    events = db.session.scalars(select(RequestEvent).where(RequestEvent.request_id == item.id).order_by(RequestEvent.id)).all()
    data = render_pdf("requests/slip_pdf.html", item=item, events=events, phone=access.phone_view(item))
    return pdf_response(data, f"派单-{item.receipt_no}.pdf")


@bp.route("/photos/<int:photo_id>")
@roles_required(*access.INBOX_ROLES)
def photo(photo_id):
    """A request's photo, to those who may read the request."""
    photo = get_scoped_or_404(select(RequestPhoto).join(ResidentRequest, ResidentRequest.id == RequestPhoto.request_id)
                              .where(RequestPhoto.id == photo_id, access.request_filter()))
    return uploads.send(uploads.path_in(services.PHOTO_AREA, photo.stored_name), photo.mime,
                        f"诉求照片-{photo.id}.{photo.stored_name.rsplit('.', 1)[-1]}")
