"""/meetings/: plan meetings, record minutes on one HTMX page, approve, correct, print,
follow up tasks, and check 三会三公开 compliance."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..auth.models import COMPANY_USER, STREET_ADMIN
from ..companies.models import PropertyCompany
from ..compounds.models import Compound
from ..extensions import db
from ..forms import CONFLICT_MESSAGE, bounded_id, id_arg, page_arg
from ..pdf import pdf_response, render_pdf
from ..scope import (
    STAFF_ROLES, can_write_community, compound_filter, get_scoped_or_404, roles_required, user_community_id,
    visible_communities, visible_compounds,
)
from . import services
from .forms import (
    AgendaForm, AttendanceForm, AttendeeForm, CloseTaskForm, KindForm, MeetingForm, ReasonForm,
    RequirementForm, ResolutionForm, ReturnForm, TaskForm,
)
from .models import (
    STATUSES, TASK_DONE, TASK_OPEN, AgendaItem, ApprovedMinutesError, Attendee, FollowUpTask, Meeting,
    MeetingKind, Requirement, Resolution,
)

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
READERS = STAFF_ROLES + (COMPANY_USER,)
PAGE_SIZE = 20
SECTIONS = {
    "attendees": "出席与缺席",
    "agenda": "议题与讨论",
    "resolutions": "会议决议",
    "tasks": "跟进任务",
    "signatures": "签字栏",
    "signin": "签到表（单独一页）",
}
LOCKED_MESSAGE = "纪要已提交审核或已审定，不能修改。如需更正已审定的纪要，请使用“更正”生成新版本。"


def _htmx():
    return request.headers.get("HX-Request") == "true"


def _load(meeting_id):
    return get_scoped_or_404(
        select(Meeting).where(Meeting.id == meeting_id, services.meeting_filter())
        .options(joinedload(Meeting.kind), joinedload(Meeting.community), joinedload(Meeting.compound))
    )


def _load_for_write(meeting_id):
    meeting = _load(meeting_id)
    services.require_write(meeting)
    return meeting


def _child(model, meeting, child_id):
    obj = db.session.get(model, child_id)
    if obj is None or obj.meeting_id != meeting.id:
        abort(404)
    return obj


def _companies():
    return db.session.scalars(select(PropertyCompany).order_by(PropertyCompany.name)).all()


def _company_choices():
    return [("", "（无）")] + [(str(c.id), c.name) for c in _companies()]


def _meeting_form_choices(form):
    form.kind_id.choices = [(k.id, k.name) for k in services.active_kinds()]
    if form.kind_id.data and form.kind_id.data not in {k for k, _ in form.kind_id.choices}:
        kind = db.session.get(MeetingKind, form.kind_id.data)
        if kind:
            form.kind_id.choices.append((kind.id, kind.name))
    form.community_id.choices = [(c.id, c.name) for c in visible_communities() if can_write_community(c.id)]
    form.compound_id.choices = [("", "（整个社区）")] + [
        (str(c.id), f"{c.community.name} · {c.name}") for c in visible_compounds()
        if can_write_community(c.community_id)]


def _check_compound(form):
    """The chosen compound must belong to the chosen community."""
    if form.compound_id.data:
        compound = db.session.get(Compound, form.compound_id.data)
        if compound is None or compound.community_id != form.community_id.data:
            form.compound_id.errors.append("所选小区不属于所选社区。")
            return False
    return True


def _commit_or_conflict():
    """Commit; True on success. A concurrent save (stale version) rolls back."""
    try:
        db.session.commit()
        return True
    except StaleDataError:
        db.session.rollback()
        return False


# --- list -------------------------------------------------------------------------

def _parse_date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int_arg(name):
    """A positive int from the query string (bounded to an id's range), else None."""
    return id_arg(request.args, name)


@bp.route("/")
@roles_required(*READERS)
def index():
    """Meetings in scope, filtered and paginated; only the newest version of each."""
    args = dict(
        kind=_int_arg("kind"), community=_int_arg("community"), compound=_int_arg("compound"),
        start=_parse_date(request.args.get("start")), end=_parse_date(request.args.get("end")),
        q=(request.args.get("q") or "").strip()[:100], status=request.args.get("status") or "",
    )
    bad_range = args["start"] and args["end"] and args["end"] < args["start"]
    conds = [services.meeting_filter(), Meeting.is_current == True]  # noqa: E712  ("= 1" uses the index)
    if args["kind"]:
        conds.append(Meeting.kind_id == args["kind"])
    if args["community"]:
        conds.append(Meeting.community_id == args["community"])
    if args["compound"]:
        conds.append(Meeting.compound_id == args["compound"])
    lo, hi = services.day_range(args["start"], args["end"])
    if lo:
        conds.append(Meeting.starts_at >= lo)
    if hi:
        conds.append(Meeting.starts_at < hi)
    if args["q"]:
        conds.append(services.search_condition(args["q"]))
    if args["status"] in STATUSES:
        conds.append(Meeting.status == args["status"])
    page = page_arg(request.args)
    # Two steps: the page's ids from a narrow, index-ordered query, then those rows with
    # their kind and places (one query each): statements and rows loaded do not grow with
    # the table. A text search scans the text once: the total comes from a window count.
    ordered = select(Meeting.id).where(*conds).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    window = (PAGE_SIZE, (page - 1) * PAGE_SIZE)
    if args["q"]:
        found = db.session.execute(ordered.add_columns(func.count().over().label("total"))
                                   .limit(window[0]).offset(window[1])).all()
        ids = [row.id for row in found]
        total = found[0].total if found else db.session.scalar(select(func.count(Meeting.id)).where(*conds))
    else:
        total = db.session.scalar(select(func.count(Meeting.id)).where(*conds))
        ids = db.session.scalars(ordered.limit(window[0]).offset(window[1])).all()
    rows = {m.id: m for m in db.session.scalars(
        select(Meeting).where(Meeting.id.in_(ids or [0]))
        .options(selectinload(Meeting.kind), selectinload(Meeting.community), selectinload(Meeting.compound))
    )}
    meetings = [rows[i] for i in ids]
    counts = services.task_counts([m.id for m in meetings])
    return render_template(
        "meetings/index.html", meetings=meetings, counts=counts, total=total, page=page, page_size=PAGE_SIZE,
        args=args, bad_range=bad_range, kinds=db.session.scalars(select(MeetingKind).order_by(MeetingKind.sort_order)).all(),
        communities=visible_communities(), compounds=visible_compounds(), statuses=STATUSES,
        can_plan=current_user.role in STAFF_ROLES,
    )


# --- plan and edit the header -----------------------------------------------------

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
        meeting = Meeting(kind_id=form.kind_id.data, community_id=form.community_id.data)
        _fill(meeting, form)
        db.session.add(meeting)
        db.session.commit()
        flash("会议已创建，可以开始记录签到、议题和决议。", "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/new.html", form=form), status


def _fill(meeting, form):
    for name in ("kind_id", "title", "starts_at", "ends_at", "place", "community_id", "compound_id",
                 "convener", "host", "recorder", "invited", "summary"):
        setattr(meeting, name, getattr(form, name).data if getattr(form, name).data != "" else None)
    for name in ("place", "convener", "host", "recorder", "invited", "summary"):
        if getattr(meeting, name) is None:
            setattr(meeting, name, "")


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def edit(meeting_id):
    meeting = _load_for_write(meeting_id)
    template = "meetings/_header_form.html" if _htmx() else "meetings/edit.html"
    if not meeting.is_draft:
        if _htmx():
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
                return render_template(template, meeting=meeting, form=form), 409
            _fill(meeting, form)
            if _commit_or_conflict():
                if _htmx():
                    return render_template("meetings/_header.html", meeting=meeting, editable=True,
                                           saved="已保存。")
                flash("会议信息已保存。", "success")
                return redirect(url_for("meetings.detail", meeting_id=meeting.id), 303)
            form.form_errors.append(CONFLICT_MESSAGE)
            return render_template(template, meeting=_load(meeting_id), form=form), 409
        return render_template(template, meeting=meeting, form=form), 422
    return render_template(template, meeting=meeting, form=form)


@bp.route("/<int:meeting_id>/header")
@roles_required(*READERS)
def header(meeting_id):
    """The header panel alone (HTMX: 'cancel' on the inline edit form)."""
    meeting = _load(meeting_id)
    return render_template("meetings/_header.html", meeting=meeting,
                           editable=meeting.is_draft and services.can_write(meeting))


# --- the record page --------------------------------------------------------------

def _section_context(meeting, **extra):
    editable = meeting.is_draft and services.can_write(meeting)
    ctx = dict(meeting=meeting, editable=editable, item_forms={}, conflicts={}, message=None,
               add_form=None, today=date.today(), can_close=services.can_close_task, saved_id=None)
    ctx.update(extra)
    return ctx


def _render_section(name, meeting, status=200, **extra):
    ctx = _section_context(meeting, **extra)
    if ctx["add_form"] is None:
        ctx["add_form"] = _blank_add_form(name)
    if not _htmx() and status != 200:
        return render_template("meetings/detail.html", **_detail_context(meeting, **{name: ctx})), status
    return render_template(f"meetings/_{name}.html", s=ctx), status


def _blank_add_form(name):
    if name == "attendees":
        form = AttendeeForm(prefix="new", formdata=None)
        form.company_id.choices = _company_choices()
        return form
    if name == "agenda":
        return AgendaForm(prefix="new", formdata=None)
    if name == "resolutions":
        return ResolutionForm(prefix="new", formdata=None)
    if name == "tasks":
        form = TaskForm(prefix="new", formdata=None)
        form.owner_company_id.choices = _company_choices()
        return form
    return None


def _detail_context(meeting, **overrides):
    sections = {}
    for name in ("attendees", "agenda", "resolutions", "tasks"):
        sections[name] = overrides.get(name) or dict(_section_context(meeting), add_form=_blank_add_form(name))
    done, total = services.task_counts([meeting.id]).get(meeting.id, (0, 0))
    return dict(
        meeting=meeting, sections=sections, versions=services.versions(meeting), task_done=done, task_total=total,
        can_write=services.can_write(meeting), can_approve=services.can_approve(meeting),
        editable=meeting.is_draft and services.can_write(meeting), section_names=SECTIONS,
        reason_form=ReasonForm(formdata=None), return_form=ReturnForm(formdata=None),
        lifecycle_message=overrides.get("lifecycle_message"),
    )


@bp.route("/<int:meeting_id>")
@roles_required(*READERS)
def detail(meeting_id):
    meeting = _load(meeting_id)
    return render_template("meetings/detail.html", **_detail_context(meeting))


def _add(meeting_id, name, form_class, build):
    meeting = _load_for_write(meeting_id)
    if not meeting.is_draft:
        return _render_section(name, meeting, 409, message=LOCKED_MESSAGE)
    form = form_class(prefix="new")
    if hasattr(form, "company_id"):
        form.company_id.choices = _company_choices()
    if hasattr(form, "owner_company_id"):
        form.owner_company_id.choices = _company_choices()
    if not form.validate():
        return _render_section(name, meeting, 422, add_form=form)
    obj = build(meeting, form)
    db.session.add(obj)
    try:
        db.session.commit()
    except ApprovedMinutesError:
        db.session.rollback()
        return _render_section(name, _load(meeting_id), 409, message=LOCKED_MESSAGE)
    db.session.refresh(meeting)
    if not _htmx():
        return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor=name), 303)
    return _render_section(name, meeting)


def _update(meeting_id, name, model, child_id, form_class, apply, prefix):
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
    apply(obj, form)
    if not _commit_or_conflict():
        meeting = _load(meeting_id)
        return _render_section(name, meeting, 409, conflicts={obj.id: typed})
    if not _htmx():
        return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor=name), 303)
    return _render_section(name, meeting, message=None, saved_id=obj.id)


def _delete(meeting_id, name, model, child_id):
    meeting = _load_for_write(meeting_id)
    obj = _child(model, meeting, child_id)
    if not meeting.is_draft:
        return _render_section(name, meeting, 409, message=LOCKED_MESSAGE)
    db.session.delete(obj)
    db.session.commit()
    db.session.refresh(meeting)
    if not _htmx():
        return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor=name), 303)
    return _render_section(name, meeting)


# sign-in sheet

@bp.route("/<int:meeting_id>/attendees", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_attendee(meeting_id):
    def build(meeting, form):
        return Attendee(meeting=meeting, name=form.name.data, organisation=form.organisation.data or "",
                        role=form.role.data or "", company_id=form.company_id.data, status=form.status.data,
                        position=services.next_position(meeting.attendees))

    return _add(meeting_id, "attendees", AttendeeForm, build)


@bp.route("/<int:meeting_id>/attendees/<int:attendee_id>", methods=["POST"])
@roles_required(*STAFF_ROLES)
def update_attendee(meeting_id, attendee_id):
    def apply(obj, form):
        obj.status = form.status.data

    return _update(meeting_id, "attendees", Attendee, attendee_id, AttendanceForm, apply, f"att{attendee_id}")


@bp.route("/<int:meeting_id>/attendees/<int:attendee_id>/delete", methods=["POST"])
@roles_required(*STAFF_ROLES)
def delete_attendee(meeting_id, attendee_id):
    return _delete(meeting_id, "attendees", Attendee, attendee_id)


# agenda and discussion

@bp.route("/<int:meeting_id>/agenda", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_agenda(meeting_id):
    def build(meeting, form):
        return AgendaItem(meeting=meeting, title=form.title.data, discussion=form.discussion.data or "",
                          position=services.next_position(meeting.agenda))

    return _add(meeting_id, "agenda", AgendaForm, build)


@bp.route("/<int:meeting_id>/agenda/<int:item_id>", methods=["POST"])
@roles_required(*STAFF_ROLES)
def update_agenda(meeting_id, item_id):
    def apply(obj, form):
        obj.title = form.title.data
        obj.discussion = form.discussion.data or ""

    return _update(meeting_id, "agenda", AgendaItem, item_id, AgendaForm, apply, f"item{item_id}")


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/delete", methods=["POST"])
@roles_required(*STAFF_ROLES)
def delete_agenda(meeting_id, item_id):
    return _delete(meeting_id, "agenda", AgendaItem, item_id)


# resolutions

@bp.route("/<int:meeting_id>/resolutions", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_resolution(meeting_id):
    def build(meeting, form):
        return Resolution(meeting=meeting, text=form.text.data, publish=form.publish.data,
                          position=services.next_position(meeting.resolutions))

    return _add(meeting_id, "resolutions", ResolutionForm, build)


@bp.route("/<int:meeting_id>/resolutions/<int:resolution_id>", methods=["POST"])
@roles_required(*STAFF_ROLES)
def update_resolution(meeting_id, resolution_id):
    def apply(obj, form):
        obj.text = form.text.data
        obj.publish = form.publish.data

    return _update(meeting_id, "resolutions", Resolution, resolution_id, ResolutionForm, apply, f"res{resolution_id}")


@bp.route("/<int:meeting_id>/resolutions/<int:resolution_id>/delete", methods=["POST"])
@roles_required(*STAFF_ROLES)
def delete_resolution(meeting_id, resolution_id):
    return _delete(meeting_id, "resolutions", Resolution, resolution_id)


# follow-up tasks set by the meeting

@bp.route("/<int:meeting_id>/tasks", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_task(meeting_id):
    def build(meeting, form):
        return FollowUpTask(meeting=meeting, what=form.what.data, owner=form.owner.data,
                            owner_company_id=form.owner_company_id.data, due_date=form.due_date.data)

    return _add(meeting_id, "tasks", TaskForm, build)


@bp.route("/<int:meeting_id>/tasks/<int:task_id>/delete", methods=["POST"])
@roles_required(*STAFF_ROLES)
def delete_task(meeting_id, task_id):
    return _delete(meeting_id, "tasks", FollowUpTask, task_id)


# --- lifecycle --------------------------------------------------------------------

def _lifecycle(meeting_id, action, approver=False):
    meeting = _load_for_write(meeting_id)
    if approver and not services.can_approve(meeting):
        abort(403)
    try:
        result = action(meeting)
        db.session.commit()
    except (services.LifecycleError, ApprovedMinutesError) as e:
        db.session.rollback()
        meeting = _load(meeting_id)
        return render_template("meetings/detail.html", **_detail_context(meeting, lifecycle_message=str(e))), 409
    except StaleDataError:
        db.session.rollback()
        meeting = _load(meeting_id)
        return render_template("meetings/detail.html", **_detail_context(meeting, lifecycle_message=CONFLICT_MESSAGE)), 409
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
    def action(meeting):
        services.approve(meeting)
        flash("纪要已审定。审定后的纪要不能再修改。", "success")

    return _lifecycle(meeting_id, action, approver=True)


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


# --- print ------------------------------------------------------------------------

@bp.route("/<int:meeting_id>.pdf")
@roles_required(*READERS)
def pdf(meeting_id):
    """A4 minutes; `s` chooses sections (all when none given)."""
    meeting = _load(meeting_id)
    chosen = [s for s in request.args.getlist("s") if s in SECTIONS] or list(SECTIONS)
    data = render_pdf("meetings/pdf.html", meeting=meeting, sections=set(chosen), today=date.today())
    name = f"{meeting.starts_at:%Y%m%d}-{meeting.minutes_title[:44]}{'（草稿）' if not meeting.is_approved else ''}.pdf"
    return pdf_response(data, name.replace("/", "-"))


# --- tasks ------------------------------------------------------------------------

TASK_STATE_FILTERS = {"open": "办理中", "overdue": "已逾期", "done": "已办结", "all": "全部"}


@bp.route("/tasks")
@roles_required(*READERS)
def tasks():
    """Follow-up tasks by owner, due date and state; overdue first among open ones."""
    state = request.args.get("state") or "open"
    owner = (request.args.get("owner") or "").strip()[:100]
    sort = request.args.get("sort") or "due"
    today = date.today()
    conds = [services.task_filter()]
    if state == "open":
        conds.append(FollowUpTask.state == TASK_OPEN)
    elif state == "done":
        conds.append(FollowUpTask.state == TASK_DONE)
    elif state == "overdue":
        conds.append(services.overdue_condition(today))
    if owner:
        conds.append(FollowUpTask.owner.ilike(f"%{owner}%"))
    order = (FollowUpTask.owner, FollowUpTask.due_date) if sort == "owner" else (FollowUpTask.due_date, FollowUpTask.owner)
    page = page_arg(request.args)
    base = select(FollowUpTask).join(Meeting, FollowUpTask.meeting_id == Meeting.id).where(*conds)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.scalars(
        base.options(joinedload(FollowUpTask.meeting), joinedload(FollowUpTask.owner_company))
        .order_by(*order, FollowUpTask.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    overdue = db.session.scalar(
        select(func.count(FollowUpTask.id)).join(Meeting, FollowUpTask.meeting_id == Meeting.id)
        .where(services.task_filter(), services.overdue_condition(today))
    )
    return render_template("meetings/tasks.html", rows=rows, total=total, page=page, page_size=PAGE_SIZE,
                           state=state, owner=owner, sort=sort, today=today, overdue=overdue,
                           states=TASK_STATE_FILTERS, can_close=services.can_close_task, form=None, form_for=None)


@bp.route("/tasks/<int:task_id>/close", methods=["POST"])
@roles_required(*READERS)
def close_task(task_id):
    """Close a task with how it was done: staff for their meetings, companies their own."""
    task = get_scoped_or_404(
        select(FollowUpTask).join(Meeting, FollowUpTask.meeting_id == Meeting.id)
        .where(FollowUpTask.id == task_id, services.task_filter())
    )

    def answer(status=200, **ctx):
        template = "meetings/_task_state.html" if _htmx() else "meetings/close_task.html"
        return render_template(template, t=task, today=date.today(), can_close=services.can_close_task,
                               form=ctx.pop("form", None), **ctx), status

    if task.is_done:
        return answer(409, message="该任务已办结。")
    if not services.can_close_task(task):
        abort(403)
    form = CloseTaskForm(prefix=f"task{task.id}")
    if not form.validate():
        return answer(422, form=form)
    if form.is_stale(task):
        return answer(409, form=form)
    services.close_task(task, form.done_note.data)
    if not _commit_or_conflict():
        form.form_errors.append(CONFLICT_MESSAGE)
        task = db.session.get(FollowUpTask, task_id)
        return answer(409, form=form)
    if _htmx():
        return answer(message="已办结。")
    flash("任务已办结。", "success")
    return redirect(url_for("meetings.tasks"), 303)


# --- 三会三公开 compliance ----------------------------------------------------------

@bp.route("/compliance")
@roles_required(*STAFF_ROLES)
def compliance():
    period = request.args.get("period") if request.args.get("period") in ("month", "quarter") else "month"
    today = date.today()
    year = _int_arg("year") or today.year
    default_n = today.month if period == "month" else (today.month - 1) // 3 + 1
    number = _int_arg("n") or default_n
    if not (2000 <= year <= 2100) or not (1 <= number <= (12 if period == "month" else 4)):
        year, number = today.year, default_n
    compounds = db.session.scalars(
        select(Compound).where(compound_filter()).options(selectinload(Compound.community))
        .order_by(Compound.community_id, Compound.name)
    ).all()
    requirements, rows = services.compliance(compounds, period, year, number)
    gaps = sum(1 for _, cells in rows for _, _, met, _ in cells if not met)
    return render_template("meetings/compliance.html", requirements=requirements, rows=rows, period=period,
                           year=year, number=number, gaps=gaps)


# --- settings: kinds and the required set (street admin) --------------------------

@bp.route("/settings")
@roles_required(STREET_ADMIN)
def settings():
    return _settings_page()


def _settings_page(kind_form=None, req_form=None, status=200):
    kinds = db.session.scalars(select(MeetingKind).order_by(MeetingKind.sort_order, MeetingKind.id)).all()
    requirements = db.session.scalars(select(Requirement).order_by(Requirement.id)).all()
    kind_form = kind_form or KindForm(formdata=None)
    req_form = req_form or RequirementForm(formdata=None)
    req_form.kind_id.choices = [("", "（任意类型）")] + [(str(k.id), k.name) for k in kinds if k.active]
    return render_template("meetings/settings.html", kinds=kinds, requirements=requirements,
                           kind_form=kind_form, req_form=req_form), status


@bp.route("/settings/kinds", methods=["POST"])
@roles_required(STREET_ADMIN)
def add_kind():
    form = KindForm()
    if form.validate():
        if db.session.scalar(select(MeetingKind).where(MeetingKind.name == form.name.data)):
            form.name.errors.append("已有同名的会议类型。")
        else:
            top = db.session.scalar(select(func.max(MeetingKind.sort_order))) or 0
            db.session.add(MeetingKind(name=form.name.data, sort_order=top + 10))
            db.session.commit()
            flash("已添加会议类型。", "success")
            return redirect(url_for("meetings.settings"), 303)
    return _settings_page(kind_form=form, status=422)


def _wanted_active():
    """The explicit on/off a toggle form sends ("1" or "0"); None when missing."""
    return {"1": True, "0": False}.get(request.form.get("active", ""))


@bp.route("/settings/kinds/<int:kind_id>/toggle", methods=["POST"])
@roles_required(STREET_ADMIN)
def toggle_kind(kind_id):
    kind = db.session.get(MeetingKind, kind_id) or abort(404)
    active = _wanted_active()
    if active is None:
        flash("请选择启用或停用。", "error")
        return _settings_page(status=422)
    kind.active = active
    db.session.commit()
    flash(f"“{kind.name}”已{'启用' if kind.active else '停用（已有会议不受影响）'}。", "success")
    return redirect(url_for("meetings.settings"), 303)


@bp.route("/settings/requirements", methods=["POST"])
@roles_required(STREET_ADMIN)
def add_requirement():
    form = RequirementForm()
    form.kind_id.choices = [("", "（任意类型）")] + [(str(k.id), k.name) for k in services.active_kinds()]
    if form.validate():
        db.session.add(Requirement(label=form.label.data, kind_id=form.kind_id.data, period=form.period.data,
                                   min_count=form.min_count.data, needs_publication=form.needs_publication.data))
        db.session.commit()
        flash("已添加三会三公开要求。", "success")
        return redirect(url_for("meetings.settings"), 303)
    return _settings_page(req_form=form, status=422)


@bp.route("/settings/requirements/<int:requirement_id>/toggle", methods=["POST"])
@roles_required(STREET_ADMIN)
def toggle_requirement(requirement_id):
    req = db.session.get(Requirement, requirement_id) or abort(404)
    active = _wanted_active()
    if active is None:
        flash("请选择启用或停用。", "error")
        return _settings_page(status=422)
    req.active = active
    db.session.commit()
    flash(f"已{'启用' if active else '停用'}要求“{req.label}”。", "success")
    return redirect(url_for("meetings.settings"), 303)
