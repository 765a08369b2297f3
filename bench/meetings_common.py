"""Shared set-up for the meetings benches: a throwaway SQLite app with a street admin."""
import os
import re
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def make_app():
    tmp = tempfile.mkdtemp(prefix="hongye-bench-")
    from webapp import create_app
    from webapp.config import TestConfig
    from webapp.extensions import db

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite3",
                     UPLOAD_DIR=os.path.join(tmp, "uploads"))
    with app.app_context():
        db.create_all()
    return app, tmp


def signed_in_client(app, username="bench_admin"):
    from webapp.auth.services import create_user
    from webapp.extensions import db

    with app.app_context():
        create_user(username, "bench-password", "street_admin", "街道 管理员")
        db.session.commit()
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    r = client.post("/login", data={"username": username, "password": "bench-password", "csrf_token": token})
    assert r.status_code == 303, r.status_code
    return client


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)
