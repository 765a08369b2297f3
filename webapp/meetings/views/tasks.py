"""/meetings/tasks: follow-up tasks by owner, due date and state, and closing them."""
from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...clock import local_today
from ...extensions import db
from ...paging import bounded_count
from ...forms import page_arg, save_or_conflict
from ...htmx import is_htmx, page_or_fragment
from ...scope import get_scoped_or_404, roles_required
from ...search import matches
from .. import access, services
from ..forms import CloseTaskForm
from ..models import TASK_DONE, TASK_OPEN, FollowUpTask, Meeting
from . import bp
from .common import PAGE_SIZE, READERS


TASK_STATE_FILTERS = {"open": "办理中", "overdue": "已逾期", "done": "已办结", "all": "全部"}


@bp.route("/tasks")
@roles_required(*READERS)
def tasks():
    """Follow-up tasks by owner, due date and state; overdue first among open ones."""
    state = request.args.get("state") or "open"
    owner = (request.args.get("owner") or "").strip()[:100]
    sort = request.args.get("sort") or "due"
    today = local_today()
    conds = [access.task_filter()]
    if state == "open":
        conds.append(FollowUpTask.state == TASK_OPEN)
    elif state == "done":
        conds.append(FollowUpTask.state == TASK_DONE)
    elif state == "overdue":
        conds.append(services.overdue_condition(today))
    if owner:
        conds.append(matches(owner, FollowUpTask.owner, ignore_case=True))
    order = (FollowUpTask.owner, FollowUpTask.due_date) if sort == "owner" else (FollowUpTask.due_date, FollowUpTask.owner)
    page = page_arg(request.args)
    base = select(FollowUpTask).join(Meeting, FollowUpTask.meeting_id == Meeting.id).where(*conds)
    total, capped = bounded_count(base, FollowUpTask.id, page, PAGE_SIZE)
    rows = db.session.scalars(
        base.options(joinedload(FollowUpTask.meeting).joinedload(Meeting.community), joinedload(FollowUpTask.owner_company))
        .order_by(*order, FollowUpTask.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    overdue, overdue_capped = bounded_count(
        select(FollowUpTask.id).join(Meeting, FollowUpTask.meeting_id == Meeting.id)
        .where(access.task_filter(), services.overdue_condition(today)), FollowUpTask.id)
    return render_template("meetings/tasks.html", rows=rows, total=total, capped=capped, page=page,
                           page_size=PAGE_SIZE, overdue_capped=overdue_capped,
                           state=state, owner=owner, sort=sort, today=today, overdue=overdue,
                           states=TASK_STATE_FILTERS, can_close=access.can_close_task, form=None, form_for=None)


@bp.route("/tasks/<int:task_id>/close", methods=["POST"])
@roles_required(*READERS)
def close_task(task_id):
    """Close a task with how it was done: staff for their meetings, companies their own."""
    task = get_scoped_or_404(
        select(FollowUpTask).join(Meeting, FollowUpTask.meeting_id == Meeting.id)
        .where(FollowUpTask.id == task_id, access.task_filter())
    )

    def answer(status=200, **ctx):
        return page_or_fragment("meetings/close_task.html", "meetings/_task_state.html", status, t=task,
                                today=local_today(), can_close=access.can_close_task, form=ctx.pop("form", None), **ctx)

    if task.is_done:
        return answer(409, message="该任务已办结。")
    if not access.can_close_task(task):
        abort(403)
    form = CloseTaskForm(prefix=f"task{task.id}")
    if not form.validate():
        return answer(422, form=form)
    if form.is_stale(task):
        return answer(409, form=form)
    if not save_or_conflict(lambda: services.close_task(task, form.done_note.data), form.form_errors):
        task = db.session.get(FollowUpTask, task_id)
        return answer(409, form=form)
    if is_htmx():
        return answer(message="已办结。")
    flash("任务已办结。", "success")
    return redirect(url_for("meetings.tasks"), 303)
