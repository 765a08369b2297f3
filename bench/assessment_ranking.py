"""Benchmark: the quarterly ranking for 200 companies × 12 closed months, at the server.

    .venv/bin/python bench/assessment_ranking.py [repeat]

Target: ≤ 100 ms. Reports the computation (services.ranking_for_quarter) and the whole
page request (GET /assessments/ranking?quarter=2027Q4, with 200 trend SVGs).
"""
import random
import sys
from datetime import date

from assessment_common import CPU, add_companies, load_average, login, make_app, timed


def main(repeat=9):
    app = make_app()
    from sqlalchemy import select

    from webapp.assessments import services
    from webapp.assessments.models import AssessmentRound, AssessmentSheet, AssessmentTemplate
    from webapp.extensions import db

    companies = add_companies(200)
    template = db.session.scalar(select(AssessmentTemplate).order_by(AssessmentTemplate.id))
    rng = random.Random(4)
    rows = []
    for m in range(12):
        rnd = AssessmentRound(month=date(2027, m + 1, 1), template=template, status="closed")
        db.session.add(rnd)
        db.session.flush()
        for c in companies:
            rows.append(dict(round_id=rnd.id, company_id=c.id, compound_id=c.compounds[0].id,
                             final_score=round(rng.uniform(70, 100), 1), version=1))
    db.session.execute(AssessmentSheet.__table__.insert(), rows)
    db.session.commit()

    compute, _ = timed(lambda: (services.ranking_for_quarter("2027Q4"), db.session.rollback()), repeat)
    compute_cpu = CPU["last"]
    client = login(app)
    page = client.get("/assessments/ranking?quarter=2027Q4")
    assert page.status_code == 200 and "基准物业199有限公司" in page.get_data(as_text=True)
    request, times = timed(lambda: client.get("/assessments/ranking?quarter=2027Q4"), repeat)
    request_cpu = CPU["last"]
    data = services.ranking_for_quarter("2027Q4")
    print(f"200 companies × 12 closed months ({len(rows)} sheets); load average {load_average():.1f}")
    print(f"ranking computation: median {compute * 1000:.0f} ms (CPU {compute_cpu * 1000:.0f} ms); {len(data['rows'])} ranked, {len(data['flagged'])} flagged for exit")
    print(f"whole page GET /assessments/ranking?quarter=2027Q4: median {request * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; CPU {request_cpu * 1000:.0f} ms)")
    print(f"target ≤ 100 ms → computation {'OK' if compute <= 0.1 else 'MISSED'}, page {'OK' if request <= 0.1 else 'MISSED'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
