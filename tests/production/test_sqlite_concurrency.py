"""SQLite under concurrent writers: 8 processes each submit 200 opinions (the opinion
box's service: read the receipt numbers, delete old rate-limit rows, insert, audit) at
the same time. Nothing is lost and no write fails with "database is locked": a writing
request begins its transaction with BEGIN IMMEDIATE (webapp/__init__.py), so it waits its
turn for the write lock instead of failing when it upgrades a read snapshot."""
import os
import subprocess
import sys

from sqlalchemy import create_engine, text

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROCESSES, WRITES = 8, 200

WRITER = """
import sys
from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.compounds.models import Community
from webapp.requests.services import submit_opinion

app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=sys.argv[1])
n, me = int(sys.argv[2]), sys.argv[3]
sys.stdin.readline()  # all start together
for i in range(n):
    with app.test_request_context("/public/opinion", method="POST"):
        community = db.session.scalars(db.select(Community)).first()
        submit_opinion(community, None, f"{me}-{i}", "", "", f"10.0.{me}.{i % 250}")
        db.session.commit()
print("ok", me)
"""


def test_eight_processes_writing_at_once_lose_nothing(tmp_path):
    url = f"sqlite:///{tmp_path}/concurrent.sqlite3"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        from webapp.compounds.models import Community, Street

        street = Street(name="并发街道")
        db.session.add(street)
        db.session.flush()
        db.session.add(Community(name="并发社区", slug="bingfa", street_id=street.id))
        db.session.commit()
        db.engine.dispose()
    env = dict(os.environ, PYTHONPATH=ROOT)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, url, str(WRITES), str(k)], cwd=ROOT, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for k in range(PROCESSES)]
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    failures = [err[-800:] for code, _, err in results if code != 0]
    assert not failures, failures
    assert not any("database is locked" in err for _, _, err in results)
    engine = create_engine(url)
    with engine.connect() as conn:
        texts = conn.execute(text("SELECT text FROM resident_request")).scalars().all()
        audited = conn.execute(text("SELECT count(*) FROM audit_log WHERE entity = 'resident_request'")).scalar()
    engine.dispose()
    assert len(texts) == len(set(texts)) == PROCESSES * WRITES
    assert audited == PROCESSES * WRITES
