"""Sign-in timing: a wrong password for a known account against an unknown one (the
probe found 139 ms vs 6 ms, which told account names apart), with production Argon2
parameters. Prints the median of N tries each.

    .venv/bin/python bench/signin_timing.py [N]
"""
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from webapp import create_app  # noqa: E402
from webapp.config import Config  # noqa: E402
from webapp.extensions import db, limiter  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 30


class Bench(Config):
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    LOAD_DEMO = False
    UPGRADE_ON_START = False
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = True


def main():
    app = create_app(Bench)
    with app.app_context():
        db.create_all()
        from webapp.auth.services import create_user

        create_user("clerk", "Qd-Wuye-7781", "street_admin")
        db.session.commit()
    client = app.test_client()
    times = {"known": [], "unknown": []}
    for i in range(N):
        for kind, name in (("known", "clerk"), ("unknown", f"nobody{i}")):
            limiter.reset()  # measure the password check, not the lockout
            start = time.perf_counter()
            r = client.post("/login", data={"username": name, "password": f"wrong{i}"},
                            environ_base={"REMOTE_ADDR": f"10.1.{i // 250}.{i % 250}"})
            times[kind].append((time.perf_counter() - start) * 1000)
            assert r.status_code == 401, r.status_code
    for kind, values in times.items():
        print(f"wrong password, {kind:7} account: median {statistics.median(values):6.1f} ms "
              f"(min {min(values):.1f}, max {max(values):.1f}, n={N})")


if __name__ == "__main__":
    main()
