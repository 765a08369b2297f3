"""/counts/: the figures the street records by hand, per community and month (activities
held, charging piles, red stations and services, social organisations, volunteers …).

GET shows one kind's last twelve months for every community in the user's place (the
history), and, for those who may record, the chosen month's figures as a form. POST saves
that month: a value per community, blank removes it. Every change is in the audit log."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ...clock import local_today
from ...compounds.models import Community
from ...extensions import db
from ...forms import BaseForm
from ...scope import STAFF_ROLES, roles_required
from .. import access, services
from ..models import COUNT_KINDS, RecordedCount
from ..periods import add_months, month_start, trailing_months
from . import bp

MAX_VALUE = 10_000_000


def _kind():
    kind = request.values.get("kind") or next(iter(COUNT_KINDS))
    if kind not in COUNT_KINDS:
        abort(404)
    return kind


def _month(errors):
    """The month from ?month=2026-11 (default this month); a future month is refused."""
    raw = (request.values.get("month") or "").strip()
    this_month = month_start(local_today())
    if not raw:
        return this_month
    try:
        year, month = (int(x) for x in raw.split("-"))
        first = date(year, month, 1)
    except (ValueError, TypeError):
        errors.append("月份格式应为 2026-11。")
        return this_month
    if first > this_month or first.year < 2000:
        errors.append("只能登记本月及以前月份的数据。")
        return this_month
    return first


def _context(kind, month, errors, typed=None, status=200):
    place = access.place_for()
    communities = db.session.execute(select(Community.id, Community.name)
                                     .where(Community.id.in_(place.community_ids())).order_by(Community.name)).all()
    ids = [cid for cid, _ in communities]
    months = trailing_months(max(month, month_start(local_today())), 12)
    history = {}
    if ids:
        for cid, m, value in db.session.execute(
                select(RecordedCount.community_id, RecordedCount.month, RecordedCount.value)
                .where(RecordedCount.kind == kind, RecordedCount.community_id.in_(ids),
                       RecordedCount.month >= months[0], RecordedCount.month <= months[-1])):
            history[(cid, m)] = value
    current = services.month_counts(kind, month, ids)
    writable = [cid for cid in ids if access.can_record(cid)]
    label, unit, how = COUNT_KINDS[kind]
    return render_template(
        "dashboard/counts.html", kinds=COUNT_KINDS, kind=kind, label=label, unit=unit, how=how, month=month,
        months=months, communities=communities, history=history, current=current, writable=set(writable),
        errors=errors, typed=typed or {}, form=BaseForm(), previous=add_months(month, -1)), status


@bp.get("/counts/")
@roles_required(*STAFF_ROLES)
def counts():
    """One kind's history and, for those who record, the month's form. District and city
    staff read it (a GET-only route is open to them)."""
    errors = []
    return _context(_kind(), _month(errors), errors)


@bp.post("/counts/")
@roles_required(*STAFF_ROLES)
def counts_save():
    errors = []
    kind = _kind()
    month = _month(errors)
    if not BaseForm().validate():
        abort(400)
    if errors:
        return _context(kind, month, errors, status=422)
    place = access.place_for()
    ids = set(db.session.scalars(select(Community.id).where(Community.id.in_(place.community_ids()))))
    entries, typed = {}, {}
    for key, raw in request.form.items():
        if not key.startswith("value_"):
            continue
        try:
            community_id = int(key[6:])
        except ValueError:
            continue
        if community_id not in ids:
            abort(404)
        if not access.can_record(community_id):
            abort(403)
        raw = raw.strip()
        typed[community_id] = raw
        value = None
        if raw:
            try:
                value = int(raw)
            except ValueError:
                errors.append(f"第 {len(typed)} 行：请填写整数（如 47），不要带单位或小数。")
                continue
            if not 0 <= value <= MAX_VALUE:
                errors.append(f"第 {len(typed)} 行：数值应在 0 到 {MAX_VALUE} 之间。")
                continue
        try:
            seen = int(request.form.get(f"version_{community_id}") or 0)
        except ValueError:
            seen = -1
        entries[community_id] = (value, seen)
    if not entries and not errors:
        errors.append("没有可保存的数据。")
    if errors:
        return _context(kind, month, errors, typed, status=422)
    try:
        changed = services.save_counts(place.street_id, kind, month, entries)
        db.session.commit()
    except services.CountConflict as exc:
        db.session.rollback()
        return _context(kind, month, [str(exc)], typed, status=409)
    flash(f"已保存{month.year}年{month.month}月的{COUNT_KINDS[kind][0]}（{changed} 项有变化）。", "success")
    return redirect(url_for(".counts", kind=kind, month=f"{month:%Y-%m}"), 303)
