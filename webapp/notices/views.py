"""/notices/: staff write, schedule, pin and withdraw notices for the public board."""
import os

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from ..auth.models import GRID_WORKER, STREET_ADMIN
from ..confirm import ask, confirmed
from ..extensions import db
from ..forms import page_arg
from .. import picker
from ..paging import bounded_count
from ..scope import STAFF_ROLES, get_scoped_or_404, roles_required
from ..search import matches
from . import files, services
from .access import can_edit, can_target, notice_filter, target_choices
from .forms import NoticeForm, WithdrawForm
from .markup import render as render_body
from .models import CATEGORIES, Notice, NoticeAttachment, local_now

bp = Blueprint("notices", __name__, url_prefix="/notices")
PAGE_SIZE = 30
STATE_FILTERS = {
    "": "全部",
    "live": "公示中",
    "scheduled": "待发布",
    "draft": "草稿",
    "expired": "已过期",
    "withdrawn": "已撤回",
}


def _get(notice_id):
    return get_scoped_or_404(select(Notice).where(Notice.id == notice_id, notice_filter()))


def _get_editable(notice_id):
    """A notice the user may change; 404 otherwise (also for one they may only read)."""
    notice = _get(notice_id)
    if not can_edit(notice):
        abort(404)
    return notice


def _checked_files(form):
    """Check every uploaded file before anything is written; errors go on the field."""
    out = []
    # A text field named "attachments" (a hand-made request) is no file.
    uploads = [f for f in (form.attachments.data or []) if isinstance(f, FileStorage) and f.filename]
    if len(uploads) > files.MAX_FILES:
        form.attachments.errors = list(form.attachments.errors) + [f"一次最多上传 {files.MAX_FILES} 个附件。"]
        return None
    for storage in uploads:
        try:
            out.append(files.check(storage))
        except ValueError as exc:
            form.attachments.errors = list(form.attachments.errors) + [str(exc)]
    return None if form.attachments.errors else out


@bp.route("/")
@roles_required(*STAFF_ROLES)
def index():
    """Every notice the user may see, newest first, filtered by state and words."""
    state = request.args.get("state", "")
    q = request.args.get("q", "").strip()[:50]
    page = page_arg(request.args)
    now = local_now()
    stmt = select(Notice).where(notice_filter())
    if state == "live":
        stmt = stmt.where(Notice.live(now))
    elif state == "scheduled":
        stmt = stmt.where(Notice.status == "published", Notice.publish_at > now)
    elif state == "expired":
        stmt = stmt.where(Notice.status == "published", Notice.expires_at <= now)
    elif state in ("draft", "withdrawn"):
        stmt = stmt.where(Notice.status == state)
    if q:
        stmt = stmt.where(matches(q, Notice.title, Notice.body))
    total, capped = bounded_count(stmt, Notice.id, page, PAGE_SIZE)
    notices = db.session.scalars(
        stmt.options(selectinload(Notice.community), selectinload(Notice.compound), selectinload(Notice.attachments))
        .order_by(Notice.pinned.desc(), Notice.updated_at.desc(), Notice.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template("notices/index.html", notices=notices, state=state, q=q, page=page, total=total,
                           capped=capped, board_url=_board_url(),
                           page_size=PAGE_SIZE, states=STATE_FILTERS, can_edit=can_edit)


def _form_page(form, notice, status=200):
    return render_template("notices/form.html", form=form, notice=notice,
                           max_mb=files.max_bytes() // (1024 * 1024)), status


def _targets(form):
    """The target field as a picker: the street, the communities, the chosen compound and
    the compounds matching what the clerk typed (webapp/picker.py)."""
    q = picker.query_text("target")
    form.target.choices, more = target_choices(q=q, selected=form.target.data, with_more=True)
    form.target.picker = picker.Picked(q=q, more=more, url=url_for(".targets", field="target"))


@bp.route("/targets")
@roles_required(*STAFF_ROLES)
def targets():
    """The target picker's options as the clerk types (HTMX): the street and communities
    the clerk may post to, then the matching compounds."""
    q = picker.query_text("target")
    selected = request.args.get("target") or ""
    options, more = target_choices(q=q, selected=selected, with_more=True)
    return render_template("_picker_options.html", picked=picker.Picked(options=options, more=more, q=q,
                                                                       selected=selected))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def new():
    form = NoticeForm()
    _targets(form)
    if request.method == "GET" and request.args.get("category") in CATEGORIES:
        form.category.data = request.args["category"]
    if form.validate_on_submit():
        checked = _checked_files(form)
        if checked is not None:
            if not can_target(*services.parse_target(form.target.data)):
                abort(404)
            notice = services.apply_form(Notice(), form, checked)
            db.session.commit()
            flash(_saved_message(notice), "success")
            return redirect(url_for(".detail", notice_id=notice.id), code=303)
    if request.method == "POST" and not picker.finding():
        return _form_page(form, None, 422)
    return _form_page(form, None)


def _saved_message(notice):
    state = notice.state_label
    if state == "待发布":
        return f"已保存，将于 {notice.publish_at:%Y-%m-%d %H:%M} 自动发布。"
    if state == "公示中":
        return "已发布到公示栏。"
    return f"已保存（{state}）。"


@bp.route("/<int:notice_id>")
@roles_required(*STAFF_ROLES)
def detail(notice_id):
    notice = _get(notice_id)
    return render_template("notices/detail.html", notice=notice, body=render_body(notice.body),
                           editable=can_edit(notice), withdraw_form=WithdrawForm(), public_url=_public_url(notice))


def _board_url():
    """The front of the user's street's public board."""
    from ..compounds.models import Street
    from ..public import links
    from ..scope import current_street_id

    street = db.session.get(Street, current_street_id()) if current_street_id() else None
    return links.street_url(street) if street is not None else links.url("public.index")


def _public_url(notice):
    """Where residents read it (None until it is live)."""
    if not notice.is_live():
        return None
    from ..public import links

    community = notice.community
    if community is None:  # street-wide: shown on every community board of its street
        from ..compounds.models import Community

        community = db.session.scalars(select(Community).where(Community.street_id == notice.street_id)
                                       .order_by(Community.name)).first()
    if community is None:
        return None
    return links.url("public.notice", community, notice_id=notice.id)


@bp.route("/<int:notice_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def edit(notice_id):
    notice = _get_editable(notice_id)
    if notice.status == "withdrawn":
        flash("已撤回的公告不能再修改。", "warning")
        return redirect(url_for(".detail", notice_id=notice.id), code=303)
    form = NoticeForm(obj=notice) if request.method == "GET" else NoticeForm()
    if request.method == "GET":
        form.target.data = services.target_value(notice)
    _targets(form)
    if request.method == "GET":
        form.version.data = notice.version
        if notice.status == "published":
            form.publish_mode.data = "at" if notice.publish_at and notice.publish_at > local_now() else "now"
        else:
            form.publish_mode.data = "draft"
    valid = form.validate_on_submit() and not form.is_stale(notice)
    if valid and notice.status == "published" and form.publish_mode.data == "draft":
        form.publish_mode.errors = list(form.publish_mode.errors) + [
            "已发布的公告不能改回草稿；如需从公示栏撤下，请使用“撤回”并填写原因。"]
        valid = False
    if valid:
        checked = _checked_files(form)
        if checked is not None:
            if not can_target(*services.parse_target(form.target.data)):
                abort(404)
            services.apply_form(notice, form, checked)
            db.session.commit()
            flash(_saved_message(notice), "success")
            return redirect(url_for(".detail", notice_id=notice.id), code=303)
    if request.method == "POST":
        status = 409 if form.form_errors else 422
        return _form_page(form, notice, status)
    return _form_page(form, notice)


@bp.route("/<int:notice_id>/publish", methods=["POST"])
@roles_required(*STAFF_ROLES)
def publish(notice_id):
    notice = _get_editable(notice_id)
    if notice.status == "withdrawn":
        abort(409)
    if notice.expires_at and notice.expires_at <= local_now():
        flash("公示截止时间已过，请先修改截止时间再发布。", "error")
    else:
        services.publish_now(notice)
        db.session.commit()
        flash("已发布到公示栏。", "success")
    return redirect(url_for(".detail", notice_id=notice.id), code=303)


@bp.route("/<int:notice_id>/withdraw", methods=["POST"])
@roles_required(*STAFF_ROLES)
def withdraw(notice_id):
    notice = _get_editable(notice_id)
    form = WithdrawForm()
    if notice.status == "withdrawn":
        flash("该公告已撤回。", "info")
        return redirect(url_for(".detail", notice_id=notice.id), code=303)
    if form.validate_on_submit():
        if not confirmed():
            where = ["公示栏", "档案", "大屏", "打印件的二维码页面"]
            return ask(f"撤回公告“{notice.title}”？", url_for(".withdraw", notice_id=notice.id),
                       [f"从{'、'.join(where)}撤下本公告" + (f"，{len(notice.attachments)} 个附件不再公开" if notice.attachments else ""),
                        f"撤回原因记入操作记录：{form.reason.data}",
                        "撤回后不能再次发布；如需重新公示，请新建公告"],
                       [] if notice.is_live() else ["本公告当前并未在公示栏显示（未到发布时间、已过期或是草稿）"],
                       fields={"reason": form.reason.data}, back=url_for(".detail", notice_id=notice.id),
                       button="确认撤回", danger=True)
        services.withdraw(notice, form.reason.data)
        db.session.commit()
        flash("已撤回，公示栏不再显示。原因已记入操作记录。", "success")
        return redirect(url_for(".detail", notice_id=notice.id), code=303)
    return render_template("notices/detail.html", notice=notice, body=render_body(notice.body), editable=True,
                           withdraw_form=form, public_url=_public_url(notice)), 422


def _attachment(notice, attachment_id):
    return get_scoped_or_404(select(NoticeAttachment).where(
        NoticeAttachment.id == attachment_id, NoticeAttachment.notice_id == notice.id))


@bp.route("/<int:notice_id>/files/<int:attachment_id>")
@roles_required(*STAFF_ROLES)
def attachment(notice_id, attachment_id):
    att = _attachment(_get(notice_id), attachment_id)
    if not os.path.isfile(files.path_of(att)):
        abort(404)
    return files.send(att)


@bp.route("/<int:notice_id>/files/<int:attachment_id>/delete", methods=["POST"])
@roles_required(*STAFF_ROLES)
def delete_attachment(notice_id, attachment_id):
    notice = _get_editable(notice_id)
    att = _attachment(notice, attachment_id)
    try:
        services.delete_attachment(att)
    except services.AttachmentLocked as e:
        flash(str(e), "error")
        return redirect(url_for(".detail", notice_id=notice.id), code=303)
    db.session.commit()
    flash(f"已删除附件“{att.filename}”。", "success")
    return redirect(url_for(".detail", notice_id=notice.id), code=303)
