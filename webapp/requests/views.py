"""/requests/: the community's inbox of residents' requests (here: the online opinion
box). Staff see their own community's only; a request elsewhere answers 404."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..audit.services import record_unmask
from ..extensions import db
from ..forms import BaseForm, page_arg, save_or_conflict
from ..phones import reveal_response
from ..scope import STAFF_ROLES, get_scoped_or_404, roles_required
from . import access, services
from .forms import HandleForm
from .models import STATUSES, ResidentRequest

bp = Blueprint("requests", __name__, url_prefix="/requests")
PAGE_SIZE = 30


@bp.route("/")
@roles_required(*STAFF_ROLES)
def index():
    status = request.args.get("status", "")
    page = page_arg(request.args)
    stmt = select(ResidentRequest).where(access.request_filter())
    if status in STATUSES:
        stmt = stmt.where(ResidentRequest.status == status)
    elif status == "open":  # not yet resolved or closed (the dashboard's 尚未办结)
        stmt = stmt.where(ResidentRequest.handled_at.is_(None))
    stmt, period_label = _dashboard_filters(stmt)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(
        stmt.options(selectinload(ResidentRequest.community), selectinload(ResidentRequest.compound))
        .order_by(ResidentRequest.created_at.desc(), ResidentRequest.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template("requests/index.html", items=items, status=status, statuses=STATUSES,
                           page=page, total=total, page_size=PAGE_SIZE, period_label=period_label)


def _dashboard_filters(stmt):
    """The filters the dashboard's figures link with: `month` (received in that month,
    2026-11), `handled` (handled in that month), `community` (an id)."""
    from ..dashboard.periods import Period
    from ..forms import id_arg

    labels = []
    for key, column, word in (("month", ResidentRequest.created_at, "收到"),
                              ("handled", ResidentRequest.handled_at, "办结")):
        raw = request.args.get(key)
        if not raw:
            continue
        try:
            period = Period.parse(raw)
        except ValueError:
            continue
        lo, hi = period.utc_bounds()
        stmt = stmt.where(column >= lo, column < hi)
        labels.append(f"{period.label}{word}")
    community = id_arg(request.args, "community")
    if community:
        stmt = stmt.where(ResidentRequest.community_id == community)
    return stmt, "、".join(labels)


@bp.route("/<int:request_id>", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES, read_page=True)  # district and city staff read it (POST: 403)
def detail(request_id):
    item = _get(request_id)
    if request.method == "POST" and not access.can_handle(item):
        abort(404)
    form = HandleForm(obj=item) if request.method == "GET" else HandleForm()
    if request.method == "GET":
        form.version.data = item.version
    status = 200
    if request.method == "POST":
        if (form.validate_on_submit() and not form.is_stale(item)
                and save_or_conflict(lambda: services.handle(item, form.data), form.form_errors)):
            flash("已保存。居民凭回执号可看到新的状态和答复。", "success")
            return redirect(url_for(".detail", request_id=item.id), code=303)
        status = 409 if form.form_errors else 422
    return render_template("requests/detail.html", item=item, form=form, can_handle=access.can_handle(item)), status


def _get(request_id):
    return get_scoped_or_404(select(ResidentRequest).where(ResidentRequest.id == request_id, access.request_filter()))


@bp.route("/<int:request_id>/phone", methods=["POST"])
@roles_required(*STAFF_ROLES)
def phone(request_id):
    """Reveal the resident's masked phone (one click, audited)."""
    item = _get(request_id)
    if not BaseForm().validate() or access.phone_view(item).state != "masked":
        abort(404)
    record_unmask(item, "phone")
    db.session.commit()
    return reveal_response(item.phone, f"诉求 {item.receipt_no} 留言人", url_for(".detail", request_id=item.id))
