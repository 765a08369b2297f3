"""Several app servers share lockouts when RATELIMIT_STORAGE_URI names Redis: five
failures in one process lock the account in another."""
import os
import socket
import subprocess
import sys
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SERVER = r'''
import os
import sys
from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db

app = create_app(TestConfig, WTF_CSRF_ENABLED=False, RATELIMIT_STORAGE_URI=os.environ["RATELIMIT_STORAGE_URI"])
with app.app_context():
    if sys.argv[1] == "setup":
        db.create_all()
        from webapp.auth.services import create_user
        create_user("clerk", "Qd-Wuye-7781", "street_admin")
        db.session.commit()
    client = app.test_client()
    for password in sys.argv[2:]:
        r = client.post("/login", data={"username": "clerk", "password": password})
        print(r.status_code)
'''


def _redis_up():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_a_lockout_in_one_process_holds_in_another(tmp_path):
    env = dict(os.environ, TEST_DATABASE_URL=f"sqlite:///{tmp_path}/shared.sqlite3",
               RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/7", RATELIMIT_KEY_PREFIX=f"hongye-test-{uuid.uuid4().hex}")
    env.pop("PYTHONPATH", None)

    def server(*args):
        out = subprocess.run([sys.executable, "-c", SERVER, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout.split()

    assert server("setup", *["wrong"] * 5) == ["401"] * 5
    assert server("other", "Qd-Wuye-7781") == ["429"]  # the second server knows
