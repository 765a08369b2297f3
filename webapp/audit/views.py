"""/audit/: who changed what, when and from where — read and exported under 三员分立.

- The audit administrator (audit_admin) reads the whole log and exports it.
- The security administrator (security_admin) reads only the audit administrators' own
  entries (their views of the log, exports, sign-ins …): the auditor is audited.
- The street administrator keeps reading the street's log, as before; no export.
Every view of the log and every export is itself an entry.
"""
from datetime import date, datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import and_, func, or_, select, true, union_all

from . import labels
from .models import AuditLog
from .services import commit_entries, record, record_export
from ..auth.models import AUDIT_ADMIN, SECURITY_ADMIN, STREET_ADMIN, User
from ..clock import format_local, local_today, utc_from_local
from ..excel import xlsx_stream
from ..extensions import db
from ..forms import id_arg
from ..scope import current_street_id, roles_required

bp = Blueprint("audit", __name__, url_prefix="/audit")

PAGE_SIZE = 50
COUNT_CAP = 10_000
EXPORT_MAX_ROWS = 100_000
READERS = (AUDIT_ADMIN, SECURITY_ADMIN, STREET_ADMIN)


def _visible_parts():
    """The entries the signed-in reader may see, as (condition, grows) pairs any one of
    which admits an entry: the audit admin all; the security admin the audit admin's; a
    street admin its street's — entries whose actor was in its street (`street_id`), and
    entries from before the many-streets release (no street_id) by the users of its street.
    The parts never overlap, so a page reads each along its own index (`_newest`). A part
    that no longer grows (`grows` false: the old entries) is found by its index and then
    sorted; read in id order it would walk every entry without a street."""
    if current_user.role == SECURITY_ADMIN:
        return [(AuditLog.role == AUDIT_ADMIN, True)]
    if current_user.role == STREET_ADMIN:
        street_id = current_street_id()
        users = select(User.id).where(User.street_id == street_id, User.id.between(*_unstreeted_user_range()))
        return [(AuditLog.street_id == street_id, True),
                (and_(AuditLog.street_id.is_(None), AuditLog.user_id.in_(users)), False)]
    return [(true(), True)]


def _unstreeted_user_range():
    """The lowest and highest user id among entries without a street_id, as SQL scalars
    (each one step along `ix_audit_log_street_user`; NULL when there are none). The
    street's users are looked up only within that range: the same entries, but the
    lookup no longer walks every account of the street (100,000 accounts, 100,000 index
    probes) when the entries without a street (old ones, the system's own) name few
    users or none."""
    unstreeted = AuditLog.street_id.is_(None)
    return (select(func.min(AuditLog.user_id)).where(unstreeted).scalar_subquery(),
            select(func.max(AuditLog.user_id)).where(unstreeted).scalar_subquery())


def _visible():
    """The entries the signed-in reader may see (`_visible_parts`), as one statement."""
    return select(AuditLog).where(or_(*(part for part, _ in _visible_parts())))


def _day(value):
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _filters(args):
    """The filters from the query string, each validated (junk is ignored, never a 500)."""
    kind = args.get("kind", "").strip()
    action = args.get("action", "").strip()
    return {
        "user": args.get("user", "").strip()[:64],
        "kind": kind if kind in labels.KINDS else "",
        "record": args.get("record", "").strip()[:100],
        "action": action if action in labels.ACTIONS else "",
        "from": _day(args.get("from")),
        "to": _day(args.get("to")),
    }


def _filter_conds(f):
    """The filters as SQL conditions on AuditLog."""
    conds = []
    if f["user"]:
        by_name = select(User.id).where(User.display_name == f["user"])
        conds.append(or_(AuditLog.username == f["user"], AuditLog.user_id.in_(by_name)))
    if f["kind"]:
        conds.append(AuditLog.entity == f["kind"])
    if f["record"]:
        if f["record"].isdigit() and id_arg({"id": f["record"]}, "id"):
            conds.append(AuditLog.entity_id == int(f["record"]))
        else:
            conds.append(AuditLog.label.contains(f["record"], autoescape=True))
    if f["action"]:
        conds.append(AuditLog.action == f["action"])
    # Dates are days on the street's clock, as the page shows the times.
    if f["from"]:
        conds.append(AuditLog.at >= utc_from_local(datetime.combine(f["from"], time.min)))
    if f["to"]:
        conds.append(AuditLog.at < utc_from_local(datetime.combine(f["to"] + timedelta(days=1), time.min)))
    return conds


def _filtered(f):
    return _visible().where(*_filter_conds(f))


def _filters_shown(f):
    """The filters in Chinese, for the log's own entries and the export's note."""
    return {
        "操作人": f["user"],
        "对象类型": labels.kind_label(f["kind"]) if f["kind"] else "",
        "对象": f["record"],
        "操作": labels.action_label(f["action"]) if f["action"] else "",
        "起始日期": f["from"].isoformat() if f["from"] else "",
        "截止日期": f["to"].isoformat() if f["to"] else "",
    }


def _bounded_count(stmt):
    """How many entries match, counted up to COUNT_CAP + 1 (never the whole table)."""
    limited = stmt.with_only_columns(AuditLog.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(limited))


def _arms(conds, descending, limit):
    """One id statement per visible part, each ordered by id (`descending` or not, None:
    unordered) and limited along its own index, joined with UNION ALL (the parts never
    overlap)."""
    arms = []
    for part, grows in _visible_parts():
        key = AuditLog.id if grows else AuditLog.id + 0  # "+ 0": not the order of an index
        stmt = select(AuditLog.id).where(part, *conds).limit(limit)
        if descending is not None:
            stmt = stmt.order_by(key.desc() if descending else key)
        arms.append(stmt.subquery())
    return union_all(*(select(a.c.id) for a in arms)).subquery()


def _newest(conds, descending, limit):
    """Up to `limit` visible entries matching `conds`, by id (newest first when
    `descending`). With one visible part a plain statement; with two (a street admin) each
    part is read up to `limit` and the page taken from those, so a page never reads or
    sorts more than it shows (an OR of the parts is read, and sorted, as far as it matches)."""
    order = AuditLog.id.desc() if descending else AuditLog.id
    parts = _visible_parts()
    if len(parts) == 1:
        return db.session.scalars(select(AuditLog).where(parts[0][0], *conds).order_by(order).limit(limit)).all()
    ids = _arms(conds, descending, limit)
    return db.session.scalars(select(AuditLog).where(AuditLog.id.in_(select(ids.c.id))).order_by(order)
                              .limit(limit)).all()


def _page_count(conds):
    """The pager's count, as `_bounded_count`: each visible part counted up to the cap."""
    ids = _arms(conds, None, COUNT_CAP + 1)
    return min(db.session.scalar(select(func.count()).select_from(ids)), COUNT_CAP + 1)


@bp.route("/")
@roles_required(*READERS, above_street=False)
def index():
    """Newest first, a page of PAGE_SIZE at a time, paged by id (keyset): `before` shows
    the entries older than an id, `after` those newer."""
    f = _filters(request.args)
    # The reading is an entry too, committed before the page's rows are loaded.
    record(db.session, "view", entity="audit_log",
           note="查看操作记录" + _note_filters(f), changes={"filters": _plain_filters(f)})
    commit_entries(db.session)
    conds = _filter_conds(f)
    before, after = id_arg(request.args, "before"), id_arg(request.args, "after")
    if after:
        rows = _newest([*conds, AuditLog.id > after], False, PAGE_SIZE + 1)
        newer = len(rows) > PAGE_SIZE
        rows = list(reversed(rows[:PAGE_SIZE]))
        older = bool(rows)
    else:
        rows = _newest([*conds, AuditLog.id < before] if before else conds, True, PAGE_SIZE + 1)
        older = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        newer = bool(before) and bool(rows)
    total = _page_count(conds)
    names = labels.resolve_names(db.session, rows)
    shown = [(r, labels.record_shown(r), labels.changes_shown(r, names)) for r in rows]
    args = {k: v for k, v in request.args.items() if k not in ("before", "after")}
    return render_template(
        "audit/index.html", rows=shown, total=total, cap=COUNT_CAP, f=f, args=args,
        older_than=rows[-1].id if rows and older else None, newer_than=rows[0].id if rows and newer else None,
        kinds=labels.KINDS, actions=labels.ACTIONS, action_label=labels.action_label,
        can_export=current_user.role == AUDIT_ADMIN, only_auditors=current_user.role == SECURITY_ADMIN,
    )


def _plain_filters(f):
    return {k: v for k, v in _filters_shown(f).items() if v}


def _note_filters(f):
    shown = _plain_filters(f)
    return ("；筛选：" + "，".join(f"{k}={v}" for k, v in shown.items())) if shown else ""


EXPORT_HEADERS = ["编号", "时间", "操作人", "角色", "地址", "操作", "对象", "变更（前 → 后）", "说明", "哈希"]


@bp.route("/export.xlsx")
@roles_required(AUDIT_ADMIN)
def export():
    """The filtered log as an Excel file, built in batches of 1,000 rows into a temporary
    file and streamed; the export is itself an entry."""
    f = _filters(request.args)
    stmt = _filtered(f)
    if _bounded_count(stmt.limit(EXPORT_MAX_ROWS + 1)) > EXPORT_MAX_ROWS:
        flash(f"筛选结果超过 {EXPORT_MAX_ROWS} 条，请缩小日期范围后再导出。", "warning")
        return redirect(url_for("audit.index", **request.args))
    from ..auth.models import ROLES

    counted = {"n": 0}

    def rows():
        last = None
        while True:
            page = stmt.where(AuditLog.id < last) if last else stmt
            batch = db.session.scalars(page.order_by(AuditLog.id.desc()).limit(1000)).all()
            if not batch:
                return
            names = labels.resolve_names(db.session, batch)
            for r in batch:
                counted["n"] += 1
                changes = "\n".join(f"{label}：{a} → {b}" for label, a, b in labels.changes_shown(r, names))
                yield [r.id, format_local(r.at, "%Y-%m-%d %H:%M:%S"), r.username, ROLES.get(r.role, r.role), r.address,
                       labels.action_label(r.action), labels.record_shown(r), changes, r.note, r.hash]
            last = batch[-1].id

    response = xlsx_stream(f"操作记录-{local_today().isoformat()}.xlsx", "操作记录", EXPORT_HEADERS, rows())
    record_export("操作记录", _filters_shown(f), counted["n"], entity="audit_log")
    return response
