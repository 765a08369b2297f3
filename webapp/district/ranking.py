"""The cross-street ranking of property companies for a quarter: each street's quarter
scores and ranks side by side, by the street's own rule (`assessments.scoring`).

Three statements whatever the number of streets: the monthly company scores of every
street's closed rounds (GROUP BY street, month, company — as `company_month_scores` does
for one street), the companies' names, and the streets' quarter settings (published or
not)."""
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
        rows = db.session.execute(
            select(AssessmentRound.street_id, AssessmentRound.month, AssessmentSheet.company_id,
                   func.avg(AssessmentSheet.final_score))
            .join(AssessmentSheet, AssessmentSheet.round_id == AssessmentRound.id)
            .where(AssessmentRound.street_id.in_(ids), AssessmentRound.month.in_(months),
                   AssessmentRound.status == "closed", AssessmentSheet.final_score.is_not(None))
            .group_by(AssessmentRound.street_id, AssessmentRound.month, AssessmentSheet.company_id)
        ).all()
        for street_id, _month, company_id, avg in rows:
            by_street[street_id][company_id].append(scoring.r2(avg))
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
