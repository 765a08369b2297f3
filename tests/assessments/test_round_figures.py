"""A round's totals and company ranking are aggregated in SQL (issue 13): they must say what
the Python rules say sheet by sheet (`services.sheet_result`, `scoring.combine_scorers`,
`scoring.rank`), for open and closed rounds and for every kind of weights."""
import pytest
from sqlalchemy import select, true

from webapp.assessments import scoring, services
from webapp.assessments.models import AssessmentRound
from webapp.extensions import db


def python_ranking(rnd):
    per_company, names = {}, {}
    for sheet in rnd.sheets:
        result = services.sheet_result(sheet, rnd)
        names[sheet.company_id] = sheet.company.name
        if result is not None:
            per_company.setdefault(sheet.company_id, []).append(result)
    return scoring.rank([scoring.Placed(key=k, name=names[k], score=scoring.mean(v), tie_key=min(v))
                         for k, v in per_company.items()])


def python_summary(rnd):
    states = {"scored": 0, "waiting": 0, "unscored": 0}
    results = []
    for sheet in rnd.sheets:
        submitted = [s for s in sheet.scores if s.is_submitted]
        waiting = [s for s in sheet.scores if not s.is_submitted]
        states["unscored" if not submitted else "waiting" if waiting else "scored"] += 1
        result = services.sheet_result(sheet, rnd)
        if result is not None:
            results.append(result)
    return dict(states, sheets=len(rnd.sheets), results=len(results), mean=scoring.mean(results))


def _as_tuples(ranking):
    return [(e.rank, e.key, e.score, e.tie_key) for e in ranking]


@pytest.mark.parametrize("weights", [None, (1.0, 0.0), (0.0, 1.0), (0.0, 0.0), (0.5, 0.5)])
def test_sql_figures_match_the_python_rules(app, demo, weights):
    with app.test_request_context():
        rounds = db.session.scalars(select(AssessmentRound)).all()
        assert any(not r.is_closed for r in rounds) and any(r.is_closed for r in rounds)
        try:
            for rnd in rounds:
                if weights:  # not flushed: the SQL takes the round's weights as values
                    rnd.cadre_weight, rnd.rep_weight = weights
                expected = python_ranking(rnd)
                assert expected or rnd.is_closed is False
                assert _as_tuples(services.round_ranking(rnd)) == _as_tuples(expected), rnd.title
                assert _as_tuples(services.round_ranking(rnd, limit=2)) == _as_tuples(expected[:2])
                summary = services.round_summary(rnd, true())
                assert {k: summary[k] for k in python_summary(rnd)} == python_summary(rnd), rnd.title
                assert summary["companies"] == len(expected)
        finally:
            db.session.rollback()



def test_interim_month_scores_match_the_python_rules(app, demo):
    with app.test_request_context():
        for rnd in db.session.scalars(select(AssessmentRound).where(AssessmentRound.status == "open")).all():
            expected = {e.key: e.score for e in python_ranking(rnd)}
            got = services.company_month_scores(closed_only=False, street_id=rnd.street_id)
            assert got.get(rnd.month, {}) == expected, rnd.title
