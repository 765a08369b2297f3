"""Data figures for the closing note, on SQLite (and PostgreSQL with --pg URL):

- backup and restore of the demo database scaled to N resident requests (default 100,000),
  with one 2 MB upload per 1,000 requests' worth of attachments kept small (50 files);
- a repeat print of approved minutes (served from storage, ETag) against the first render,
  timed at the server (the test client calls the app in-process: no network).

    .venv/bin/python bench/production_data.py [--requests 100000] [--pg postgresql+psycopg://root@localhost/EMPTY_DB]
"""
import argparse
import os
import sys
import tempfile
import time
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]
_tmp = tempfile.mkdtemp(prefix="bench-data-")
os.environ.setdefault("UPLOAD_DIR", os.path.join(_tmp, "uploads"))
os.environ.setdefault("HUEY_SQLITE", os.path.join(_tmp, "huey.sqlite3"))


def scaled_app(url, n, uploads):
    from sqlalchemy import select

    from webapp import create_app
    from webapp.compounds.models import Community
    from webapp.config import TestConfig
    from webapp.demo import load
    from webapp.extensions import db
    from webapp.requests.models import ResidentRequest

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=uploads,
                     DOCUMENT_DIR=os.path.join(_tmp, "docs"), JOB_DIR=os.path.join(_tmp, "jobs"))
    with app.app_context():
        db.create_all()
        load()
        communities = db.session.execute(select(Community.id, Community.street_id)).all()
        now = datetime(2026, 11, 1, 9, 0)
        table = ResidentRequest.__table__
        batch = []
        for i in range(n):
            batch.append(dict(receipt_no=f"YJ20261101-{i:07d}", source="online_box", community_id=communities[i % len(communities)][0],
                              street_id=communities[i % len(communities)][1],
                              text=f"第{i}号意见：楼道灯不亮，请尽快维修。" * 3, name="", phone="", status="received",
                              public_reply="", created_at=now, updated_at=now, version=1))
            if len(batch) == 5000:
                db.session.execute(table.insert(), batch)
                batch = []
        if batch:
            db.session.execute(table.insert(), batch)
        db.session.commit()
        os.makedirs(os.path.join(uploads, "notices"), exist_ok=True)
        for i in range(50):
            with open(os.path.join(uploads, "notices", f"bench-{i}.pdf"), "wb") as fh:
                fh.write(os.urandom(200_000))
        db.engine.dispose()
    return app


def backup_restore(label, source_url, target_url, n):
    from webapp import backup, create_app
    from webapp.config import TestConfig
    from webapp.extensions import db

    up_source, up_target = os.path.join(_tmp, f"{label}-up1"), os.path.join(_tmp, f"{label}-up2")
    t = time.perf_counter()
    app = scaled_app(source_url, n, up_source)
    print(f"[{label}] built demo + {n} requests in {time.perf_counter() - t:.1f} s")
    snapshot = os.path.join(_tmp, f"{label}.backup")
    with app.app_context():
        t = time.perf_counter()
        manifest = backup.backup(app, snapshot)
        took = time.perf_counter() - t
        db.engine.dispose()
    rows = sum(manifest["tables"].values())
    print(f"[{label}] backup: {took:.2f} s, {os.path.getsize(snapshot) / 1e6:.1f} MB, {rows} rows, "
          f"{len(manifest['uploads'])} files")
    target = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=target_url, UPLOAD_DIR=up_target)
    with target.app_context():
        t = time.perf_counter()
        backup.restore(target, snapshot)
        print(f"[{label}] restore into an empty database (with checks): {time.perf_counter() - t:.2f} s")
        db.engine.dispose()


def repeat_print():
    from sqlalchemy import select

    from conftest import AuthActions, IsolatedClient
    from webapp import create_app
    from webapp.config import TestConfig
    from webapp.demo import load
    from webapp.extensions import db
    from webapp.meetings.models import Meeting

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{_tmp}/print.sqlite3",
                     DOCUMENT_DIR=os.path.join(_tmp, "print-docs"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        load()
        from webapp.auth.models import User

        street_id = db.session.scalar(select(User.street_id).where(User.username == "street_admin"))
        meeting = db.session.scalars(select(Meeting).where(Meeting.status == "approved", Meeting.street_id == street_id)
                                     .order_by(Meeting.id)).first()
        client = app.test_client()
        AuthActions(client).login("street_admin")
        url = f"/meetings/{meeting.id}.pdf"
        t = time.perf_counter()
        first = client.get(url)
        first_ms = (time.perf_counter() - t) * 1000
        assert first.status_code == 200 and first.mimetype == "application/pdf", first.status_code
        repeats = []
        for _ in range(20):
            t = time.perf_counter()
            r = client.get(url)
            repeats.append((time.perf_counter() - t) * 1000)
            assert r.data == first.data
        t = time.perf_counter()
        cached = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        ms304 = (time.perf_counter() - t) * 1000
        repeats.sort()
        print(f"approved minutes: first request (render + stamp + store) {first_ms:.0f} ms; repeat (from storage) "
              f"median {repeats[10]:.1f} ms, max {repeats[-1]:.1f} ms (target ≤ 20 ms); 304 for the ETag in "
              f"{ms304:.1f} ms ({cached.status_code}); {len(first.data) // 1024} KB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--pg", nargs=2, metavar=("SOURCE_URL", "TARGET_URL"), help="two empty PostgreSQL databases")
    args = parser.parse_args()
    repeat_print()
    backup_restore("sqlite", f"sqlite:///{_tmp}/source.sqlite3", f"sqlite:///{_tmp}/target.sqlite3", args.requests)
    if args.pg:
        backup_restore("postgresql", args.pg[0], args.pg[1], args.requests)


if __name__ == "__main__":
    main()
