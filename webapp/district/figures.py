"""The district's street-by-street figures, aggregated in SQL (GROUP BY street).

`street_rows(streets, ...)` runs a fixed number of statements whatever the number of
streets or compounds: coverage (one), companies (one), cross-appointments (one),
三会三公开 compliance (three), and the requests figures (whatever the requests domain's
hook runs, bounded the same way). The rules are the ones the street's own pages use:
coverage and red companies from `compounds.coverage`, "in place today" from the Tenure
rule (`CrossAppointment.active()`), compliance from `meetings.services`.

The requests column (issue 11, built in parallel): the hook is
`requests.stats.by_street(street_ids, start, end)` returning {street_id: figures} with
the figures `requests.stats` already counts for one street (`on_time`, `late`,
`overdue`, `answered`, `satisfaction_rate`, …: its `_as_dict`), one GROUP BY street
statement. Until that function exists the column shows 「—」 (`requests_hook()` is None).
On-time rate = on_time / (on_time + late + overdue); satisfaction = the requests
domain's own `satisfaction_rate` (满意 and 基本满意 among the answers given).
"""
from sqlalchemy import func, select

from ..appointments.models import CrossAppointment
from ..clock import local_today
from ..compounds.coverage import coverage_by_street, red_companies_by_street
from ..extensions import db
from ..meetings import services as meetings_services


def appointments_by_street(street_ids, day=None):
    """{street_id: cross-appointments in place on `day`} in one statement."""
    if not street_ids:
        return {}
    rows = db.session.execute(
        select(CrossAppointment.street_id, func.count(CrossAppointment.id))
        .where(CrossAppointment.street_id.in_(street_ids), CrossAppointment.active(day))
        .group_by(CrossAppointment.street_id)
    ).all()
    return {sid: int(n) for sid, n in rows}


def requests_hook():
    """The requests domain's per-street figures function, or None until it exists."""
    try:
        from ..requests import stats
    except ImportError:
        return None
    return getattr(stats, "by_street", None)


def _requests_row(figures):
    """(on-time ratio, satisfaction ratio) from the requests domain's figures of a street."""
    if figures is None:
        return None, None
    done = figures.get("on_time", 0) + figures.get("late", 0) + figures.get("overdue", 0)
    return _ratio(figures.get("on_time", 0), done), figures.get("satisfaction_rate")


def period_of(today, period, year=None, number=None):
    """(period, year, number) with defaults: this month or quarter of `today`."""
    year = year or today.year
    default = today.month if period == "month" else (today.month - 1) // 3 + 1
    number = number or default
    return period, year, number


def _ratio(part, whole):
    return (part / whole) if whole else None


def street_rows(streets, period="quarter", year=None, number=None, day=None):
    """One dict per street (in the order given) with its figures, plus a total dict.

    Each row: street, compounds, covered, communities, communities_covered,
    companies, red_companies, appointments, compliance (compounds_met, requirements or
    None), requests (due, on_time, rated, satisfied or None), and ratios."""
    day = day or local_today()
    period, year, number = period_of(day, period, year, number)
    ids = [s.id for s in streets]
    coverage = coverage_by_street(ids)
    companies = red_companies_by_street(ids)
    appointments = appointments_by_street(ids, day)
    compliance = meetings_services.compliance_by_street(ids, period, year, number)
    hook = requests_hook()
    start, end = meetings_services.period_bounds(period, year, number)
    requests = hook(ids, start, end) if hook else None
    rows = []
    for s in streets:
        cov = coverage.get(s.id, {"compounds": 0, "covered": 0, "communities": 0, "communities_covered": 0})
        total, red = companies.get(s.id, (0, 0))
        comp = compliance.get(s.id)
        req = (requests or {}).get(s.id) if hook else None
        on_time, satisfied = _requests_row(req)
        target = s.coverage_target_date
        rows.append({
            "street": s, **cov, "companies": total, "red_companies": red,
            "appointments": appointments.get(s.id, 0), "compliance": comp, "requests": req,
            "coverage_ratio": _ratio(cov["covered"], cov["compounds"]),
            "compliance_ratio": _ratio(comp["compounds_met"], cov["compounds"]) if comp else None,
            "target": target, "days_left": (target - day).days if target else None,
            "on_time_ratio": on_time, "satisfied_ratio": satisfied,
        })
    return rows, total_row(rows, hook is not None)


def total_row(rows, with_requests):
    """The sums of a set of street rows (a district's, or the city's)."""
    keys = ("compounds", "covered", "communities", "communities_covered", "companies", "red_companies",
            "appointments")
    out = {k: sum(r[k] for r in rows) for k in keys}
    with_req = [r for r in rows if r["compliance"]]
    met = sum(r["compliance"]["compounds_met"] for r in with_req)
    measured = sum(r["compounds"] for r in with_req)
    out["compliance"] = {"compounds_met": met, "measured": measured} if with_req else None
    out["compliance_ratio"] = _ratio(met, measured) if with_req else None
    out["coverage_ratio"] = _ratio(out["covered"], out["compounds"])
    if with_requests:
        keys = ("on_time", "late", "overdue", "satisfied", "basic", "answered")
        req = {k: sum((r["requests"] or {}).get(k, 0) for r in rows) for k in keys}
        done = req["on_time"] + req["late"] + req["overdue"]
        out.update(requests=req, on_time_ratio=_ratio(req["on_time"], done),
                   satisfied_ratio=_ratio(req["satisfied"] + req["basic"], req["answered"]))
    else:
        out.update(requests=None, on_time_ratio=None, satisfied_ratio=None)
    return out
