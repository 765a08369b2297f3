"""Request figures aggregated in SQL, for the dashboard, the assessment sheet and the
compound's public page. Nothing here loads requests row by row.

- `summary(street_ids, months, ...)`: per month and category: received, resolved on time,
  resolved late, overdue open, reopened, and the 回访 answers (satisfaction rate).
- `company_month(company_id, compound_id, year, month)`: one company at one compound in
  one month, the figures the assessment sheet shows as reference ("群众诉求办理").
- `compound_month(compound_id, year, month)`: the public page's aggregate (no requests).
- `by_street(street_ids, start, end)`: {street_id: figures}, for the district pages.
A request counts in the month it was received (local months are close enough at the
day's edges: the bounds are local midnight, converted to UTC).
"""
from datetime import date, datetime, time, timezone

from sqlalchemy import case, func, select

from ..clock import local_today, street_zone, utc_from_local, utcnow
from ..extensions import db
from .models import RequestCategory, ResidentRequest
from .rules import OPEN

R = ResidentRequest


def month_bounds(year, month):
    """[start, end) of a local month as naive UTC."""
    zone = street_zone()
    start = datetime.combine(date(year, month, 1), time(0), tzinfo=zone)
    end = datetime.combine(date(year + (month == 12), month % 12 + 1, 1), time(0), tzinfo=zone)
    return (start.astimezone(timezone.utc).replace(tzinfo=None), end.astimezone(timezone.utc).replace(tzinfo=None))


def _figures(now):
    """The SUM(CASE …) columns every summary shares."""
    counted = R.status != "merged"
    return (
        func.count(R.id).label("received"),
        func.sum(case((counted & (R.resolved_at.is_not(None)) & (R.resolved_late.is_(False)), 1), else_=0)).label("on_time"),
        func.sum(case((counted & (R.resolved_at.is_not(None)) & (R.resolved_late.is_(True)), 1), else_=0)).label("late"),
        func.sum(case((R.status.in_(OPEN) & R.due_at.is_not(None) & (R.due_at < now), 1), else_=0)).label("overdue"),
        func.sum(case((R.reopen_count > 0, 1), else_=0)).label("reopened"),
        func.sum(case((R.satisfaction == "satisfied", 1), else_=0)).label("satisfied"),
        func.sum(case((R.satisfaction == "basic", 1), else_=0)).label("basic"),
        func.sum(case((R.satisfaction == "unsatisfied", 1), else_=0)).label("unsatisfied"),
        func.sum(case((R.status.in_(("resolved", "visited", "closed")), 1), else_=0)).label("resolved"),
    )


COUNTS = ("received", "on_time", "late", "overdue", "reopened", "satisfied", "basic", "unsatisfied", "resolved")


def _as_dict(row):
    return _with_rate({k: int(getattr(row, k, 0) or 0) for k in COUNTS})


def _added(figures):
    """The figures of several disjoint groups of requests taken together: counts add up,
    the rate is taken again from the summed answers."""
    return _with_rate({k: sum(f[k] for f in figures) for k in COUNTS})


def _with_rate(d):
    answered = d["satisfied"] + d["basic"] + d["unsatisfied"]
    d["answered"] = answered
    # 满意率: 满意 and 基本满意 among the answers given.
    d["satisfaction_rate"] = round((d["satisfied"] + d["basic"]) / answered, 4) if answered else None
    return d


def _months_back(months, today=None):
    today = today or local_today()
    out, y, m = [], today.year, today.month
    for _ in range(months):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(out))


def summary(street_ids=None, months=12, condition=None, now=None, today=None):
    """Figures for the last `months` local months (this one included) of the streets in
    `street_ids` (None: every street) and/or an extra SQL `condition` (an access filter).

    Returns {"months": [{"year", "month", **figures}], "categories": [{"category", **figures}],
    "total": figures}. One grouped query by category, and one by month when there are
    several: every request of the span falls in exactly one category (and one month), so
    the total adds up the categories, and a one-month span's month is that total."""
    now = now or utcnow()
    span = _months_back(months, today)
    start, _ = month_bounds(*span[0])
    _, end = month_bounds(*span[-1])
    where = [R.created_at >= start, R.created_at < end]
    if street_ids is not None:
        where.append(R.street_id.in_(list(street_ids)))
    if condition is not None:
        where.append(condition)
    figures = _figures(now)
    cats = [dict(_as_dict(r), category=r.category) for r in db.session.execute(
        select(func.coalesce(RequestCategory.name, "未分类").label("category"), *figures)
        .select_from(R).outerjoin(RequestCategory, RequestCategory.id == R.category_id).where(*where)
        .group_by(RequestCategory.name).order_by(func.count(R.id).desc())).all()]
    total = _added(cats)
    if len(span) == 1:
        return {"months": [dict(total, year=span[0][0], month=span[0][1])], "categories": cats, "total": total}
    # The month a request was received: compare with each month's bounds (portable SQL).
    month_case = case(*[(R.created_at < month_bounds(y, m)[1], y * 100 + m) for y, m in span], else_=0)
    by_month = {r.ym: _as_dict(r) for r in db.session.execute(
        select(month_case.label("ym"), *figures).where(*where).group_by(month_case)).all()}
    empty = _as_dict(type("Z", (), {})())
    months_out = [dict(by_month.get(y * 100 + m, empty), year=y, month=m) for y, m in span]
    return {"months": months_out, "categories": cats, "total": total}


def company_month(company_id, compound_id, year, month, now=None):
    """One company's requests at one compound received in one month: received, resolved
    on time, overdue, reopened and the satisfaction rate (the assessment sheet's reference)."""
    start, end = month_bounds(year, month)
    row = db.session.execute(select(*_figures(now or utcnow())).where(
        R.assignee_kind == "company", R.assignee_company_id == company_id, R.compound_id == compound_id,
        R.created_at >= start, R.created_at < end)).one()
    return _as_dict(row)


def compound_month(compound_id, year, month, now=None):
    """The compound's month in aggregate (received, resolved, satisfaction) for the public page."""
    start, end = month_bounds(year, month)
    row = db.session.execute(select(*_figures(now or utcnow())).where(
        R.compound_id == compound_id, R.status != "merged", R.created_at >= start, R.created_at < end)).one()
    return _as_dict(row)


def rule_for(street_id):
    """The street's rule for the "群众诉求办理" item (the default when it set none)."""
    from .models import RequestScoreRule

    found = db.session.scalar(select(RequestScoreRule).where(RequestScoreRule.street_id == street_id))
    return found or RequestScoreRule(street_id=street_id, on_time_weight=50, satisfaction_weight=50, per_reopen=1.0)


def rule_dict(rule):
    total = (rule.on_time_weight + rule.satisfaction_weight) or 1
    return {"on_time_weight": rule.on_time_weight / total, "satisfaction_weight": rule.satisfaction_weight / total,
            "per_reopen": rule.per_reopen}


def points_from(figures, full_points, rule=None):
    """Points of a "群众诉求办理" item from a month's figures by the street's rule:
    full points × (on-time share × on_time_weight + satisfaction share × satisfaction_weight)
    less `per_reopen` for each reopening, never below zero. No requests: full points."""
    rule = rule or {"on_time_weight": 0.5, "satisfaction_weight": 0.5, "per_reopen": 1.0}
    done = figures["on_time"] + figures["late"] + figures["overdue"]
    if not done and not figures["answered"]:
        return float(full_points)
    on_time = figures["on_time"] / done if done else 1.0
    satisfied = figures["satisfaction_rate"] if figures["satisfaction_rate"] is not None else 1.0
    points = full_points * (on_time * rule["on_time_weight"] + satisfied * rule["satisfaction_weight"])
    points -= rule["per_reopen"] * figures["reopened"]
    return round(max(0.0, min(float(full_points), points)), 1)


def _utc(moment):
    """A local wall-clock datetime (or date: its midnight) as naive UTC."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(0))
    if moment.tzinfo is not None:
        return moment.astimezone(timezone.utc).replace(tzinfo=None)
    return utc_from_local(moment)


def by_street(street_ids, start, end, now=None):
    """{street_id: figures} of the requests received in [start, end) (local times or
    dates), one GROUP BY street statement: the district's street-by-street column. Streets
    without requests are missing from the answer."""
    ids = list(street_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(R.street_id, *_figures(now or utcnow()))
        .where(R.street_id.in_(ids), R.created_at >= _utc(start), R.created_at < _utc(end))
        .group_by(R.street_id)).all()
    return {row.street_id: _as_dict(row) for row in rows}
