"""The cross-street ranking of property companies for a quarter: each street's quarter
scores and ranks side by side, by the street's own rule (`assessments.scoring`).

Four statements whatever the number of streets: the streets' closed rounds of the
quarter, the monthly company scores of those rounds (GROUP BY round, company — as
`company_month_scores` does for one street), the companies' names, and the streets'
quarter settings (published or not)."""
from collections import defaultdict

from sqlalchemy import func, select

from ..assessments import scoring
from ..assessments.models import AssessmentRound, AssessmentSheet, QuarterRanking
from ..companies.models import PropertyCompany
from ..extensions import db


class Line:
    """One company across the district: its place in each street and the district's order."""

    def __init__(self, company_id, name):
        self.company_id = company_id
        self.name = name
        self.cells = {}  # street_id -> Placed (score, rank in that street)
        self.score = None
        self.rank = 0

    @property
    def streets(self):
        return len(self.cells)


def cross_street(streets, quarter):
    """{"quarter", "streets", "lines", "published"} for the given streets.

    A company's district score is the mean of its quarter scores in the streets it serves
    (each street weighs the same); companies are ordered by it (competition ranking, the
    lowest street score breaking ties, as within a street)."""
    months = scoring.quarter_months(quarter)
    ids = [s.id for s in streets]
    by_street = defaultdict(lambda: defaultdict(list))  # street -> company -> [month scores]
    if ids:
        rounds = {rid: street_id for rid, street_id in db.session.execute(
            select(AssessmentRound.id, AssessmentRound.street_id)
            .where(AssessmentRound.street_id.in_(ids), AssessmentRound.month.in_(months),
                   AssessmentRound.status == "closed"))}
        # Per round and company, in the order of ix_assessment_sheet_round_company_score:
        # read from the index alone, no sort (a round's 10,000 sheets).
        rows = db.session.execute(
            select(AssessmentSheet.round_id, AssessmentSheet.company_id, func.avg(AssessmentSheet.final_score))
            .where(AssessmentSheet.round_id.in_(list(rounds)), AssessmentSheet.final_score.is_not(None))
            .group_by(AssessmentSheet.round_id, AssessmentSheet.company_id)
        ).all() if rounds else []
        for round_id, company_id, avg in rows:
            by_street[rounds[round_id]][company_id].append(scoring.r2(avg))
    company_ids = {c for companies in by_street.values() for c in companies}
    names = dict(db.session.execute(
        select(PropertyCompany.id, PropertyCompany.name).where(PropertyCompany.id.in_(company_ids))
    ).all()) if company_ids else {}
    lines = {}
    for street_id, monthly in by_street.items():
        for placed in scoring.quarter_ranking(monthly, names, (0.0, 0.0, 0.0)):
            line = lines.setdefault(placed.key, Line(placed.key, placed.name))
            line.cells[street_id] = placed
    entries = []
    for line in lines.values():
        scores = [p.score for p in line.cells.values()]
        entries.append(scoring.Placed(key=line.company_id, name=line.name, score=scoring.mean(scores),
                                      tie_key=min(scores)))
    ordered = []
    for placed in scoring.rank(entries):
        line = lines[placed.key]
        line.score, line.rank = placed.score, placed.rank
        ordered.append(line)
    published = {}
    if ids:
        published = dict(db.session.execute(
            select(QuarterRanking.street_id, QuarterRanking.published_at)
            .where(QuarterRanking.street_id.in_(ids), QuarterRanking.quarter == quarter)
        ).all())
    return {"quarter": quarter, "streets": list(streets), "lines": ordered, "published": published,
            "months": months}
