"""/requests/: the inbox, filtered and paginated (work bounded by the page), with the
overdue and due-soon requests standing out; the same filters export to xlsx (streamed)
and print as a PDF list."""
from datetime import datetime, time, timedelta

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, load_only

from ... import picker
from ...auth.models import COMPANY_USER
from ...clock import local, local_today, street_zone, utcnow
from ...compounds import access as compound_access
from ...compounds.models import Compound
from ...excel import xlsx_stream
from ...extensions import db
from ...forms import id_arg, page_arg
from ...paging import COUNT_CAP, bounded_count
from ...pdf import pdf_response, render_pdf
from ...scope import roles_required, visible_communities
from .. import access, textsearch
from ..models import SOURCES, ResidentRequest
from ..rules import DONE, HANDLERS, OPEN, STATUSES
from . import bp
from .common import categories

PAGE_SIZE = 30
EXPORT_LIMIT = 100_000
PRINT_LIMIT = 500
WARN_CAP = 999  # the banner counts overdue and due-soon requests up to here ("999+")
# A text search counts its matches up to here ("超过 200 条"; more pages stay a "下一页"
# away): a two-character term can only be found by reading the texts, and counting a
# common one to the lists' usual 1,000 read 12,000 of them at 100,000 requests.
SEARCH_COUNT_CAP = 200
R = ResidentRequest


def _day(value):
    try:
        return datetime.strptime(value or "", "%Y-%m-%d").date()
    except ValueError:
        return None


def _utc_midnight(day):
    from datetime import timezone

    return datetime.combine(day, time(0), tzinfo=street_zone()).astimezone(timezone.utc).replace(tzinfo=None)


def filters_from(args):
    """The inbox's filters from the query string (junk reads as no filter)."""
    f = {
        "community": id_arg(args, "community"), "compound": id_arg(args, "compound"),
        "category": id_arg(args, "category"), "status": args.get("status", ""),
        "assignee": args.get("assignee", ""), "source": args.get("source", ""),
        "start": _day(args.get("start")), "end": _day(args.get("end")),
        "timing": args.get("timing", ""), "q": (args.get("q") or "").strip()[:50],
    }
    if f["status"] not in STATUSES and f["status"] not in ("open", "done"):
        f["status"] = ""
    if f["assignee"] not in HANDLERS:
        f["assignee"] = ""
    if f["source"] not in SOURCES:
        f["source"] = ""
    if f["timing"] not in ("overdue", "due_soon", "warn"):
        f["timing"] = ""
    return f


def filtered(f, now=None, common_term=False):
    """SELECT of the requests the user may read, narrowed by the filters; `common_term`
    when the search term is known to match many requests (see `textsearch.narrow`)."""
    now = now or utcnow()
    stmt = select(R).where(access.request_filter())
    if f["community"]:
        stmt = stmt.where(R.community_id == f["community"])
    if f["compound"]:
        stmt = stmt.where(R.compound_id == f["compound"])
    if f["category"]:
        stmt = stmt.where(R.category_id == f["category"])
    if f["status"] == "open":
        stmt = stmt.where(R.status.in_(OPEN))
    elif f["status"] == "done":  # 已办结 in the figures (stats.summary's "resolved"): resolved, visited, closed
        stmt = stmt.where(R.status.in_(DONE))
    elif f["status"]:
        stmt = stmt.where(R.status == f["status"])
    if f["assignee"]:
        stmt = stmt.where(R.assignee_kind == f["assignee"])
    if f["source"]:
        stmt = stmt.where(R.source == f["source"])
    if f["start"]:
        stmt = stmt.where(R.created_at >= _utc_midnight(f["start"]))
    if f["end"]:
        stmt = stmt.where(R.created_at < _utc_midnight(f["end"] + timedelta(days=1)))
    if f["timing"] == "overdue":
        stmt = stmt.where(R.overdue_condition(now))
    elif f["timing"] == "due_soon":
        stmt = stmt.where(R.due_soon_condition(now))
    elif f["timing"] == "warn":
        stmt = stmt.where(or_(R.overdue_condition(now), R.due_soon_condition(now)))
    if f["q"]:
        stmt = textsearch.narrow(stmt, f["q"], common=common_term)
    return stmt


def _options(stmt):
    """The places, category and assignee a list row shows, joined in the same statement
    (all many-to-one), so a list is one statement whether it shows no row or a page."""
    return stmt.options(joinedload(R.community), joinedload(R.compound), joinedload(R.category),
                        joinedload(R.assignee_company), joinedload(R.assignee_grid),
                        joinedload(R.assignee_department))


# What a row of the inbox shows (templates/requests/index.html): the list reads only these.
LIST_COLUMNS = (R.receipt_no, R.urgency, R.created_at, R.community_id, R.compound_id, R.category_id, R.text, R.status,
                R.assignee_kind, R.assignee_company_id, R.assignee_grid_id, R.assignee_department_id, R.due_at,
                R.warn_at, R.reopen_count)


def _page(stmt, page):
    """The page's requests, newest first. The page's ids are picked first, sorting and
    skipping ids only (on an index where one covers the filter), then only those rows
    are read: sorting a few thousand whole rows to show thirty was most of a filtered
    page's time at 100,000 requests."""
    order = (R.created_at.desc(), R.id.desc())
    ids = stmt.with_only_columns(R.id).order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return db.session.scalars(_options(select(R).where(R.id.in_(ids))).options(load_only(*LIST_COLUMNS))
                              .order_by(*order)).all()


@bp.route("/")
@roles_required(*access.INBOX_ROLES)
def index():
    args = dict(request.args)
    if current_user.role == COMPANY_USER and "status" not in args:
        args["status"] = "open"  # the company's inbox: its open requests first
    f = filters_from(args)
    page = page_arg(request.args)
    now = utcnow()
    stmt = filtered(f, now)
    total, capped = bounded_count(stmt, R.id, page, PAGE_SIZE, cap=SEARCH_COUNT_CAP if f["q"] else COUNT_CAP)
    if capped and f["q"]:
        stmt = filtered(f, now, common_term=True)
    items = _page(stmt, page)
    readable = select(R.id).where(access.request_filter())
    overdue, _ = bounded_count(readable.where(R.overdue_condition(now)), R.id, 1, 0, cap=WARN_CAP)
    due_soon, _ = bounded_count(readable.where(R.due_soon_condition(now)), R.id, 1, 0, cap=WARN_CAP)
    return render_template(
        "requests/index.html", items=items, f=f, page=page, total=total, capped=capped, page_size=PAGE_SIZE, now=now,
        statuses=STATUSES, sources=SOURCES, handlers=HANDLERS, communities=visible_communities(),
        compound_picker=picker.pick("compounds.pick", compound_access.pick_stmt(), Compound.id, Compound.name,
                                    "compound", selected=f["compound"], label=compound_access.pick_label),
        categories=categories(active_only=False),
        overdue=overdue, due_soon=due_soon, warn_cap=WARN_CAP,
        can_record=access.can_record(), can_settings=access.can_edit_settings(),
        query=request.args.to_dict())


def _rows(stmt, now):
    """Export rows read in batches of 1,000 (the export never holds the list in memory)."""
    last = None
    while True:
        batch_stmt = _options(stmt).order_by(R.id.desc()).limit(1000)
        if last is not None:
            batch_stmt = batch_stmt.where(R.id < last)
        batch = db.session.scalars(batch_stmt).all()
        if not batch:
            return
        for r in batch:
            timing = {"overdue": "超期", "due_soon": "临期"}.get(r.timing(now), "")
            yield [r.receipt_no, local(r.created_at).strftime("%Y-%m-%d %H:%M"), r.source_label, r.community.name,
                   r.compound.name if r.compound else "", r.category.name if r.category else "未分类", r.text,
                   r.status_label, r.assignee_label,
                   local(r.due_at).strftime("%Y-%m-%d %H:%M") if r.due_at else "", timing, r.satisfaction_label,
                   r.reopen_count]
        last = batch[-1].id
        db.session.expunge_all()


@bp.route("/export.xlsx")
@roles_required(*access.INBOX_ROLES)
def export():
    """The filtered list as xlsx, streamed (phones are not exported)."""
    f = filters_from(request.args)
    now = utcnow()
    headers = ["回执号", "受理时间", "来源", "社区", "小区", "类别", "内容", "状态", "承办", "办理时限", "预警", "回访", "重办次数"]
    return xlsx_stream(f"群众诉求-{local_today():%Y%m%d}.xlsx", "群众诉求", headers,
                       _rows(filtered(f, now).limit(EXPORT_LIMIT), now))


@bp.route("/list.pdf")
@roles_required(*access.INBOX_ROLES)
def list_pdf():
    """The filtered list printed (the newest 500; the xlsx export has them all)."""
    f = filters_from(request.args)
    now = utcnow()
    stmt = filtered(f, now)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = db.session.scalars(_options(stmt).order_by(R.created_at.desc(), R.id.desc()).limit(PRINT_LIMIT)).all()
    data = render_pdf("requests/list_pdf.html", items=items, total=total, limit=PRINT_LIMIT, now=now, today=local_today())
    return pdf_response(data, f"群众诉求清单-{local_today():%Y%m%d}.pdf")
