"""Speed of the meeting list with 10,000 meetings (each with agenda, sign-in lines and a
task): server time per request (p50/p95) for the plain list and typical filters, and the
number of SQL statements each request runs, counted with a SQLAlchemy event — the same
whatever the row count. Targets: p95 ≤ 50 ms; statements bounded.

    .venv/bin/python bench/meetings_list.py [--meetings 10000] [--compounds 10000] [--requests 60]

The compounds are many (10,000 by default, as a city's street has): the list's compound
filter is a picker (webapp/picker.py), so the page stays small however many there are.
"""
import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from meetings_common import make_app, percentile, signed_in_client  # noqa: E402

TOPICS = ["楼顶漏水", "外墙裂缝", "暖气不热", "邻里纠纷", "底商油烟", "夜间噪音", "车辆停放", "垃圾清运"]


def build(app, n, n_compounds=10000):
    from sqlalchemy import insert

    from webapp.companies.credit_code import make_code
    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import Community, Compound, Street
    from webapp.extensions import db
    from webapp.meetings.models import AgendaItem, Attendee, FollowUpTask, Meeting
    from webapp.meetings.services import seed_kinds
    from webapp.models_base import utcnow

    with app.app_context():
        street = Street(name="隐珠街道")
        company = PropertyCompany(name="泛华物业服务有限公司", credit_code=make_code("91370703MA3C0001X"))
        communities = [Community(street=street, name=f"社区{i}", slug=f"c{i}") for i in range(5)]
        db.session.add_all([street, company, *communities])
        db.session.flush()
        db.session.execute(insert(Compound.__table__), [
            dict(community_id=communities[i % 5].id, street_id=street.id, name=f"小区{i:05d}", company_id=company.id,
                 kind="old", management_mode="company", address="", note="") for i in range(n_compounds)])
        compounds = db.session.scalars(db.select(Compound).order_by(Compound.id).limit(20)).all()
        kinds = list(seed_kinds(street.id).values())
        db.session.commit()
        now = utcnow()
        stamp = dict(created_at=now, updated_at=now, version=1)
        meetings, agenda, attendees, tasks = [], [], [], []
        for i in range(1, n + 1):
            compound = compounds[i % 20]
            topic = TOPICS[i % len(TOPICS)]
            meetings.append(dict(id=i, street_id=street.id, kind_id=kinds[i % len(kinds)].id, title=f"{compound.name}第{i}次{topic}议事会",
                                 starts_at=datetime(2024, 1, 1, 9) + timedelta(hours=7 * i), ends_at=None,
                                 place="红色议事厅", community_id=compound.community_id, compound_id=compound.id,
                                 convener="", host="主持人", recorder="记录人", invited="", summary="",
                                 status=("approved", "draft", "submitted")[i % 3], submitted_by="", approved_by="",
                                 revision=1, correction_reason="", is_current=True, **stamp))
            agenda.append(dict(meeting_id=i, position=1, title=f"{topic}问题", discussion=f"居民反映{topic}。", **stamp))
            for j in range(2):
                attendees.append(dict(meeting_id=i, name=f"人员{i}-{j}", organisation="", role="", status="present",
                                      position=j, company_id=company.id if j == 0 and i % 4 == 0 else None, **stamp))
            tasks.append(dict(meeting_id=i, what=f"{topic}整改", owner="物业", due_date=date(2026, 12, 1),
                              state="open" if i % 2 else "done", done_by="", done_note="", **stamp))
        for model, rows in ((Meeting, meetings), (AgendaItem, agenda), (Attendee, attendees), (FollowUpTask, tasks)):
            for k in range(0, len(rows), 2000):
                db.session.execute(insert(model.__table__), rows[k:k + 2000])
        db.session.commit()
        return communities[2].id, compounds[7].id, kinds[1].id


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=10000)
    parser.add_argument("--compounds", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    app, _ = make_app()
    t = time.perf_counter()
    community_id, compound_id, kind_id = build(app, args.meetings, args.compounds)
    print(f"built {args.meetings} meetings in {time.perf_counter() - t:.1f} s")
    client = signed_in_client(app)

    from sqlalchemy import event

    from webapp.extensions import db

    with app.app_context():
        engine = db.engine
    counted = []
    event.listen(engine, "before_cursor_execute", lambda *a: counted.append(1))

    cases = [
        ("list, page 1", "/meetings/"),
        ("list, page 200", "/meetings/?page=200"),
        ("kind + community", f"/meetings/?kind={kind_id}&community={community_id}"),
        ("compound + date range", f"/meetings/?compound={compound_id}&start=2025-01-01&end=2025-12-31"),
        ("text search", "/meetings/?q=暖气"),
        ("status approved", "/meetings/?status=approved"),
    ]
    worst = 0.0
    # Machine reference: the foundation's trivial /healthz through the same client.
    ref = []
    for _ in range(args.requests):
        t = time.perf_counter()
        client.get("/healthz")
        ref.append((time.perf_counter() - t) * 1000)
    print(f"reference /healthz: p50 {percentile(ref, 50):.1f} ms, p95 {percentile(ref, 95):.1f} ms")
    print(f"{'case':24} {'p50 ms':>8} {'p95 ms':>8} {'cpu p95 ms':>10} {'SQL':>5} {'KB':>6}")
    for label, url in cases:
        assert client.get(url).status_code == 200  # warm
        times, cpu, statements = [], [], set()
        for _ in range(args.requests):
            counted.clear()
            t, c = time.perf_counter(), time.process_time()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            statements.add(len(counted))
            assert r.status_code == 200
        p95 = percentile(times, 95)
        worst = max(worst, p95)
        print(f"{label:24} {percentile(times, 50):8.1f} {p95:8.1f} {percentile(cpu, 95):10.1f} "
              f"{'/'.join(map(str, sorted(statements))):>5} {len(r.data) / 1024:6.0f}")
    print(f"worst p95: {worst:.1f} ms (target ≤ 50 ms); load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
