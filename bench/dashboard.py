"""Speed of the dashboard `/` and of the monthly report at two data sizes (issue 12/13).

Builds its own street each time (a throwaway SQLite file): 5 communities, 50 compounds
with 10 buildings and a committee each, 100 cross-appointments, N residents' requests
over the past twelve months, N/50 meetings (at least 40) with a follow-up task each,
and a year of recorded counts. Then, as the street admin, it times GET / (p50/p95 at the
server, through the test client) and counts the SQL statements each request runs — the
same whatever N — and times last month's report PDF (figures, charts, WeasyPrint).
Targets: dashboard p95 ≤ 80–100 ms at 100k requests; monthly PDF ≤ 1.5 s.

    .venv/bin/python bench/dashboard.py [--sizes 1000,100000] [--requests 40] [--pdfs 3]
"""
import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from meetings_common import make_app, percentile, signed_in_client  # noqa: E402

SOURCES = ["online_box", "opinion_box", "door_knocking", "visit_day", "grid_patrol", "phone"]


def build(app, n):
    """The street at size n (requests); returns the street id."""
    from sqlalchemy import insert

    from webapp.appointments.models import CrossAppointment
    from webapp.clock import local_today
    from webapp.companies.credit_code import make_code
    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import Building, Community, Compound, OwnersCommittee, Street
    from webapp.dashboard.models import COUNT_KINDS, RecordedCount
    from webapp.dashboard.periods import add_months
    from webapp.extensions import db
    from webapp.meetings.models import FollowUpTask, Meeting
    from webapp.meetings.services import seed_kinds
    from webapp.models_base import utcnow
    from webapp.people.models import Person
    from webapp.requests.models import ResidentRequest

    with app.app_context():
        today = local_today()
        street = Street(name="隐珠街道", coverage_target_date=date(today.year, 12, 31))
        forms = ["own", "joint", "instructor", "none", "affiliated"]
        companies = [PropertyCompany(name=f"物业{i}", credit_code=make_code(f"91370211MA{i:07d}"),
                                     party_org_form=forms[i % 5]) for i in range(10)]
        communities = [Community(street=street, name=f"社区{i}", slug=f"c{i}") for i in range(5)]
        compounds = [Compound(community=communities[i % 5], name=f"小区{i}", company=companies[i % 10])
                     for i in range(50)]
        db.session.add_all([street, *companies, *communities, *compounds])
        db.session.commit()
        kinds = list(seed_kinds().values())
        person = Person(name="交叉任职者", company=companies[0])
        db.session.add(person)
        db.session.commit()
        now = utcnow()
        stamp = dict(created_at=now, updated_at=now, version=1)
        sid = street.id
        buildings = [dict(compound_id=c.id, name=f"{j}号楼", households=40, steward_id=person.id if j % 3 else None,
                          steward_role="red_steward", steward_phone_public=False, **stamp)
                     for c in compounds for j in range(10)]
        committees = [dict(compound_id=c.id, kind="owners", name=f"{c.name}业委会", members=5, party_members=i % 4,
                           **stamp) for i, c in enumerate(compounds)]
        appointments = [dict(street_id=sid, person_id=person.id, direction="company_in", company_id=companies[0].id,
                             compound_id=compounds[i % 50].id, community_id=compounds[i % 50].community_id,
                             home_role="经理", host_role="委员", start_date=date(2025, 1, 1) + timedelta(days=5 * i),
                             end_date=None if i % 4 else date(2026, 6, 30), approval_document=f"文{i}", **stamp)
                        for i in range(100)]
        requests = []
        for i in range(n):
            c = compounds[i % 50]
            created = now - timedelta(minutes=(i * 5257) % (365 * 24 * 60))
            handled = created + timedelta(days=3) if i % 3 else None
            requests.append(dict(street_id=sid, receipt_no=f"YJ-B{i:07d}", source=SOURCES[i % 6],
                                 community_id=c.community_id, compound_id=c.id, text="诉求", name="", phone="",
                                 status="resolved" if handled else "received", public_reply="", handled_at=handled,
                                 created_at=created, updated_at=created, version=1))
        n_meetings = max(40, n // 50)
        meetings, tasks = [], []
        for i in range(1, n_meetings + 1):
            c = compounds[i % 50]
            starts = datetime.combine(today, datetime.min.time()) - timedelta(hours=(i * 97) % (365 * 24))
            meetings.append(dict(id=i, street_id=sid, kind_id=kinds[i % len(kinds)].id, title=f"第{i}次议事会",
                                 starts_at=starts, place="议事厅", community_id=c.community_id,
                                 compound_id=c.id if i % 3 else None, convener="", host="", recorder="", invited="",
                                 summary="", status="approved", submitted_by="", approved_by="", revision=1,
                                 correction_reason="", is_current=True, **stamp))
            tasks.append(dict(meeting_id=i, what="整改", owner="物业", due_date=starts.date() + timedelta(days=10),
                              state="done" if i % 2 else "open", done_by="", done_note="", **stamp))
        counts = [dict(street_id=sid, community_id=com.id, month=add_months(today.replace(day=1), -m), kind=k,
                       value=m + j, note="", **stamp)
                  for j, com in enumerate(communities) for m in range(12) for k in COUNT_KINDS]
        for model, rows in ((Building, buildings), (OwnersCommittee, committees), (CrossAppointment, appointments),
                            (ResidentRequest, requests), (Meeting, meetings), (FollowUpTask, tasks),
                            (RecordedCount, counts)):
            for k in range(0, len(rows), 5000):
                db.session.execute(insert(model.__table__), rows[k:k + 5000])
        db.session.commit()
        return sid


def measure(size, n_requests, n_pdfs):
    app, _ = make_app()
    t = time.perf_counter()
    street_id = build(app, size)
    built = time.perf_counter() - t
    client = signed_in_client(app)

    from sqlalchemy import event

    from webapp.extensions import db

    with app.app_context():
        engine = db.engine
    counted = []
    event.listen(engine, "before_cursor_execute", lambda *a: counted.append(1))
    assert client.get("/").status_code == 200  # warm
    times, cpu, statements = [], [], set()
    for _ in range(n_requests):
        counted.clear()
        t, c = time.perf_counter(), time.process_time()
        r = client.get("/")
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        statements.add(len(counted))
        assert r.status_code == 200
    size_kb = len(r.data) / 1024

    from webapp.clock import local_today
    from webapp.dashboard import reports
    from webapp.dashboard.periods import Period

    pdf_times, pdf_cpu, pdf_size = [], [], 0
    with app.test_request_context("/"):
        period = Period.month_of(local_today()).previous()
        for _ in range(n_pdfs):
            t, c = time.perf_counter(), time.process_time()
            data = reports.render_pdf(reports.report_data(street_id, period))
            pdf_times.append((time.perf_counter() - t) * 1000)
            pdf_cpu.append((time.process_time() - c) * 1000)
            pdf_size = len(data)
        db.session.rollback()
    return {"size": size, "built": built, "p50": percentile(times, 50), "p95": percentile(times, 95),
            "cpu_p95": percentile(cpu, 95),
            "statements": "/".join(map(str, sorted(statements))), "kb": size_kb,
            "pdf_p50": percentile(pdf_times, 50), "pdf_cpu": percentile(pdf_cpu, 50), "pdf_kb": pdf_size / 1024}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--pdfs", type=int, default=3)
    args = parser.parse_args()
    rows = [measure(int(s), args.requests, args.pdfs) for s in args.sizes.split(",")]
    print(f"{'requests':>9} {'build s':>8} {'p50 ms':>8} {'p95 ms':>8} {'cpu p95':>8} {'SQL':>6} {'page KB':>8} "
          f"{'PDF ms':>8} {'PDF cpu':>8} {'PDF KB':>7}")
    for r in rows:
        print(f"{r['size']:9d} {r['built']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['cpu_p95']:8.1f} "
              f"{r['statements']:>6} {r['kb']:8.1f} "
              f"{r['pdf_p50']:8.0f} {r['pdf_cpu']:8.0f} {r['pdf_kb']:7.0f}")
    if len(rows) > 1:
        print(f"p50 ratio {rows[-1]['p50'] / rows[0]['p50']:.2f}×, cpu p95 ratio {rows[-1]['cpu_p95'] / rows[0]['cpu_p95']:.2f}×; "
              f"load average {os.getloadavg()[0]:.1f} (wall times need an idle machine; cpu times do not) "
              f"(targets: dashboard p95 ≤ 100 ms, monthly PDF ≤ 1.5 s, statements equal)")


if __name__ == "__main__":
    main()
