"""Flat growth of every list page (issue 13): each page's data built at several sizes, the
same requests against each, and per page p50, p95, the SQL statement count and the
response size, with the p50 ratio of the largest size to the smallest (targets:
p50(large)/p50(small) ≤ 1.5; p95 ≤ 50 ms, ≤ 100 ms for the dashboard; the same statement
count at every size).

Sizes: the main table of each list (meetings, follow-up tasks, notices, people, audit
entries, appointments, residents' requests, accounts, jobs) holds N rows — 1,000, 10,000
and 100,000 by default; the places pages (compounds, companies, the meetings list's
compound filter, compliance, gaps, the public board, the assessment sheets: six closed
rounds of one sheet per compound) have N/10 compounds capped at 10,000, and N/100
companies (at least 60: more than a page at every size, so the same page is compared).
Times are at the server (Flask's test client, in process), as the street admin unless
the page is another role's (accounts: the system admin; district pages: district
staff); the public pages with their response cache off (every request renders).

    .venv/bin/python bench/list_scaling.py [--sizes 1000,10000,100000] [--requests 40] [--only meetings,public] [--cold]

The figures the dashboard, the rankings and the district pages keep until the next write
(FIGURES_CACHE_SECONDS, 60 s) are kept as in production; `--cold` measures them computed
on every request, as the first look after a write.
"""
import argparse
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
_tmp = tempfile.mkdtemp(prefix="bench-scaling-")
os.environ.setdefault("UPLOAD_DIR", os.path.join(_tmp, "uploads"))
os.environ.setdefault("HUEY_SQLITE", os.path.join(_tmp, "huey.sqlite3"))


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def make_app(path, figures_cache=60):
    from webapp import create_app
    from webapp.config import TestConfig
    from webapp.extensions import db

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", UPLOAD_DIR=os.path.join(_tmp, "up"),
                     SECURITY_POLICY_CACHE_SECONDS=5,  # as in production
                     FIGURES_CACHE_SECONDS=figures_cache)  # 60 as in production; --cold: 0
    with app.app_context():
        db.create_all()
    return app


def _insert(model, rows, chunk=5000):
    from sqlalchemy import insert

    from webapp.extensions import db

    for k in range(0, len(rows), chunk):
        db.session.execute(insert(model.__table__), rows[k:k + chunk])


def build(app, n):
    """The street at size n; returns names the cases use."""
    from sqlalchemy import func

    from webapp.appointments.models import CrossAppointment
    from webapp.assessments.models import AssessmentRound
    from webapp.audit import chain
    from webapp.auth.models import User
    from webapp.jobs.models import Job
    from webapp.requests.models import RequestCategory, ResidentRequest
    from webapp.auth.services import create_user
    from webapp.companies.credit_code import make_code
    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import (CITY_LEVEL, DEFAULT_REGION_TIERS, DISTRICT_LEVEL, Community, Compound, Grid,
                                         Region, RegionTier, Street)
    from webapp.extensions import db
    from webapp.meetings.models import FollowUpTask, Meeting, Resolution
    from webapp.meetings.services import seed_kinds
    from webapp.models_base import utcnow
    from webapp.notices.models import Notice
    from webapp.people.models import Person

    n_compounds = max(10, min(n // 10, 10_000))
    n_companies = max(60, n // 100)  # more than a page (50) at every size: the same page is compared
    with app.app_context():
        tiers = {level: RegionTier(level=level, name=name) for level, name in DEFAULT_REGION_TIERS.items()}
        city = Region(tier=tiers[CITY_LEVEL], name="基准市")
        district = Region(tier=tiers[DISTRICT_LEVEL], parent=city, name="基准区")
        street = Street(name="基准街道", region=district, coverage_target_date=date(2027, 12, 31))
        communities = [Community(street=street, name=f"基准社区{i}", slug=f"b{i}") for i in range(10)]
        grids = [Grid(community=c, name=f"第{j}网格") for c in communities for j in range(5)]
        db.session.add_all([street, *communities, *grids])
        db.session.flush()
        kinds = list(seed_kinds(street.id).values())
        db.session.flush()
        _insert(PropertyCompany, [dict(name=f"基准物业{i:05d}有限公司", credit_code=make_code(f"91370211MA{i:07d}"),
                                       staff_count=30, party_members=i % 6,
                                       party_org_form="none" if i % 3 else "own") for i in range(n_companies)])
        company_ids = db.session.scalars(db.select(PropertyCompany.id).order_by(PropertyCompany.id)).all()
        _insert(Compound, [dict(community_id=communities[i % 10].id, grid_id=grids[(i % 10) * 5 + i % 5].id,
                                street_id=street.id, name=f"基准小区{i:05d}", kind="old", management_mode="company",
                                company_id=company_ids[i % n_companies], address="", note="")
                           for i in range(n_compounds)])
        compounds = db.session.execute(db.select(Compound.id, Compound.community_id).order_by(Compound.id)).all()
        now = utcnow()
        _insert(Person, [dict(street_id=street.id, name=f"人员{i:06d}", community_id=communities[i % 10].id, phone="13800000000",
                              company_id=company_ids[i % n_companies] if i % 5 == 0 else None)
                         for i in range(n)])
        person_ids = db.session.scalars(db.select(Person.id).order_by(Person.id).limit(1000)).all()
        _insert(Meeting, [dict(street_id=street.id, kind_id=kinds[i % len(kinds)].id, title=f"第{i}次议事会",
                               starts_at=datetime(2020, 1, 1, 9) + timedelta(minutes=37 * i), ends_at=None,
                               place="红色议事厅", community_id=compounds[i % n_compounds].community_id,
                               compound_id=compounds[i % n_compounds].id if i % 5 else None, convener="", host="主持人", recorder="记录人",
                               invited="", summary="", status=("approved", "draft", "submitted")[i % 3],
                               submitted_by="", approved_by="", revision=1, correction_reason="", is_current=True)
                          for i in range(n)])
        meeting_ids = db.session.scalars(db.select(Meeting.id).order_by(Meeting.id)).all()
        _insert(Resolution, [dict(meeting_id=meeting_ids[i], position=1, text=f"决议{i}：同意整改。", publish=True)
                             for i in range(0, n, 3)])  # the approved ones (status cycles approved/draft/submitted)
        _insert(FollowUpTask, [dict(meeting_id=meeting_ids[i], what=f"整改{i}", owner="物业",
                                    due_date=date(2026, 1, 1) + timedelta(days=i % 700),
                                    state="open" if i % 2 else "done", done_by="", done_note="")
                               for i in range(n)])
        categories = ("notice", "service", "fees", "income", "resolution", "ranking", "stewards")
        local_now = datetime.now()
        _insert(Notice, [dict(street_id=street.id, title=f"公告{i}", body="内容", category=categories[i % 7],
                              community_id=communities[i % 10].id if i % 4 else None,
                              compound_id=compounds[i % n_compounds].id if i % 4 == 1 else None,
                              status="published", publish_at=local_now - timedelta(minutes=i + 1),
                              expires_at=(local_now - timedelta(minutes=i // 2)) if i % 3 == 0 else None,
                              pinned=i % 97 == 0, withdraw_reason="")
                         for i in range(n)])
        _insert(CrossAppointment, [dict(street_id=street.id, person_id=person_ids[i % len(person_ids)], direction="company_in",
                                        company_id=company_ids[i % n_companies], community_id=communities[i % 10].id,
                                        home_role="书记", host_role="委员", start_date=date(2024, 1, 1),
                                        approval_document=f"文{i}号")
                                   for i in range(n)])
        _insert(ResidentRequest, _requests(n, street.id, compounds, company_ids, n_companies))
        _insert(RequestCategory, [dict(street_id=street.id, name=f"类别{i}", handler="company", limit_value=3,
                                       limit_unit="workdays", warn_value=1, sort_order=i) for i in range(6)])
        _rounds(street.id, compounds, company_ids, n_companies)
        admin = create_user("bench_scaling", "bench-password", "street_admin", "基准 管理员")
        system = create_user("bench_system", "bench-password", "system_admin", "基准 系统管理员")
        system.totp_secret, system.totp_enabled = TOTP_SECRET, True  # its role signs in with a second factor
        create_user("bench_district", "bench-password", "district_staff", "基准 区住建局", region_id=district.id)
        hashed = admin.password_hash
        _insert(User, [dict(username=f"user{i:06d}", display_name=f"账号{i}", password_hash=hashed,
                            role=("community_staff", "grid_worker", "company_user")[i % 3],
                            community_id=communities[i % 10].id, street_id=street.id) for i in range(n)])
        _insert(Job, [dict(user_id=admin.id if i % 10 == 0 else None, kind="export", title=f"导出{i}", params={},
                           state="done", done=1, total=1, created_at=now - timedelta(minutes=i)) for i in range(n)])
        db.session.commit()
        _snapshots(street.id)
        names = {"compound": compounds[n_compounds // 2].id, "slug": "b3", "public_compound": compounds[3].id,
                 "street_slug": street.slug, "district": district.id,
                 "round": db.session.scalar(db.select(func.max(AssessmentRound.id)))}
        db.session.remove()
        start = now - timedelta(days=100)
        for i in range(0, n, 5000):
            with db.engine.begin() as conn:
                chain.append(conn, [dict(at=start + timedelta(seconds=(i + k) * 40), user_id=None, username="system",
                                         role="", address="10.0.0.1", action="update", entity="compound",
                                         entity_id=(i + k) % 500, label=f"小区{(i + k) % 500}",
                                         changes={"name": [f"旧{i + k}", f"新{i + k}"]}, note="")
                                    for k in range(min(5000, n - i))])
        return names


def _snapshots(street_id):
    """Each community's coverage at the end of the past eleven months, as the morning job
    stores it when a month closes (the dashboard's trend reads closed months from it)."""
    from webapp.clock import local_today
    from webapp.dashboard.periods import month_start, trailing_months
    from webapp.dashboard.services import snapshot_month
    from webapp.extensions import db

    for month in trailing_months(month_start(local_today()), 12)[:-1]:
        snapshot_month(street_id, month)
    db.session.commit()


SOURCES = ("online_box", "opinion_box", "door_knocking", "visit_day", "grid_patrol", "phone")


def _requests(n, street_id, compounds, company_ids, n_companies):
    """n residents' requests over the past year, the newest 3% still open."""
    from webapp.models_base import utcnow

    now = utcnow()
    open_rows = max(60, n * 3 // 100)
    rows = []
    for i in range(n):
        compound_id, community_id = compounds[i % len(compounds)]
        created = now - timedelta(minutes=i * 365 * 24 * 60 / n)
        done = i >= open_rows
        rows.append(dict(street_id=street_id, receipt_no=f"YJB{i:08d}", source=SOURCES[i % 6],
                         community_id=community_id, compound_id=compound_id, text=f"楼道漏水，{i % 40}号楼，请尽快处理。",
                         status=("closed" if done else ("dispatched", "in_progress", "received")[i % 3]),
                         assignee_kind="company", assignee_company_id=company_ids[i % n_companies],
                         created_at=created, updated_at=created, dispatched_at=created,
                         due_at=created + timedelta(days=3), warn_at=created + timedelta(days=2),
                         handled_at=created + timedelta(days=2) if done else None,
                         resolved_at=created + timedelta(days=2) if done else None))
    return rows


def _rounds(street_id, compounds, company_ids, n_companies):
    """A template and six closed monthly rounds, one sheet per compound each (the places
    pages' size: 10,000 compounds at most)."""
    from webapp.assessments.models import AssessmentRound, AssessmentSheet, AssessmentTemplate, TemplateItem, TemplateSection
    from webapp.extensions import db

    template = AssessmentTemplate(street_id=street_id, name="基准考核表")
    section = TemplateSection(template=template, title="服务")
    db.session.add_all([template, section, TemplateItem(section=section, title="保洁", full_points=100)])
    db.session.flush()
    for m in range(6):
        rnd = AssessmentRound(street_id=street_id, month=date(2025, 7 + m, 1), template_id=template.id, status="closed")
        db.session.add(rnd)
        db.session.flush()
        _insert(AssessmentSheet, [dict(round_id=rnd.id, company_id=company_ids[k % n_companies], compound_id=cid,
                                       final_score=70 + (k * 7 + m) % 30) for k, (cid, _) in enumerate(compounds)])


CASES = [  # (group, label, path[, user]): every list page of the product, as the street admin unless named
    ("meetings", "meetings list", "/meetings/"),
    ("meetings", "meetings list, compound filter", "/meetings/?compound={compound}"),
    ("meetings", "follow-up tasks", "/meetings/tasks"),
    ("meetings", "meetings compliance", "/meetings/compliance"),
    ("notices", "notices list", "/notices/"),
    ("people", "people list", "/people/"),
    ("places", "compounds list", "/compounds/"),
    ("places", "companies list", "/companies/"),
    ("places", "structure (with gaps)", "/structure/"),
    ("appointments", "appointments list", "/appointments/"),
    ("appointments", "appointment gaps", "/appointments/gaps"),
    ("requests", "requests inbox", "/requests/"),
    ("assessments", "assessments rounds", "/assessments/"),
    ("assessments", "assessment round sheets", "/assessments/rounds/{round}"),
    ("assessments", "assessment ranking", "/assessments/ranking"),
    ("assessments", "assessment templates", "/assessments/templates/"),
    ("audit", "audit log", "/audit/"),
    ("accounts", "accounts", "/accounts/", "bench_system"),
    ("jobs", "jobs", "/jobs/"),
    ("district", "district page", "/district/{district}/", "bench_district"),
    ("district", "district ranking", "/district/{district}/ranking", "bench_district"),
    ("public", "public street page (uncached)", "/public/{street_slug}/", None),
    ("public", "public community page (uncached)", "/public/{slug}/", None),
    ("public", "public compound page (uncached)", "/public/{slug}/{public_compound}/", None),
    ("public", "public archive (uncached)", "/public/{slug}/archive", None),
    ("dashboard", "dashboard", "/"),
    ("dashboard", "reports", "/reports/"),
]
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
USERS = ("bench_scaling", "bench_system", "bench_district", None)


def signed_in(app, username="bench_scaling"):
    import re

    client = app.test_client()
    if username is None:  # the public
        return client
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    r = client.post("/login", data={"username": username, "password": "bench-password", "csrf_token": token})
    assert r.status_code in (302, 303), r.status_code
    if r.headers["Location"].startswith("/login/totp"):
        import pyotp

        html = client.get(r.headers["Location"]).get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        r = client.post(r.headers["Location"], data={"code": pyotp.TOTP(TOTP_SECRET).now(), "csrf_token": token})
        assert r.status_code in (302, 303), r.status_code
    return client


def measure(sized, requests, only):
    """Each page at every size, the sizes alternating request by request (load from
    elsewhere on the machine then slows all sizes alike): {size: {label: figures}}."""
    from sqlalchemy import event

    from webapp.extensions import db

    counted = {}
    clients = {}
    for n, (app, names) in sized.items():
        with app.app_context():
            engine = db.engine
        counted[n] = []
        event.listen(engine, "before_cursor_execute", lambda *a, n=n: counted[n].append(1))
        clients[n] = {user: signed_in(app, user) for user in USERS}
    out = {n: {} for n in sized}
    for group, label, path, *user in CASES:
        if only and group not in only:
            continue
        user = user[0] if user else "bench_scaling"
        urls = {}
        for n, (app, names) in sized.items():
            url = path.format(**names)
            r = clients[n][user].get(url)
            if r.status_code == 301:  # an old public address: the board's own (with its street)
                url = r.headers["Location"]
                r = clients[n][user].get(url)
            assert r.status_code == 200, (url, r.status_code)
            urls[n] = url
        times = {n: [] for n in sized}
        statements = {n: set() for n in sized}
        size = {}
        for _ in range(requests):
            for n in sized:
                counted[n].clear()
                t = time.perf_counter()
                r = clients[n][user].get(urls[n])
                times[n].append((time.perf_counter() - t) * 1000)
                statements[n].add(len(counted[n]))
                size[n] = len(r.data)
        for n in sized:
            out[n][label] = (percentile(times[n], 50), percentile(times[n], 95), sorted(statements[n]), size[n])
    return out


def _k(n):
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--only", default="")
    parser.add_argument("--cold", action="store_true",
                        help="the dashboard's, rankings' and district pages' figures computed on every request "
                             "(as after each write), not kept (webapp/figures_cache.py)")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    sizes = [int(s) for s in args.sizes.split(",")]
    sized = {}
    for n in sizes:
        app = make_app(os.path.join(_tmp, f"scaling-{n}.sqlite3"), figures_cache=0 if args.cold else 60)
        app.config["PUBLIC_CACHE_SECONDS"] = 0
        t = time.perf_counter()
        names = build(app, n)
        print(f"built size {n:,} in {time.perf_counter() - t:.0f} s", flush=True)
        sized[n] = (app, names)
    results = measure(sized, args.requests, only)
    small, large = sizes[0], sizes[-1]
    print(f"\nserver-side times (Flask test client), {args.requests} requests each, sizes alternating; load average "
          f"{os.getloadavg()[0]:.2f}; figures {'computed every time (--cold)' if args.cold else 'kept until a write'}")
    print(f"{'page':34} " + " ".join(f"{'p50 ' + _k(n):>9}" for n in sizes) + f" {'ratio':>6} {'p95 ' + _k(large):>9} "
          f"{'SQL':>12} {'KB':>14}")
    bad = 0
    for label in results[small]:
        rows = [results[n][label] for n in sizes]
        a, b = rows[0], rows[-1]
        ratio = b[0] / a[0] if a[0] else 0
        same = all(r[2] == a[2] for r in rows)
        ok = ratio <= 1.5 and b[1] <= (100 if "dashboard" in label else 50) and same
        bad += not ok
        sql = "→".join("/".join(map(str, r[2])) for r in rows)
        kb = "→".join(f"{r[3] / 1024:.0f}" for r in rows)
        print(f"{label:34} " + " ".join(f"{r[0]:7.1f}ms" for r in rows) + f" {ratio:6.2f} {b[1]:7.1f}ms {sql:>12} "
              f"{kb:>14} {'OK' if ok else 'MISS'}")
    print(f"{bad} page(s) missing a target")


if __name__ == "__main__":
    main()
