"""A city on PostgreSQL: build it, then time a street's pages and the district's.

Builds, in a throwaway database it creates (default `bench_city` on the local server),
a city of 10 districts, 100 streets, 2,000 communities, 10,000 compounds, 1,000
companies and 1,000,000 resident requests (plus owners' committees, cross-appointments,
meetings with a 三会三公开 requirement per street, and three closed assessment rounds per
street), with COPY. The schema comes from the migrations (`flask db upgrade`), so the
indexes measured are the ones a deployment has.

Then, at the server (the Flask test client calls the app in-process: no network), p50
and p95 of
- a street administrator's dashboard and list pages (target p95 ≤ 100 ms);
- the district's street-by-street page (10 streets) and the city's (100 streets), with
  the number of SQL statements each runs (target p95 ≤ 300 ms), and the cross-street
  ranking;
and prints the build time and the database size (pg_database_size).

    nice .venv/bin/python bench/city_scale.py [--server postgresql+psycopg://root@localhost]
        [--db bench_city] [--requests 1000000] [--runs 30] [--keep] [--reuse] [--skip-street]
        [--requests-cache SECONDS]

The district page keeps the requests aggregate for DISTRICT_REQUESTS_CACHE_SECONDS (five
minutes by default): "first" is the page with a cold cache, p50/p95 the page as readers
get it within those minutes; --requests-cache 0 times every request cold.
"""
import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
_tmp = tempfile.mkdtemp(prefix="bench-city-")
os.environ.setdefault("UPLOAD_DIR", os.path.join(_tmp, "uploads"))
os.environ.setdefault("HUEY_SQLITE", os.path.join(_tmp, "huey.sqlite3"))

DISTRICTS, STREETS_PER_DISTRICT, COMMUNITIES_PER_STREET, COMPOUNDS_PER_COMMUNITY = 10, 10, 20, 5
COMPANIES = 1000
PASSWORD = "bench-city-pass"
NOW = datetime(2026, 12, 1, 9, 0)
FORMS = ("own", "joint", "affiliated", "instructor", "none", "none")


def create_database(server, name):
    import psycopg

    with psycopg.connect(server.replace("postgresql+psycopg://", "postgresql://") + "/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')


def drop_database(server, name):
    import psycopg

    with psycopg.connect(server.replace("postgresql+psycopg://", "postgresql://") + "/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _filler(column):
    """A value for a NOT NULL column the bench does not set (columns other domains add)."""
    from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric

    t = column.type
    if isinstance(t, Boolean):
        return False
    if isinstance(t, (Integer, Float, Numeric)):
        return 0
    if isinstance(t, DateTime):
        return NOW
    if isinstance(t, Date):
        return NOW.date()
    if isinstance(t, JSON):
        return None
    return ""


class Copier:
    """COPY rows into a table, filling the NOT NULL columns a row leaves out."""

    def __init__(self, conn):
        self.conn = conn
        self.counts = {}

    def copy(self, table, rows):
        from webapp.extensions import db

        t = db.metadata.tables[table]
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        stamps = {"created_at": NOW, "updated_at": NOW, "version": 1}
        given = list(first) + [k for k in stamps if k in t.c and k not in first]
        extra = [c.name for c in t.c if c.name not in given and not c.nullable and c.server_default is None
                 and not c.primary_key]
        cols = given + extra
        fill = [stamps.get(name, _filler(t.c[name])) for name in cols[len(first):]]
        n = 0
        with self.conn.cursor() as cur:
            with cur.copy(f'COPY "{table}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) FROM STDIN') as cp:
                for row in _chain(first, rows):
                    cp.write_row([row[k] for k in first] + fill)
                    n += 1
        self.counts[table] = self.counts.get(table, 0) + n
        return n


def _chain(first, rest):
    yield first
    yield from rest


def build(app, n_requests, seed=7):
    """Every row of the city, with explicit ids; sequences moved past them at the end."""
    from sqlalchemy import text

    from webapp.auth.services import create_user
    from webapp.extensions import db

    rnd = random.Random(seed)
    with app.app_context():
        raw = db.engine.raw_connection()
        conn = raw.driver_connection
        cp = Copier(conn)
        cp.copy("region_tier", ({"id": i, "level": i, "name": n} for i, n in ((1, "市"), (2, "区/县"))))
        cp.copy("region", [{"id": 1, "tier_id": 1, "parent_id": None, "name": "基准市"}]
                + [{"id": 1 + d, "tier_id": 2, "parent_id": 1, "name": f"第{d}区"} for d in range(1, DISTRICTS + 1)])
        streets = [(s, 1 + (s - 1) // STREETS_PER_DISTRICT) for s in range(1, DISTRICTS * STREETS_PER_DISTRICT + 1)]
        cp.copy("street", ({"id": s, "name": f"第{s:03d}街道", "region_id": r + 1, "slug": f"st{s:03d}",
                            "coverage_target_date": date(2027, 6, 30)} for s, r in streets))
        communities = []
        for s, _ in streets:
            for j in range(COMMUNITIES_PER_STREET):
                communities.append((len(communities) + 1, s))
        cp.copy("community", ({"id": c, "street_id": s, "name": f"社区{c:04d}", "slug": f"c{c:04d}"}
                              for c, s in communities))
        cp.copy("property_company", ({"id": i, "name": f"基准物业{i:04d}有限公司", "credit_code": f"91{i:016d}",
                                      "party_members": i % 7, "party_org_form": FORMS[i % len(FORMS)],
                                      "instructor_name": "指导员" if FORMS[i % len(FORMS)] == "instructor" else None,
                                      "registered_street_id": 1 + i % len(streets)}
                                     for i in range(1, COMPANIES + 1)))
        compounds = []
        for c, s in communities:
            for k in range(COMPOUNDS_PER_COMMUNITY):
                compounds.append((len(compounds) + 1, c, s, rnd.randint(1, COMPANIES)))
        cp.copy("compound", ({"id": k, "community_id": c, "street_id": s, "name": f"小区{k:05d}", "company_id": co,
                              "kind": "commodity", "management_mode": "company"} for k, c, s, co in compounds))
        cp.copy("owners_committee", ({"id": k, "compound_id": k, "kind": "owners", "name": f"业委会{k:05d}",
                                      "members": 7, "party_members": k % 3} for k, _, _, _ in compounds if k % 3 == 0))
        cp.copy("person", ({"id": i, "name": f"人员{i:05d}", "community_id": communities[i % len(communities)][0],
                            "street_id": communities[i % len(communities)][1]} for i in range(1, 2001)))
        cp.copy("cross_appointment", (
            {"id": i, "person_id": i, "direction": "company_in", "company_id": compounds[i * 5 % len(compounds)][3],
             "community_id": communities[i % len(communities)][0], "street_id": communities[i % len(communities)][1],
             "home_role": "项目经理", "host_role": "兼职委员", "start_date": date(2025, 1, 1),
             "end_date": date(2025, 12, 31) if i % 4 == 0 else None, "approval_document": f"任〔2025〕{i}号"}
            for i in range(1, 2001)))
        cp.copy("meeting_kind", ({"id": s, "street_id": s, "name": "物业联席会议", "sort_order": 0, "active": True}
                                 for s, _ in streets))
        cp.copy("meeting_requirement", ({"id": s, "street_id": s, "label": "每月一次物业联席会议", "kind_id": s,
                                         "period": "month", "min_count": 1, "needs_publication": False,
                                         "active": True} for s, _ in streets))
        meetings = []
        for c, s in communities:
            for m in range(1, 13):
                if (c + m) % 3:  # two months in three held
                    meetings.append((len(meetings) + 1, c, s, datetime(2026, m, 10 + c % 10, 9)))
        cp.copy("meeting", ({"id": i, "kind_id": s, "title": f"{at.month}月物业联席会议", "starts_at": at,
                             "community_id": c, "street_id": s, "status": "approved", "is_current": True,
                             "revision": 1} for i, c, s, at in meetings))
        per_street = {}
        for k, c, s, co in compounds:
            per_street.setdefault(s, []).append((k, c, co))
        cp.copy("resident_request", _requests(n_requests, compounds, rnd))
        cp.copy("assessment_template", ({"id": s, "street_id": s, "name": "红色物业考核表", "revision": 1}
                                        for s, _ in streets))
        rounds = [((s - 1) * 3 + i, s, date(2026, 9 + i, 1)) for s, _ in streets for i in (1, 2, 3)]
        cp.copy("assessment_round", ({"id": r, "street_id": s, "month": m, "template_id": s, "status": "closed",
                                      "cadre_weight": 0.7, "rep_weight": 0.3} for r, s, m in rounds))

        def sheets():
            n = 0
            for r, s, _m in rounds:
                for k, _c, co in per_street[s]:
                    n += 1
                    yield {"id": n, "round_id": r, "company_id": co, "compound_id": k,
                           "final_score": round(60 + rnd.random() * 40, 2)}
        cp.copy("assessment_sheet", sheets())
        conn.commit()
        raw.close()
        for table in cp.counts:
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                    f"(SELECT MAX(id) FROM \"{table}\") + 1, false)"))
        db.session.commit()
        create_user("bench_street", PASSWORD, "street_admin", street_id=1)
        create_user("bench_district", PASSWORD, "district_staff", region_id=2)
        create_user("bench_city", PASSWORD, "city_staff", region_id=1)
        db.session.commit()
    # A live database is vacuumed by autovacuum; a freshly COPY'd one is not yet, and
    # without the visibility map PostgreSQL cannot answer a count from an index alone.
    # Time the steady state: VACUUM ANALYZE once after the build (outside a transaction).
    with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    return cp.counts


def _requests(n, compounds, rnd):
    statuses = ("received", "in_progress", "resolved", "resolved", "resolved", "closed")
    start = datetime(2026, 1, 1)
    span = int((NOW - start).total_seconds())
    for i in range(1, n + 1):
        k, c, s, _ = compounds[rnd.randrange(len(compounds))]
        at = start + timedelta(seconds=rnd.randrange(span))
        status = statuses[i % len(statuses)]
        done = status == "resolved"
        yield {"id": i, "street_id": s, "receipt_no": f"YJ{at:%Y%m%d}-{i:07d}", "source": "online_box",
               "community_id": c, "compound_id": k, "text": f"第{i}号诉求：楼道灯不亮，请尽快维修。",
               "name": "", "phone": "", "status": status, "public_reply": "",
               "handled_at": at + timedelta(days=2) if done else None,
               "resolved_at": at + timedelta(days=2) if done else None,
               "resolved_late": (i % 7 == 0) if done else None,
               "satisfaction": ("satisfied", "basic", "unsatisfied", "")[i % 4] if done else "",
               "due_at": at + timedelta(days=5),
               "created_at": at, "updated_at": at}


def _login(client, username):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303, (username, r.status_code)


def time_pages(app, username, paths, runs):
    """{path: (status, p50 ms, p95 ms, statements)} for one signed-in user."""
    from sqlalchemy import event

    from webapp.extensions import db

    out = {}
    client = app.test_client()
    with app.app_context():
        _login(client, username)
        engine = db.engine
    for path in paths:
        t = time.perf_counter()
        r = client.get(path)
        first = (time.perf_counter() - t) * 1000
        slow = first > 2000  # far over any target: a few runs tell enough
        for _ in range(0 if slow else 2):
            r = client.get(path)
        seen = []
        listener = lambda *a, **k: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            client.get(path)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        times = []
        for _ in range(3 if slow else runs):
            t = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        out[path] = (r.status_code, statistics.median(times), p95, len(seen), first)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", default="postgresql+psycopg://root@localhost")
    ap.add_argument("--db", default="bench_city")
    ap.add_argument("--requests", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument("--skip-street", action="store_true", help="time only the district and city pages")
    ap.add_argument("--requests-cache", type=int, default=300,
                    help="DISTRICT_REQUESTS_CACHE_SECONDS (0: every district page aggregates the requests afresh)")
    ap.add_argument("--reuse", action="store_true", help="time an existing --db (built and --keep'ed before)")
    args = ap.parse_args()
    url = f"{args.server}/{args.db}"

    from flask_migrate import upgrade
    from sqlalchemy import text

    from webapp import create_app
    from webapp.config import TestConfig
    from webapp.extensions import db

    t0 = time.perf_counter()
    if not args.reuse:
        create_database(args.server, args.db)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=os.environ["UPLOAD_DIR"],
                     PUBLIC_CACHE_SECONDS=0, DISTRICT_REQUESTS_CACHE_SECONDS=args.requests_cache)
    if args.reuse:
        counts, t_schema = {}, 0.0
    else:
        with app.app_context():
            upgrade(directory=os.path.join(ROOT, "migrations"))
        t_schema = time.perf_counter() - t0
        counts = build(app, args.requests)
    t_build = time.perf_counter() - t0
    with app.app_context():
        size = db.session.scalar(text("SELECT pg_database_size(current_database())"))
    print(f"built in {t_build:.1f} s (schema {t_schema:.1f} s); database size {size / 1e6:.0f} MB")
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)

    street_pages = ["/", "/compounds/", "/companies/", "/people/", "/appointments/", "/meetings/",
                    "/meetings/compliance", "/requests/", "/notices/", "/assessments/ranking"]
    results = [("district staff (第1区: 10 streets)", "bench_district", ["/district/2/", "/district/2/ranking"], 300),
               ("city staff (基准市: 10 districts, 100 streets)", "bench_city", ["/district/"], 300),
               ("street admin (第001街道: 100 compounds, ~10,000 requests)", "bench_street",
                [] if args.skip_street else street_pages, 100)]
    for label, user, paths, target in results:
        print(f"\n{label} — target p95 ≤ {target} ms", flush=True)
        for path in paths:
            status, p50, p95, statements, first = time_pages(app, user, [path], args.runs)[path]
            flag = "" if status == 200 and p95 <= target else "  ← over target" if status == 200 else "  ← not 200"
            print(f"  {path:28s} {status}  first {first:7.1f} ms  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                  f"{statements:3d} statements{flag}", flush=True)
    with app.app_context():
        db.engine.dispose()
    if not args.keep:
        drop_database(args.server, args.db)


if __name__ == "__main__":
    main()
