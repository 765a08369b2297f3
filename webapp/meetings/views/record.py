"""/meetings/new and /meetings/<id>: plan a meeting, edit its header, and record the minutes
on one HTMX page (sign-in sheet, agenda and discussion, resolutions, follow-up tasks)."""

from flask import flash, redirect, render_template, request, url_for

from ...clock import local_today
from ...compounds.models import Compound
from ...extensions import db
from ...forms import save_or_conflict
from ...htmx import is_htmx, page_or_fragment
from ...scope import STAFF_ROLES, roles_required, user_community_id
from .. import access, printing, services
from ..forms import (
    AgendaForm, AttendanceForm, AttendeeForm, MeetingForm, ReasonForm, ResolutionForm, ReturnForm,
    TaskForm,
)
from ..models import AgendaItem, ApprovedMinutesError, Attendee, FollowUpTask, MeetingKind, Resolution
from . import bp
from ... import picker
from ...companies import access as company_access
from ...companies.models import PropertyCompany
from ...compounds import access as compound_access
from .common import LOCKED_MESSAGE, READERS, _child, _load, _load_for_write


def _company_picker(form_field):
    """An attendee's or a task's company: a picker of the companies the user may link."""
    picker.fill(form_field, "companies.pick", company_access.pick_stmt(), PropertyCompany.id, PropertyCompany.name,
                blank="（无）")


def _meeting_form_choices(form):
    form.kind_id.choices = [(k.id, k.name) for k in services.active_kinds()]
    if form.kind_id.data and form.kind_id.data not in {k for k, _ in form.kind_id.choices}:
        kind = db.session.scalar(services.street_kinds().where(MeetingKind.id == form.kind_id.data))
        if kind:
            form.kind_id.choices.append((kind.id, kind.name))
    form.community_id.choices = [(c.id, c.name) for c in access.community_choices()]
    picker.fill(form.compound_id, "compounds.pick", compound_access.pick_stmt(), Compound.id, Compound.name,
                blank=None if access.needs_compound() else "（整个社区）", label=compound_access.pick_label)


def _check_compound(form):
    """The chosen compound must belong to the chosen community, and the user may plan a
    meeting there (a grid worker: one of its grid's compounds)."""
    if form.compound_id.data:
        compound = db.session.get(Compound, form.compound_id.data)
        if compound is None or compound.community_id != form.community_id.data:
            form.compound_id.errors.append("所选小区不属于所选社区。")
            return False
    if not access.can_target(form.community_id.data, form.compound_id.data or None):
        form.compound_id.errors.append("请选择本网格的小区。" if access.needs_compound() else "不能在此范围安排会议。")
        return False
    return True


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def new():
    form = MeetingForm()
    _meeting_form_choices(form)
    if request.method == "GET":
        default_community = user_community_id()
        if default_community:
            form.community_id.data = default_community
        form.place.data = form.place.data or "红色议事厅"
    if form.validate_on_submit() and _check_compound(form):
        meeting = services.create_meeting(form.data)
        db.session.commit()
        flash("会议已创建，可以开始记录签到、议题和决议。", "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id), 303)
    status = 422 if request.method == "POST" and not picker.finding() else 200
    return render_template("meetings/new.html", form=form), status


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def edit(meeting_id):
    meeting = _load_for_write(meeting_id)

    def form_page(status=200, **ctx):
        return page_or_fragment("meetings/edit.html", "meetings/_header_form.html", status, **ctx)

    if not meeting.is_draft:
        if is_htmx():
            return render_template("meetings/_header.html", meeting=meeting, message=LOCKED_MESSAGE, editable=False), 409
        return render_template("meetings/edit.html", meeting=meeting, form=None, message=LOCKED_MESSAGE), 409
    form = MeetingForm(obj=meeting if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = meeting.version
        form.compound_id.data = meeting.compound_id
    _meeting_form_choices(form)
    if request.method == "POST":
        if form.validate() and _check_compound(form):
            if form.is_stale(meeting):
                return form_page(409, meeting=meeting, form=form)
            if save_or_conflict(lambda: services.update_meeting(meeting, form.data), form.form_errors):
                if is_htmx():
                    return render_template("meetings/_header.html", meeting=meeting, editable=True,
                                           saved="已保存。")
                flash("会议信息已保存。", "success")
                return redirect(url_for("meetings.detail", meeting_id=meeting.id), 303)
            return form_page(409, meeting=_load(meeting_id), form=form)
        return form_page(422, meeting=meeting, form=form)
    return form_page(meeting=meeting, form=form)


@bp.route("/<int:meeting_id>/header")
@roles_required(*READERS)
def header(meeting_id):
    """The header panel alone (HTMX: 'cancel' on the inline edit form)."""
    meeting = _load(meeting_id)
    return render_template("meetings/_header.html", meeting=meeting,
                           editable=meeting.is_draft and access.can_edit(meeting))


def _section_context(meeting, **extra):
    editable = meeting.is_draft and access.can_edit(meeting)
    ctx = dict(meeting=meeting, editable=editable, item_forms={}, conflicts={}, message=None,
               add_form=None, today=local_today(), can_close=access.can_close_task, saved_id=None)
    ctx.update(extra)
    return ctx


def _render_section(name, meeting, status=200, full=False, **extra):
    ctx = _section_context(meeting, **extra)
    if ctx["add_form"] is None:
        ctx["add_form"] = _blank_add_form(name)
    if not is_htmx() and (status != 200 or full):
        return render_template("meetings/detail.html", **_detail_context(meeting, **{name: ctx})), status
    return render_template(f"meetings/_{name}.html", s=ctx), status


def _blank_add_form(name):
    if name == "attendees":
        form = AttendeeForm(prefix="new", formdata=None)
        _company_picker(form.company_id)
        return form
    if name == "agenda":
        return AgendaForm(prefix="new", formdata=None)
    if name == "resolutions":
        return ResolutionForm(prefix="new", formdata=None)
    if name == "tasks":
        form = TaskForm(prefix="new", formdata=None)
        _company_picker(form.owner_company_id)
        return form
    return None


def _detail_context(meeting, **overrides):
    sections = {}
    for name in ("attendees", "agenda", "resolutions", "tasks"):
        sections[name] = overrides.get(name) or dict(_section_context(meeting), add_form=_blank_add_form(name))
    done, total = services.task_counts([meeting.id], {meeting.id: meeting.previous_id}).get(meeting.id, (0, 0))
    from ...requests import access as requests_access

    return dict(
        linked_requests=requests_access.linked_to_meeting(meeting),
        meeting=meeting, sections=sections, versions=services.versions(meeting), task_done=done, task_total=total,
        can_write=access.can_edit(meeting), can_approve=access.can_approve(meeting),
        can_return=access.can_return(meeting), approval_problem=access.approval_problem(meeting),
        editable=meeting.is_draft and access.can_edit(meeting), section_names=printing.SECTIONS,
        reason_form=ReasonForm(formdata=None), return_form=ReturnForm(formdata=None),
        lifecycle_message=overrides.get("lifecycle_message"),
    )


@bp.route("/<int:meeting_id>")
@roles_required(*READERS)
def detail(meeting_id):
    meeting = _load(meeting_id)
    return render_template("meetings/detail.html", **_detail_context(meeting))


def _add(meeting_id, name, form_class, write):
    meeting = _load_for_write(meeting_id)
    if not meeting.is_draft:
        return _render_section(name, meeting, 409, message=LOCKED_MESSAGE)
    form = form_class(prefix="new")
    if hasattr(form, "company_id"):
        _company_picker(form.company_id)
    if hasattr(form, "owner_company_id"):
        _company_picker(form.owner_company_id)
    if request.form.get("_pick"):  # a picker's "查找" without JavaScript: show the matches, save nothing
        return _render_section(name, meeting, 200, full=True, add_form=form)
    if not form.validate():
        return _render_section(name, meeting, 422, add_form=form)
    problems = []
    try:
        saved = save_or_conflict(lambda: write(meeting, form.data), problems)
    except ApprovedMinutesError:
        db.session.rollback()
        return _render_section(name, _load(meeting_id), 409, message=LOCKED_MESSAGE)
    if not saved:
        return _render_section(name, _load(meeting_id), 409, message=problems[0], add_form=form)
    db.session.refresh(meeting)
    if not is_htmx():
        return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor=name), 303)
    return _render_section(name, meeting)


def _update(meeting_id, name, model, child_id, form_class, write, prefix):
    meeting = _load_for_write(meeting_id)
    obj = _child(model, meeting, child_id)
    if not meeting.is_draft:
        return _render_section(name, meeting, 409, message=LOCKED_MESSAGE)
    form = form_class(prefix=prefix)
    if not form.validate():
        return _render_section(name, meeting, 422, item_forms={obj.id: form})
    typed = {k: v for k, v in form.data.items() if k not in ("csrf_token", "version")}
    if form.is_stale(obj):
        return _render_section(name, meeting, 409, conflicts={obj.id: typed})
    if not save_or_conflict(lambda: write(obj, form.data)):
        meeting = _load(meeting_id)
        return _render_section(name, meeting, 409, conflicts={obj.id: typed})
    if not is_htmx():
        return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor=name), 303)
    return _render_section(name, meeting, message=None, saved_id=obj.id)


def _delete(meeting_id, name, model, child_id):
    meeting = _load_for_write(meeting_id)
    obj = _child(model, meeting, child_id)
    if not meeting.is_draft:
        return _render_section(name, meeting, 409, message=LOCKED_MESSAGE)
    problems = []
    if not save_or_conflict(lambda: services.delete_content(obj), problems):
        return _render_section(name, _load(meeting_id), 409, message=problems[0])
    db.session.refresh(meeting)
    if not is_htmx():
        return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor=name), 303)
    return _render_section(name, meeting)


@bp.route("/<int:meeting_id>/attendees", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_attendee(meeting_id):
    return _add(meeting_id, "attendees", AttendeeForm, services.add_attendee)


@bp.route("/<int:meeting_id>/attendees/<int:attendee_id>", methods=["POST"])
@roles_required(*STAFF_ROLES)
def update_attendee(meeting_id, attendee_id):
    return _update(meeting_id, "attendees", Attendee, attendee_id, AttendanceForm, services.update_attendee,
                   f"att{attendee_id}")


@bp.route("/<int:meeting_id>/attendees/<int:attendee_id>/delete", methods=["POST"])
@roles_required(*STAFF_ROLES)
def delete_attendee(meeting_id, attendee_id):
    return _delete(meeting_id, "attendees", Attendee, attendee_id)


@bp.route("/<int:meeting_id>/agenda", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_agenda(meeting_id):
    return _add(meeting_id, "agenda", AgendaForm, services.add_agenda_item)


@bp.route("/<int:meeting_id>/agenda/<int:item_id>", methods=["POST"])
@roles_required(*STAFF_ROLES)
def update_agenda(meeting_id, item_id):
    return _update(meeting_id, "agenda", AgendaItem, item_id, AgendaForm, services.update_agenda_item,
                   f"item{item_id}")


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/delete", methods=["POST"])
@roles_required(*STAFF_ROLES)
def delete_agenda(meeting_id, item_id):
    return _delete(meeting_id, "agenda", AgendaItem, item_id)


@bp.route("/<int:meeting_id>/resolutions", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_resolution(meeting_id):
    return _add(meeting_id, "resolutions", ResolutionForm, services.add_resolution)


@bp.route("/<int:meeting_id>/resolutions/<int:resolution_id>", methods=["POST"])
@roles_required(*STAFF_ROLES)
def update_resolution(meeting_id, resolution_id):
    return _update(meeting_id, "resolutions", Resolution, resolution_id, ResolutionForm, services.update_resolution,
                   f"res{resolution_id}")


@bp.route("/<int:meeting_id>/resolutions/<int:resolution_id>/delete", methods=["POST"])
@roles_required(*STAFF_ROLES)
def delete_resolution(meeting_id, resolution_id):
    return _delete(meeting_id, "resolutions", Resolution, resolution_id)


@bp.route("/<int:meeting_id>/tasks", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_task(meeting_id):
    return _add(meeting_id, "tasks", TaskForm, services.add_task)


@bp.route("/<int:meeting_id>/tasks/<int:task_id>/delete", methods=["POST"])
@roles_required(*STAFF_ROLES)
def delete_task(meeting_id, task_id):
    return _delete(meeting_id, "tasks", FollowUpTask, task_id)
