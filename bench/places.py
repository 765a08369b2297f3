"""Speed of /compounds/ and /companies/ with a large street: 500 compounds, 10,000
buildings, 100 companies. Server time per request (p50/p95) and the SQL statements each
request runs (counted with a SQLAlchemy event: bounded, whatever the row count); then the
buildings export and a 2,000-row buildings import (check + write).

    .venv/bin/python bench/places.py [--compounds 500] [--buildings 20] [--requests 40]
"""
import argparse
import io
import os
import re
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def build(app, n_compounds, per):
    from webapp.auth.services import create_user
    from webapp.companies.credit_code import make_code
    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import Building, Community, Compound, Grid, Street
    from webapp.extensions import db
    from webapp.people.models import Person

    with app.app_context():
        street = Street(name="基准街道")
        db.session.add(street)
        communities = [Community(street=street, name=f"基准社区{i}", slug=f"b{i}") for i in range(10)]
        grids = [Grid(community=c, name=f"第{j}网格") for c in communities for j in range(5)]
        companies = [PropertyCompany(name=f"基准物业{i}有限公司", credit_code=make_code(f"91370211MA{i:07d}"),
                                     staff_count=30, party_members=i % 6, party_org_form="none" if i % 3 else "own")
                     for i in range(100)]
        db.session.add_all(communities + grids + companies)
        db.session.flush()
        people = [Person(name=f"管家{i}", community=communities[i % 10], phone="13800000000") for i in range(2000)]
        db.session.add_all(people)
        db.session.flush()
        rows = []
        for i in range(n_compounds):
            community = communities[i % 10]
            rows.append(dict(community_id=community.id, grid_id=grids[(i % 10) * 5 + i % 5].id, name=f"基准小区{i}",
                             kind="old", management_mode="company", company_id=companies[i % 100].id, address="", note="",
                             version=1))
        db.session.execute(Compound.__table__.insert(), rows)
        ids = db.session.scalars(db.select(Compound.id).order_by(Compound.id)).all()
        brows = []
        for n, cid in enumerate(ids):
            for b in range(per):
                brows.append(dict(compound_id=cid, name=f"{b + 1}号楼", households=30 + b, version=1,
                                  steward_id=people[(n * per + b) % 2000].id if b % 4 else None,
                                  steward_role="red_steward", steward_phone_public=False))
        db.session.execute(Building.__table__.insert(), brows)
        create_user("bench_places", "bench-password", "street_admin", "基准 管理员")
        db.session.commit()
        return ids


def client_for(app):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    r = client.post("/login", data={"username": "bench_places", "password": "bench-password", "csrf_token": token})
    assert r.status_code == 303
    return client, token


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--compounds", type=int, default=500)
    parser.add_argument("--buildings", type=int, default=20)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    from sqlalchemy import event

    from webapp import create_app
    from webapp.config import TestConfig
    from webapp.extensions import db

    tmp = tempfile.mkdtemp(prefix="hongye-bench-places-")
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite3",
                     UPLOAD_DIR=os.path.join(tmp, "uploads"))
    with app.app_context():
        db.create_all()
    t = time.perf_counter()
    ids = build(app, args.compounds, args.buildings)
    print(f"data: {args.compounds} compounds, {args.compounds * args.buildings} buildings, 100 companies "
          f"(built in {time.perf_counter() - t:.1f} s)")
    client, token = client_for(app)
    statements = []
    with app.app_context():
        engine = db.engine

    def count(*_):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    pages = [
        ("/compounds/", "list, page 1"),
        ("/compounds/?page=10", "list, page 10"),
        ("/compounds/?kind=old&q=小区1&company=" + str(1), "list, filtered"),
        (f"/compounds/{ids[len(ids) // 2]}", f"detail ({args.buildings} buildings)"),
        ("/companies/", "companies list"),
        ("/companies/1", "company detail"),
    ]
    print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>5}")
    for path, label in pages:
        times = []
        for _ in range(args.requests):
            statements.clear()
            t = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (path, r.status_code)
        print(f"{label:34} {statistics.median(times):8.1f} {p95(times):8.1f} {len(statements):5d}")

    t = time.perf_counter()
    r = client.get("/compounds/buildings.xlsx")
    print(f"buildings.xlsx export ({args.compounds * args.buildings} rows): {(time.perf_counter() - t) * 1000:.0f} ms, "
          f"{len(r.data) // 1024} KB")

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["社区", "小区", "楼栋名称", "户数", "红色管家/楼长姓名", "角色", "同意公示电话"])
    for i in range(2000):
        ws.append([f"基准社区{i % 10}", f"基准小区{i % 10}", f"新{i}号楼", 30, "", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    statements.clear()
    t = time.perf_counter()
    r = client.post("/compounds/buildings/import", data={"csrf_token": token, "file": (io.BytesIO(buf.getvalue()), "b.xlsx")},
                    content_type="multipart/form-data")
    assert r.status_code == 303, r.status_code
    print(f"buildings import, 2000 rows checked and written (with audit rows): {(time.perf_counter() - t) * 1000:.0f} ms, "
          f"{len(statements)} SQL statements")
    # The same file again: every row is now a duplicate; all 2000 are reported, nothing written.
    t = time.perf_counter()
    r = client.post("/compounds/buildings/import", data={"csrf_token": token, "file": (io.BytesIO(buf.getvalue()), "b.xlsx")},
                    content_type="multipart/form-data")
    assert r.status_code == 422
    print(f"same file again, 2000 duplicate rows reported: {(time.perf_counter() - t) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
