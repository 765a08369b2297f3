"""The figures of the dashboard and of the street's report, each aggregated in SQL.

Every function takes a `Place` (a street, optionally narrowed to one community or one
grid) and a day or a `Period`, never the signed-in user: the dashboard builds the Place
from the user (`dashboard.access.place_for`), the district pages call them for any street
(`coverage(street_id)`), and the report calls them as of a period's end. Each runs a fixed
number of SQL statements whatever the number of rows (tests/dashboard/test_statements.py):
counts come from GROUP BY and conditional sums, lists are cut with LIMIT.

"As of" rule: a figure for a past day counts what dated records say about that day —
cross-appointments by their term (`Tenure.active(day)`), requests by when they came in
and were handled, meetings by their start, tasks by due and done dates, recorded counts
by their month, the ranking by the quarters published by then. Places, companies and
committees carry no effective dates: a past month's coverage comes from the snapshot
taken when that month closed (`services.snapshot_month`), and a closed month's report is stored
as a document, so it prints the same figures for ever.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Optional

from sqlalchemy import and_, case, exists, func, or_, select, true

from ..appointments.models import CrossAppointment
from ..assessments.models import (AssessmentRound, AssessmentSheet, QuarterRanking, ScoreLine, SheetScore,
                                  quarter_label)
from ..clock import local_today, utc_from_local
from ..companies.models import PropertyCompany
from ..compounds.models import Building, Community, Compound, OwnersCommittee, Street
from ..extensions import db
from ..meetings.models import TASK_DONE, FollowUpTask, Meeting, MeetingKind, Requirement, Resolution
from ..meetings.services import latest_approved_condition
from .models import COUNT_KINDS, CoverageSnapshot, RecordedCount
from .periods import add_months, month_bounds_local, month_bounds_utc, trailing_months

FIRST_FEW = 5  # "not yet covered" and the like show a count and this many names
OWN_ORG_FORMS = ("own", "joint", "affiliated")


@dataclass(frozen=True)
class Place:
    """A street, or one community of it, or one grid of that community."""

    street_id: Optional[int]
    community_id: Optional[int] = None
    grid_id: Optional[int] = None

    def community_ids(self):
        """SELECT of the place's community ids."""
        stmt = select(Community.id).where(Community.street_id == self.street_id)
        if self.community_id:
            stmt = stmt.where(Community.id == self.community_id)
        return stmt

    def compound_ids(self):
        """SELECT of the place's compound ids: a street's by the compounds' own street_id
        (one index range, not a probe per community)."""
        if not self.community_id:
            return select(Compound.id).where(Compound.street_id == self.street_id)
        stmt = select(Compound.id).where(Compound.community_id.in_(self.community_ids()))
        if self.grid_id:
            stmt = stmt.where(Compound.grid_id == self.grid_id)
        return stmt

    def compounds(self):
        """SQL condition on Compound: one of the place's compounds (a street's read by their
        own street_id, along its indexes, without a list of ids)."""
        if not self.community_id:
            return Compound.street_id == self.street_id
        return Compound.id.in_(self.compound_ids())

    def records(self, community_col, compound_col, community_wide=True):
        """SQL condition on a record placed at a community and optionally a compound. A
        grid's place holds records of its compounds, and (`community_wide`) its
        community's records that name no compound, as `scope.place_filter` reads them.
        A street's records are read by the table's own `street_id` and a community's by
        its `community_id` (indexed columns, no sub-select per row)."""
        street_col = getattr(getattr(community_col, "class_", None), "street_id", None)
        if not self.community_id and street_col is not None:
            return street_col == self.street_id
        if self.community_id:
            cond = and_(community_col == self.community_id, community_col.in_(self.community_ids()))
        else:
            cond = community_col.in_(self.community_ids())
        if self.grid_id:
            in_grid = compound_col.in_(self.compound_ids())
            cond = and_(cond, or_(in_grid, compound_col.is_(None)) if community_wide else in_grid)
        return cond

    def link_args(self):
        """Query-string arguments that narrow a list page to this place."""
        return {"community": self.community_id} if self.community_id else {}


def _n(value):
    return int(value or 0)


def _range_counts(id_col, at_col, condition, bounds, months):
    """[(month, rows with `at_col` in that month's bounds)] in one statement: one COUNT per
    month over an index range, so the work follows the rows of each month, not a scan of
    the table with a function applied to every row. COUNT(*), not COUNT(id): the same
    number (an id is never NULL), and SQLite counts index entries without reading the id
    out of each (2-3× faster over the year's requests)."""
    counts = db.session.execute(select(*(
        select(func.count()).select_from(id_col.table).where(condition, at_col >= lo, at_col < hi).scalar_subquery()
        for lo, hi in bounds))).one()
    return [(m, _n(n)) for m, n in zip(months, counts)]


def _end_utc(day):
    """Naive UTC of the midnight that ends `day` on the street's clock."""
    return utc_from_local(datetime.combine(day + timedelta(days=1), time()))


# --- coverage -----------------------------------------------------------------------

def covered_condition():
    """SQL on Compound: the compound is under 红色物业 — the one rule in
    `compounds.coverage.compound_covered` (its property company has a party organisation
    or a dispatched instructor, or its owners' committee / 自管会 has party members), which
    the district's pages count with too."""
    from ..compounds.coverage import compound_covered

    return compound_covered()


def red_committee_condition():
    """SQL on OwnersCommittee: party members are at least half its members."""
    return and_(OwnersCommittee.members > 0, OwnersCommittee.party_members * 2 >= OwnersCommittee.members)


def coverage(street_id, as_of=None, place=None):
    """The street's (or `place`'s) 红色物业 coverage against its target date.

    Callable for any street (the district pages use it): `coverage(street_id)`. Returns a
    dict: target, days_left; compounds, covered, uncovered and the first few uncovered
    (`uncovered_first`: dicts id, name, community); per community (`communities`: id,
    name, compounds, covered) and how many are wholly covered; companies serving the
    place, those with their own party organisation (`companies_org`) or an instructor
    (`companies_instructor`); buildings, households, stewards; committees and those with
    a party-member share of at least 50% (`red_committees`); cross-appointments active
    on `as_of` (default today). Four statements.
    """
    place = place or Place(street_id)
    as_of = as_of or local_today()
    covered = covered_condition()
    compound_ids = place.compound_ids()  # one SELECT, built once and used by each count
    in_place = place.compounds()
    rows = db.session.execute(
        select(Community.id, Community.name, func.count(Compound.id),
               func.coalesce(func.sum(case((covered, 1), else_=0)), 0))
        .join(Compound, Compound.community_id == Community.id)
        .where(in_place)
        .group_by(Community.id, Community.name).order_by(Community.name)
    ).all()
    communities = [{"id": cid, "name": name, "compounds": _n(n), "covered": _n(k)} for cid, name, n, k in rows]
    first = db.session.execute(
        select(Compound.id, Compound.name, Community.name)
        .join(Community, Community.id == Compound.community_id)
        .where(in_place, ~covered)
        .order_by(Community.name, Compound.name).limit(FIRST_FEW)
    ).all()
    serving = select(Compound.company_id).where(in_place, Compound.company_id.is_not(None))
    company = lambda cond: (select(func.count(PropertyCompany.id))  # noqa: E731
                            .where(PropertyCompany.id.in_(serving), cond).scalar_subquery())
    building = lambda *conds: (select(func.count(Building.id))  # noqa: E731
                               .where(Building.compound_id.in_(compound_ids), *conds).scalar_subquery())
    committee = lambda *conds: (select(func.count(OwnersCommittee.id))  # noqa: E731
                                .where(OwnersCommittee.compound_id.in_(compound_ids), *conds).scalar_subquery())
    totals = db.session.execute(select(
        company(true()).label("companies"),
        company(PropertyCompany.party_org_form.in_(OWN_ORG_FORMS)).label("companies_org"),
        company(PropertyCompany.party_org_form == "instructor").label("companies_instructor"),
        building().label("buildings"),
        building(Building.steward_id.is_not(None)).label("stewards"),
        select(func.coalesce(func.sum(Building.households), 0))
        .where(Building.compound_id.in_(compound_ids)).scalar_subquery().label("households"),
        committee().label("committees"),
        committee(red_committee_condition()).label("red_committees"),
        select(func.count(CrossAppointment.id)).where(
            place.records(CrossAppointment.community_id, CrossAppointment.compound_id),
            CrossAppointment.active(as_of)).scalar_subquery().label("appointments"),
        select(Street.coverage_target_date).where(Street.id == street_id).scalar_subquery().label("target"),
    )).one()
    compounds = sum(c["compounds"] for c in communities)
    covered_n = sum(c["covered"] for c in communities)
    target = totals.target
    return {
        "as_of": as_of,
        "target": target,
        "days_left": (target - as_of).days if target else None,
        "compounds": compounds,
        "covered": covered_n,
        "uncovered": compounds - covered_n,
        "uncovered_first": [{"id": i, "name": n, "community": c} for i, n, c in first],
        "communities": communities,
        "communities_covered": sum(1 for c in communities if c["compounds"] and c["covered"] == c["compounds"]),
        "companies": _n(totals.companies),
        "companies_org": _n(totals.companies_org),
        "companies_instructor": _n(totals.companies_instructor),
        "buildings": _n(totals.buildings),
        "stewards": _n(totals.stewards),
        "households": _n(totals.households),
        "committees": _n(totals.committees),
        "red_committees": _n(totals.red_committees),
        "appointments": _n(totals.appointments),
    }


def appointments_trend(place, months, today_count=None):
    """Cross-appointments active at each month's end (the term rule): [count per month].

    A closed month is read from its coverage snapshots when every community of the place
    has one: `snapshot_month` stored each community's count by the same rule on that
    month's last day (`coverage(as_of=last_day)`), so the figure is the one counted when
    the month closed — as the coverage trend beside it, a term edited back into a closed
    month later does not change it. The running month is `today_count` when the caller
    has it (the coverage card's own figure), and any month without complete snapshots
    (a grid's place, the morning before the job ran, a community added since) is counted
    live. At most two statements; at 100,000 appointments the live count of twelve month
    ends read every term twelve times (~180 ms, issue 13)."""
    if not months:
        return []
    today = local_today()
    ends = {m: min(add_months(m, 1) - _one_day(), today) for m in months}
    counts = {}
    closed = [m for m in months if ends[m] < today]
    if closed and not place.grid_id:
        in_place = CoverageSnapshot.community_id.in_(place.community_ids())
        communities = select(func.count()).select_from(place.community_ids().subquery()).scalar_subquery()
        rows = db.session.execute(
            select(CoverageSnapshot.month, func.count(), func.sum(CoverageSnapshot.appointments), communities)
            .where(in_place, CoverageSnapshot.month.in_(closed)).group_by(CoverageSnapshot.month)).all()
        counts = {m: _n(total) for m, k, total, n in rows if k == n}
    if today_count is not None:
        counts.update({m: today_count for m in months if ends[m] == today})
    live = [m for m in months if m not in counts]
    if live:
        row = db.session.execute(select(*(
            func.coalesce(func.sum(case((CrossAppointment.active(ends[m]), 1), else_=0)), 0) for m in live
        )).where(place.records(CrossAppointment.community_id, CrossAppointment.compound_id))).one()
        counts.update({m: _n(v) for m, v in zip(live, row)})
    return [counts[m] for m in months]


def _one_day():
    return timedelta(days=1)


def coverage_trend(place, months):
    """Compounds covered at each month's end: the snapshot taken when the month closed,
    and today's figure for the month that runs. {month: (covered, compounds)}."""
    rows = db.session.execute(
        select(CoverageSnapshot.month, func.sum(CoverageSnapshot.covered), func.sum(CoverageSnapshot.compounds))
        .where(CoverageSnapshot.community_id.in_(place.community_ids()), CoverageSnapshot.month.in_(months))
        .group_by(CoverageSnapshot.month)
    ).all()
    return {m: (_n(k), _n(n)) for m, k, n in rows}


# --- residents' requests ------------------------------------------------------------

def requests_summary(place, period, months=12, now=None):
    """Residents' requests of the place, through the requests domain's figures
    (`requests.stats.summary`, the same rule its pages and the assessment sheet use):
    received in the period, resolved (of those, now done), on time, satisfaction, by
    category; open and overdue at `now` (default: the period's end, or now while it runs);
    received per month over the `months` ending with the period (index-range counts);
    overdue by assignee. Seven statements.

    "As of": a request counts in the month it was received; how it was handled is read
    as it stands (the requests domain keeps no history of states), which the stored
    report of a closed month then keeps unchanged."""
    from ..clock import utcnow
    from ..requests import stats
    from ..requests.models import ResidentRequest as R
    from ..requests.rules import OPEN

    in_place = place.records(R.community_id, R.compound_id, community_wide=False)
    end = period.utc_bounds()[1]
    now = now or min(utcnow(), end)
    summary = stats.summary(street_ids=[place.street_id], months=len(period.months), condition=in_place, now=now,
                            today=period.months[-1])
    total = summary["total"]
    # Open and overdue among what had come in by the period's end: all of them less those
    # received since (a few, on the (street, created) index); each count alone runs on
    # the (street, status, due) index, where "received before the end" would read every row.
    since = [R.created_at >= end]
    count = select(func.count()).select_from(R)  # COUNT(*): see _range_counts
    opened = db.session.execute(select(
        count.where(in_place, R.status.in_(OPEN)).scalar_subquery(),
        count.where(in_place, R.status.in_(OPEN), *since).scalar_subquery(),
        count.where(in_place, R.overdue_condition(now)).scalar_subquery(),
        count.where(in_place, R.overdue_condition(now), *since).scalar_subquery(),
    )).one()
    opened = (_n(opened[0]) - _n(opened[1]), _n(opened[2]) - _n(opened[3]))
    trend_months = trailing_months(period.months[-1], months)
    trend = _range_counts(R.id, R.created_at, in_place, [month_bounds_utc(m) for m in trend_months], trend_months)
    return {
        "received": total["received"],
        "resolved": total["resolved"],
        "on_time": total["on_time"],
        "late": total["late"],
        "open": _n(opened[0]),
        "overdue": _n(opened[1]),
        "satisfied": total["satisfied"] + total["basic"],
        "answered": total["answered"],
        "satisfaction": total["satisfaction_rate"],
        "by_category": [(None, c["category"], c["received"]) for c in summary["categories"]],
        "by_month": trend,
        "overdue_by_assignee": overdue_by_assignee(in_place, now),
    }


def overdue_by_assignee(condition, now, limit=50):
    """[(assignee, overdue requests)] of open requests past their deadline at `now`, the
    most first: by company, department, grid or community as the request names them."""
    from ..compounds.models import Grid
    from ..requests.models import RequestDepartment, ResidentRequest as R

    # Count by the assignee's ids first (from the deadline index), then name the few groups:
    # joining four name tables to every overdue row cost most of the dashboard's SQL.
    community = case((R.assignee_kind == "community", R.community_id))
    by_id = (select(R.assignee_kind.label("kind"), R.assignee_company_id.label("company_id"),
                    R.assignee_department_id.label("department_id"), R.assignee_grid_id.label("grid_id"),
                    community.label("community_id"),
                    func.count().label("n"))
             .where(condition, R.overdue_condition(now))
             .group_by(R.assignee_kind, R.assignee_company_id, R.assignee_department_id, R.assignee_grid_id,
                       community)
             .subquery())
    label = func.coalesce(PropertyCompany.name, RequestDepartment.name, Grid.name, Community.name, "未派单")
    total = func.sum(by_id.c.n)
    rows = db.session.execute(
        select(by_id.c.kind, label, total).select_from(by_id)
        .outerjoin(PropertyCompany, and_(by_id.c.kind == "company", PropertyCompany.id == by_id.c.company_id))
        .outerjoin(RequestDepartment, and_(by_id.c.kind == "department", RequestDepartment.id == by_id.c.department_id))
        .outerjoin(Grid, and_(by_id.c.kind == "grid", Grid.id == by_id.c.grid_id))
        .outerjoin(Community, and_(by_id.c.kind == "community", Community.id == by_id.c.community_id))
        .group_by(by_id.c.kind, label).order_by(total.desc(), label).limit(limit)).all()
    return [(name, _n(n)) for _, name, n in rows]


def company_requests(company_id, period, now=None):
    """A company's requests (assigned to it): received in the period, open and overdue
    now, and the satisfaction of those answered. Two statements."""
    from ..clock import utcnow
    from ..requests.models import ResidentRequest as R
    from ..requests.rules import OPEN

    now = now or utcnow()
    lo, hi = period.utc_bounds()
    mine = and_(R.assignee_kind == "company", R.assignee_company_id == company_id)
    row = db.session.execute(select(
        select(func.count(R.id)).where(mine, R.created_at >= lo, R.created_at < hi).scalar_subquery(),
        select(func.count(R.id)).where(mine, R.status.in_(OPEN)).scalar_subquery(),
        select(func.count(R.id)).where(mine, R.overdue_condition(now)).scalar_subquery(),
    )).one()
    answers = dict(db.session.execute(select(R.satisfaction, func.count(R.id)).where(
        mine, R.satisfaction != "", R.created_at >= lo, R.created_at < hi).group_by(R.satisfaction)).all())
    answered = sum(answers.values())
    good = answers.get("satisfied", 0) + answers.get("basic", 0)
    return {"received": _n(row[0]), "open": _n(row[1]), "overdue": _n(row[2]), "answered": answered,
            "satisfaction": round(good / answered, 4) if answered else None}


# --- meetings and follow-up tasks ---------------------------------------------------

def meetings_summary(place, period, months=12):
    """Meetings held in the period (current versions dated up to today), by kind; held
    per month over the `months` ending with it; two statements. A meeting planned for a
    later day is not yet held (the meetings list from the period's start to today shows
    the same ones)."""
    lo, hi = period.local_bounds()
    tomorrow = datetime.combine(local_today() + timedelta(days=1), time())
    hi = min(hi, tomorrow)
    in_place = and_(place.records(Meeting.community_id, Meeting.compound_id), Meeting.is_current.is_(True))
    by_kind = db.session.execute(
        select(MeetingKind.id, MeetingKind.name, func.count(Meeting.id))
        .join(Meeting, Meeting.kind_id == MeetingKind.id)
        .where(in_place, Meeting.starts_at >= lo, Meeting.starts_at < hi)
        .group_by(MeetingKind.id, MeetingKind.name, MeetingKind.sort_order).order_by(MeetingKind.sort_order)
    ).all()
    trend_months = trailing_months(period.months[-1], months)
    bounds = [(lo_, min(hi_, tomorrow)) for lo_, hi_ in (month_bounds_local(m) for m in trend_months)]
    trend = _range_counts(Meeting.id, Meeting.starts_at, in_place, bounds, trend_months)
    return {
        "held": sum(_n(n) for _, _, n in by_kind),
        "by_kind": [(kid, name, _n(n)) for kid, name, n in by_kind],
        "by_month": trend,
    }


def compliance_count(place, month):
    """三会三公开 for one month: (compounds meeting every active requirement, compounds,
    requirements). A monthly requirement counts the month, a quarterly one the quarter
    containing it; a community-wide meeting counts for each of its compounds; a
    requirement with publication counts only meetings whose latest approved version
    published a resolution to residents (as `meetings.services.compliance`). Two
    statements, whatever the number of meetings."""
    m_lo, m_hi = month_bounds_local(month)
    q_first = month.replace(month=(month.month - 1) // 3 * 3 + 1)
    q_lo, q_hi = month_bounds_local(q_first)[0], month_bounds_local(add_months(q_first, 2))[1]
    req = Requirement
    lo = case((req.period == "quarter", q_lo), else_=m_lo)
    hi = case((req.period == "quarter", q_hi), else_=m_hi)
    published = and_(
        exists(select(Resolution.id).where(Resolution.meeting_id == Meeting.id, Resolution.publish.is_(True))),
        latest_approved_condition(Meeting))
    counted = or_(and_(req.needs_publication.is_(True), published),
                  and_(req.needs_publication.is_(False), Meeting.is_current.is_(True)))
    per_pair = (
        select(Compound.id.label("cid"), req.min_count.label("need"), func.count(Meeting.id).label("held"))
        .select_from(Compound).join(req, and_(req.active.is_(True), req.street_id == place.street_id))
        .outerjoin(Meeting, and_(
            Meeting.community_id == Compound.community_id,
            or_(Meeting.compound_id.is_(None), Meeting.compound_id == Compound.id),
            or_(req.kind_id.is_(None), Meeting.kind_id == req.kind_id),
            Meeting.starts_at >= lo, Meeting.starts_at < hi, counted))
        .where(Compound.id.in_(place.compound_ids()))
        .group_by(Compound.id, req.id, req.min_count)
    ).subquery()
    met_compounds = (select(per_pair.c.cid).group_by(per_pair.c.cid)
                     .having(func.min(case((per_pair.c.held >= per_pair.c.need, 1), else_=0)) == 1)).subquery()
    met, compounds, requirements = db.session.execute(select(
        select(func.count()).select_from(met_compounds).scalar_subquery(),
        select(func.count(Compound.id)).where(Compound.id.in_(place.compound_ids())).scalar_subquery(),
        select(func.count(req.id)).where(req.active.is_(True), req.street_id == place.street_id).scalar_subquery(),
    )).one()
    return _n(met), _n(compounds), _n(requirements)


def tasks_summary(place, as_of=None):
    """Follow-up tasks of the place's meetings as they stood at the end of `as_of`:
    set by then (by a meeting that had started), done by then, overdue (due before
    `as_of`, not done by its end) and still open. One statement."""
    as_of = as_of or local_today()
    end = _end_utc(as_of)
    T = FollowUpTask
    done = and_(T.state == TASK_DONE, or_(T.done_at.is_(None), T.done_at < end))
    row = db.session.execute(
        select(func.count(T.id),
               func.coalesce(func.sum(case((done, 1), else_=0)), 0),
               func.coalesce(func.sum(case((and_(T.due_date < as_of, ~done), 1), else_=0)), 0))
        .join(Meeting, Meeting.id == T.meeting_id)
        .where(place.records(Meeting.community_id, Meeting.compound_id),
               Meeting.starts_at < datetime.combine(as_of + timedelta(days=1), time()))
    ).one()
    total, done_n, overdue = (_n(v) for v in row)
    return {"total": total, "done": done_n, "overdue": overdue, "open": total - done_n}


# --- assessment ----------------------------------------------------------------------

def latest_ranking(street_id, until_quarter=None):
    """The street's newest published quarterly ranking (up to `until_quarter`, e.g.
    '2026Q4'): dict quarter, label, rows (rank, company_name, score, prize, prize_amount,
    exit_flag), flagged (exit names), or None. One statement."""
    stmt = select(QuarterRanking).where(QuarterRanking.published_at.is_not(None),
                                        QuarterRanking.street_id == street_id)
    if until_quarter:
        stmt = stmt.where(QuarterRanking.quarter <= until_quarter)
    qr = db.session.scalars(stmt.order_by(QuarterRanking.quarter.desc()).limit(1)).first()
    if qr is None:
        return None
    rows = qr.rows
    return {"quarter": qr.quarter, "label": quarter_label(qr.quarter), "rows": rows,
            "flagged": [r["company_name"] for r in rows if r.get("exit_flag")]}


def company_standing(company_id):
    """A company's latest closed month: its score and rank among the companies scored,
    and its quarter so far (score, rank, of how many); None when nothing is closed.
    Three statements (the assessments' own ranking rule)."""
    from ..assessments import scoring, services

    latest = db.session.scalar(
        select(AssessmentRound.month).join(AssessmentSheet, AssessmentSheet.round_id == AssessmentRound.id)
        .where(AssessmentRound.status == "closed", AssessmentSheet.company_id == company_id,
               AssessmentSheet.final_score.is_not(None))
        .order_by(AssessmentRound.month.desc()).limit(1))
    if latest is None:
        return None
    month_scores = db.session.execute(
        select(AssessmentSheet.company_id, func.avg(AssessmentSheet.final_score))
        .join(AssessmentRound, AssessmentRound.id == AssessmentSheet.round_id)
        .where(AssessmentRound.month == latest, AssessmentRound.status == "closed",
               AssessmentSheet.final_score.is_not(None))
        .group_by(AssessmentSheet.company_id)).all()
    entries = [scoring.Placed(key=k, name=str(k), score=scoring.r2(v), tie_key=scoring.r2(v)) for k, v in month_scores]
    ranked = {e.key: e for e in scoring.rank(entries)}
    quarter = scoring.quarter_of(latest)
    by_month = services.company_month_scores(until=scoring.quarter_months(quarter)[-1])
    monthly = {}
    for m in scoring.quarter_months(quarter):
        for k, s in by_month.get(m, {}).items():
            monthly.setdefault(k, []).append(s)
    q_ranked = {e.key: e for e in scoring.quarter_ranking(monthly, {k: str(k) for k in monthly}, (0, 0, 0))}
    mine, q_mine = ranked.get(company_id), q_ranked.get(company_id)
    return {
        "month": latest, "score": mine.score if mine else None, "rank": mine.rank if mine else None,
        "of": len(ranked), "quarter": quarter, "quarter_label": quarter_label(quarter),
        "quarter_score": q_mine.score if q_mine else None, "quarter_rank": q_mine.rank if q_mine else None,
        "quarter_of": len(q_ranked),
    }


def company_findings(company_id, limit=FIRST_FEW):
    """Findings to rectify: lines of the company's sheets in its latest closed round
    that found something (findings counted or a finding written). (count, first few)."""
    latest = (select(func.max(AssessmentRound.month)).join(AssessmentSheet)
              .where(AssessmentRound.status == "closed", AssessmentSheet.company_id == company_id).scalar_subquery())
    base = (select(ScoreLine.id).join(SheetScore, SheetScore.id == ScoreLine.score_id)
            .join(AssessmentSheet, AssessmentSheet.id == SheetScore.sheet_id)
            .join(AssessmentRound, AssessmentRound.id == AssessmentSheet.round_id)
            .where(AssessmentSheet.company_id == company_id, AssessmentRound.status == "closed",
                   AssessmentRound.month == latest, SheetScore.status == "submitted",
                   or_(ScoreLine.findings > 0, ScoreLine.finding_text != "")))
    count = db.session.scalar(select(func.count()).select_from(base.subquery()))
    from ..assessments.models import TemplateItem

    first = db.session.execute(
        select(AssessmentSheet.id, Compound.name, TemplateItem.title, ScoreLine.findings, ScoreLine.finding_text)
        .select_from(ScoreLine).join(SheetScore, SheetScore.id == ScoreLine.score_id)
        .join(AssessmentSheet, AssessmentSheet.id == SheetScore.sheet_id)
        .join(Compound, Compound.id == AssessmentSheet.compound_id)
        .join(TemplateItem, TemplateItem.id == ScoreLine.item_id)
        .where(ScoreLine.id.in_(base)).order_by(Compound.name, ScoreLine.id).limit(limit)).all()
    return _n(count), [dict(sheet_id=s, compound=c, item=i, findings=f, text=t) for s, c, i, f, t in first]


def company_tasks(company_id, as_of=None):
    """Follow-up tasks meetings assigned to the company: open and overdue. One statement."""
    as_of = as_of or local_today()
    T = FollowUpTask
    row = db.session.execute(select(
        func.coalesce(func.sum(case((T.state != TASK_DONE, 1), else_=0)), 0),
        func.coalesce(func.sum(case((and_(T.state != TASK_DONE, T.due_date < as_of), 1), else_=0)), 0),
    ).where(T.owner_company_id == company_id)).one()
    return {"open": _n(row[0]), "overdue": _n(row[1])}


def waiting_sheets(user_id, limit=50):
    """The score sheets a resident representative is asked to fill, in open rounds:
    (count, rows with score_id, sheet_id, round month, company, compound)."""
    base = (select(SheetScore.id).join(AssessmentSheet, AssessmentSheet.id == SheetScore.sheet_id)
            .join(AssessmentRound, AssessmentRound.id == AssessmentSheet.round_id)
            .where(SheetScore.scorer_id == user_id, SheetScore.status != "submitted", AssessmentRound.status == "open"))
    count = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.execute(
        select(AssessmentSheet.id, AssessmentRound.month, PropertyCompany.name, Compound.name)
        .select_from(SheetScore).join(AssessmentSheet, AssessmentSheet.id == SheetScore.sheet_id)
        .join(AssessmentRound, AssessmentRound.id == AssessmentSheet.round_id)
        .join(PropertyCompany, PropertyCompany.id == AssessmentSheet.company_id)
        .join(Compound, Compound.id == AssessmentSheet.compound_id)
        .where(SheetScore.id.in_(base)).order_by(AssessmentRound.month, Compound.name).limit(limit)).all()
    return _n(count), [dict(sheet_id=s, month=m, company=c, compound=k) for s, m, c, k in rows]


# --- counts the street records ------------------------------------------------------

def recorded_summary(place, period, months=12):
    """The recorded counts for the period and the one before, and per month over the
    `months` ending with it. A flow ("sum": activities held) adds the period's months; a
    standing count ("stock": charging piles) takes each community's latest value up to
    the period's end. One statement (the street's recorded rows, a few per community
    and month). {kind: dict(label, unit, value, previous, by_month)}."""
    trend = trailing_months(period.months[-1], months)
    rows = db.session.execute(
        select(RecordedCount.community_id, RecordedCount.kind, RecordedCount.month, RecordedCount.value)
        .where(RecordedCount.community_id.in_(place.community_ids()), RecordedCount.month < period.end)
        .order_by(RecordedCount.month)).all()
    by_kind = {k: [] for k in COUNT_KINDS}
    for community_id, kind, month, value in rows:
        if kind in by_kind:
            by_kind[kind].append((community_id, month, value))
    prev = period.previous()
    out = {}
    for kind, (label, unit, how) in COUNT_KINDS.items():
        items = by_kind[kind]

        def value_for(lo, hi):
            if how == "sum":
                return sum(v for _, m, v in items if lo <= m < hi)
            latest = {}
            for cid, m, v in items:  # ordered by month: the last one up to `hi` wins
                if m < hi:
                    latest[cid] = v
            return sum(latest.values()) if latest else 0

        has_any = any(m < period.end for _, m, _ in items)
        in_period = any(period.start <= m < period.end for _, m, _ in items)
        out[kind] = {
            "label": label, "unit": unit, "how": how, "recorded": has_any,
            "recorded_in_period": in_period or (how == "stock" and has_any),
            "value": value_for(period.start, period.end),
            "previous": value_for(prev.start, prev.end),
            "by_month": [(m, value_for(m, add_months(m, 1))) for m in trend],
        }
    return out
