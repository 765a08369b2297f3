"""Benchmark: the audit log at size — appending entries under the chain head's lock,
`audit-verify` over the whole chain, and the /audit/ page (filtered, first and a deep
keyset page) with a bounded count.

    .venv/bin/python bench/audit_log.py [entries]        (default 200000; the first run used 5000)

Runs on a throwaway SQLite file, or on DATABASE_URL=postgresql+psycopg://… if given.
Prints its figures; nothing is asserted.
"""
import os
import sys
import tempfile
import time
from datetime import timedelta


def main(n=200_000):
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/audit-bench.sqlite3"
    from webapp import create_app
    from webapp.config import TestConfig
    from webapp.extensions import db

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text

            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
        from webapp.audit import chain
        from webapp.auth.services import create_user
        from webapp.models_base import utcnow

        # The street admin reads the log without the TOTP step administrators' roles need.
        user = create_user("bench_auditor", "Bench-audit-2026!", "street_admin")
        user.must_change_password = False
        db.session.commit()
        start = utcnow() - timedelta(days=100)
        t = time.perf_counter()
        batch = 5000
        for i in range(0, n, batch):
            with db.engine.begin() as conn:
                chain.append(conn, [dict(at=start + timedelta(seconds=(i + k) * 40), user_id=None, username="system",
                                         role="", address="10.0.0.1", action="update", entity="compound",
                                         entity_id=(i + k) % 500, label=f"小区{(i + k) % 500}",
                                         changes={"name": [f"旧{i + k}", f"新{i + k}"], "company_id": [1, 2]}, note="")
                                    for k in range(min(batch, n - i))])
        append_s = time.perf_counter() - t
        t = time.perf_counter()
        checked = chain.verify(db.session)
        verify_s = time.perf_counter() - t
        db.session.remove()

        from webapp.auth.models import User
        from flask_login import login_user
        from sqlalchemy import select

        timings = {}
        import re

        client = app.test_client()
        with client:
            page = client.get("/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            client.post("/login", data={"username": "bench_auditor", "password": "Bench-audit-2026!", "csrf_token": token})
            for label, url_ in (("first page", "/audit/"), ("filtered", "/audit/?kind=compound&record=小区7"),
                                ("deep page", f"/audit/?before={n // 10}")):
                t = time.perf_counter()
                r = client.get(url_)
                timings[label] = (time.perf_counter() - t) * 1000, r.status_code
        print(f"{db.engine.dialect.name}: {n} entries appended in {append_s:.1f} s ({n / append_s:,.0f}/s); "
              f"audit-verify {checked} entries in {verify_s:.1f} s ({checked / verify_s:,.0f}/s)")
        for label, (ms, code) in timings.items():
            print(f"  /audit/ {label}: {ms:.0f} ms (HTTP {code})")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
