"""Shared set-up for the assessment benchmarks: a throwaway SQLite database with the demo
street, plus helpers to add many companies and closed rounds quickly."""
import os
import statistics
import sys
import tempfile
import time
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]
_tmp = tempfile.mkdtemp(prefix="hongye-bench-")
os.environ.setdefault("UPLOAD_DIR", os.path.join(_tmp, "uploads"))


def make_app():
    """An app on a fresh SQLite file with the demo street loaded; returns (app, ctx)."""
    from webapp import create_app
    from webapp.config import TestConfig
    from webapp.extensions import db

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{_tmp}/bench.sqlite3",
                     UPLOAD_DIR=os.environ["UPLOAD_DIR"])
    ctx = app.app_context()
    ctx.push()
    db.create_all()
    from webapp.demo import load

    load()
    return app


def login(app, username="street_admin"):
    from conftest import AuthActions, IsolatedClient

    app.test_client_class = IsolatedClient  # no CSRF token or user carried over in `g`
    client = app.test_client()
    assert AuthActions(client).login(username).status_code == 303
    return client


def add_companies(n, prefix="基准物业"):
    """n companies, each serving one new compound in the first community; returns them."""
    from webapp.companies.credit_code import make_code
    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import Community, Compound
    from webapp.extensions import db

    community = db.session.query(Community).order_by(Community.id).first()
    companies = []
    for i in range(n):
        company = PropertyCompany(name=f"{prefix}{i:03d}有限公司", credit_code=make_code(f"91370299MA{i:07d}"))
        db.session.add(company)
        db.session.add(Compound(community=community, name=f"{prefix}{i:03d}小区", company=company))
        companies.append(company)
    db.session.commit()
    return companies


CPU = {}


def timed(fn, repeat):
    """Run fn `repeat` times; returns (median wall seconds, all times). The median CPU
    seconds of this process go to CPU[fn-name] (on a shared, loaded machine wall time
    includes waiting for a core)."""
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    CPU["last"] = statistics.median(cpu)
    return statistics.median(times), times


def load_average():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


FIRST_MONTH = date(2026, 1, 1)
