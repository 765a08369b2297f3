"""Residents' requests at size: the inbox (filtered, paginated), a text search, a
company's inbox and recording a request with a photo, at 1,000 and 100,000 requests
(with their histories, over 50 compounds). Prints p50, p95, the SQL statement count and
the p50 ratio per page (targets: p95 ≤ 50 ms for the pages and ≤ 60 ms for recording,
p50(large)/p50(small) ≤ 1.5, the same statement count at both sizes). Times at the
server (Flask's test client, in process) on SQLite, after ANALYZE: without planner
statistics SQLite prefers the street index over the compound's for a compound filter
(`--no-analyze` shows it).

    .venv/bin/python bench/requests_inbox.py [--sizes 1000,100000] [--requests 40]
"""
import argparse
import io
import os
import random
import re
import sys
import tempfile
import time
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
_tmp = tempfile.mkdtemp(prefix="bench-requests-")
os.environ.setdefault("UPLOAD_DIR", os.path.join(_tmp, "uploads"))
os.environ.setdefault("HUEY_SQLITE", os.path.join(_tmp, "huey.sqlite3"))

ANALYZE = True
YEAR_MINUTES = 365 * 24 * 60
WORDS = ["漏水", "墙体裂缝", "暖气不热", "邻里纠纷", "油烟", "噪音", "外墙保温", "停车", "垃圾", "路灯", "门禁", "下水道"]


def percentile(values, p):
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))]


def make_app(path):
    from webapp import create_app
    from webapp.config import TestConfig
    from webapp.extensions import db

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", UPLOAD_DIR=os.path.join(_tmp, "up"))
    with app.app_context():
        db.create_all()
    return app


def _insert(model, rows, chunk=5000):
    from sqlalchemy import insert

    from webapp.extensions import db

    for k in range(0, len(rows), chunk):
        db.session.execute(insert(model.__table__), rows[k:k + chunk])


def build(app, n):
    """50 compounds in 5 communities, 5 companies, the demo's categories, n requests over
    one year (a street's year of history, at either size: one every 8.8 hours at 1,000,
    one every 5.3 minutes at 100,000), the newest 3% open, those older than three days
    overdue, with three or four history events each. Both sizes thus have overdue
    requests to list (with one request every five minutes, 1,000 spanned 3.5 days and the
    overdue page was empty at 1k: 0 rows against 30)."""
    from webapp.auth.services import create_user
    from webapp.companies.credit_code import make_code
    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import Community, Compound, Grid, Street
    from webapp.extensions import db
    from webapp.models_base import utcnow
    from webapp.requests.demo import CATEGORIES
    from webapp.requests.models import RequestCategory, RequestEvent, ResidentRequest

    rng = random.Random(13)
    with app.app_context():
        street = Street(name="基准街道")
        communities = [Community(street=street, name=f"基准社区{i}", slug=f"b{i}") for i in range(5)]
        grids = [Grid(community=c, name=f"第{j}网格") for c in communities for j in range(5)]
        companies = [PropertyCompany(name=f"基准物业{i}有限公司", credit_code=make_code(f"91370211MA{i:07d}"))
                     for i in range(5)]
        db.session.add_all([street, *communities, *grids, *companies])
        db.session.flush()
        compounds = [Compound(community=communities[i // 10], grid=grids[i // 2], name=f"基准小区{i}",
                              company=companies[i % 5], street_id=street.id) if hasattr(Compound, "street_id") else
                     Compound(community=communities[i // 10], grid=grids[i // 2], name=f"基准小区{i}", company=companies[i % 5])
                     for i in range(50)]
        db.session.add_all(compounds)
        cats = [RequestCategory(street_id=street.id, name=name, handler=handler, limit_value=limit, limit_unit=unit,
                                warn_value=warn) for name, handler, _d, limit, unit, warn in CATEGORIES if handler != "department"]
        db.session.add_all(cats)
        db.session.flush()
        now = utcnow()
        # As a street's history looks: the newest ~3% (at least 60) still open, older ones done.
        open_rows = max(60, n * 3 // 100)
        done = ["closed"] * 8 + ["visited", "resolved"]
        open_states = ["dispatched", "in_progress", "received"]
        rows, events = [], []
        for i in range(n):
            p = compounds[i % 50]
            c = cats[i % len(cats)]
            created = now - timedelta(minutes=i * YEAR_MINUTES / n)
            status = open_states[i % 3] if i < open_rows else done[(i // 5) % len(done)]
            rows.append(dict(id=i + 1, street_id=street.id, receipt_no=f"YJB{i:08d}", source="grid_patrol",
                             community_id=p.community_id, compound_id=p.id, category_id=c.id,
                             text=f"{rng.choice(WORDS)}问题，{p.name}{i % 40}号楼，请尽快处理。", status=status,
                             assignee_kind="company", assignee_company_id=p.company_id, urgency="normal", name="",
                             phone="", public_reply="", reject_reason="", resolution="", warned="", satisfaction="",
                             reopen_count=0, chase_count=0, created_at=created, updated_at=created, version=1,
                             dispatched_at=created, due_at=created + timedelta(days=3), warn_at=created + timedelta(days=2)))
            for k, kind in enumerate(["received", "routed", "accept", "resolve"][:3 + (status in ("closed", "visited", "resolved"))]):
                events.append(dict(street_id=street.id, request_id=i + 1, kind=kind, from_status="", to_status="",
                                   actor_name="基准", note="", created_at=created, updated_at=created, version=1))
        _insert(ResidentRequest, rows)
        _insert(RequestEvent, events)
        create_user("bench_admin", "bench-password", "street_admin", "基准 管理员")
        create_user("bench_grid", "bench-password", "grid_worker", "基准 网格员", grid=grids[0])
        create_user("bench_company", "bench-password", "company_user", "基准 物业", company=companies[0])
        db.session.commit()
        if ANALYZE:  # planner statistics, as a periodic ANALYZE / PRAGMA optimize keeps them
            from sqlalchemy import text

            db.session.execute(text("ANALYZE"))
            db.session.commit()
        return {"compound": compounds[3].id, "category": cats[0].id, "grid_compound": compounds[0].id}


CASES = [
    ("bench_admin", "收件箱（街道）", "/requests/"),
    ("bench_admin", "筛选+分页（未办结·类别·小区·第2页）", "/requests/?status=open&category={category}&compound={compound}&page=2"),
    ("bench_admin", "超期筛选", "/requests/?timing=overdue"),
    ("bench_admin", "文字搜索 ?q=漏水", "/requests/?q=漏水"),
    ("bench_admin", "文字搜索 ?q=下水道（较少）", "/requests/?q=下水道"),
    ("bench_company", "企业待办", "/requests/"),
]


def _client(app, username):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    r = client.post("/login", data={"username": username, "password": "bench-password", "csrf_token": token})
    assert r.status_code in (302, 303), (username, r.status_code)
    return client


def measure(app, names, requests):
    from PIL import Image
    from sqlalchemy import event

    from webapp.extensions import db

    with app.app_context():
        engine = db.engine
    counted = []
    event.listen(engine, "before_cursor_execute", lambda *a: counted.append(1))
    clients = {u: _client(app, u) for u in ("bench_admin", "bench_company", "bench_grid")}
    out = {}
    for user, label, path in CASES:
        url = path.format(**names)
        c = clients[user]
        assert c.get(url).status_code == 200, url
        times, statements = [], set()
        for _ in range(requests):
            counted.clear()
            t = time.perf_counter()
            r = c.get(url)
            times.append((time.perf_counter() - t) * 1000)
            statements.add(len(counted))
        out[label] = (percentile(times, 50), percentile(times, 95), sorted(statements), 50)
    # Recording with a photo (the grid worker on patrol).
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), (90, 120, 150)).save(buf, "JPEG", quality=85)
    photo = buf.getvalue()
    c = clients["bench_grid"]
    times, statements = [], set()
    for i in range(requests):
        html = c.get("/requests/new").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        data = {"csrf_token": token, "compound_id": names["grid_compound"], "category_id": names["category"],
                "source": "grid_patrol", "urgency": "normal", "text": f"基准登记 {i} 楼道漏水", "name": "", "phone": "",
                "photos": (io.BytesIO(photo), "p.jpg")}
        counted.clear()
        t = time.perf_counter()
        r = c.post("/requests/new", data=data, content_type="multipart/form-data")
        times.append((time.perf_counter() - t) * 1000)
        statements.add(len(counted))
        assert r.status_code == 303, r.status_code
    out["登记（POST，含照片）"] = (percentile(times, 50), percentile(times, 95), sorted(statements), 60)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--no-analyze", action="store_true", help="measure without planner statistics")
    args = parser.parse_args()
    global ANALYZE
    ANALYZE = not args.no_analyze
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for n in sizes:
        app = make_app(os.path.join(_tmp, f"requests-{n}.sqlite3"))
        t = time.perf_counter()
        names = build(app, n)
        print(f"built {n:,} requests in {time.perf_counter() - t:.0f} s", flush=True)
        results[n] = measure(app, names, args.requests)
    small, large = sizes[0], sizes[-1]
    print(f"\nserver-side, {args.requests} requests each; load average {os.getloadavg()[0]:.2f}")
    print(f"{'page':40} {'p50 ' + str(small):>10} {'p50 ' + str(large):>11} {'ratio':>6} {'p95 large':>9} {'SQL':>9}")
    bad = 0
    for label in results[small]:
        a, b = results[small][label], results[large][label]
        ratio = b[0] / a[0] if a[0] else 0
        ok = ratio <= 1.5 and b[1] <= b[3] and a[2] == b[2]
        bad += not ok
        sql = f"{'/'.join(map(str, a[2]))}→{'/'.join(map(str, b[2]))}"
        print(f"{label:40} {a[0]:8.1f}ms {b[0]:9.1f}ms {ratio:6.2f} {b[1]:7.1f}ms {sql:>9} {'OK' if ok else 'MISS'}")
    print(f"{bad} page(s) missing a target")


if __name__ == "__main__":
    main()
