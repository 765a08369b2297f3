"""Start-up: importing wsgi never touches the schema; the upgrade and the demo street are
their own steps, and several processes starting at once on an empty database all succeed."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

from sqlalchemy import create_engine, inspect, text

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")

from foundation.test_migrations import empty_database_url  # noqa: E402,F401  (a fixture)


def _env(tmp_path, url):
    env = dict(os.environ, DATABASE_URL=url, UPLOAD_DIR=str(tmp_path / "uploads"), HUEY_SQLITE=str(tmp_path / "huey.sqlite3"),
               JOB_DIR=str(tmp_path / "jobs"), HONGYE_LOAD_DEMO="1", PYTHONPATH=ROOT)
    for key in ("HONGYE_PRODUCTION", "HONGYE_INPROCESS_JOBS", "REDIS_URL"):
        env.pop(key, None)
    return env


def _flask(env, *args):
    return subprocess.Popen([os.path.join(VENV_BIN, "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_importing_wsgi_leaves_an_empty_database_empty(tmp_path):
    url = f"sqlite:///{tmp_path}/untouched.sqlite3"
    subprocess.run([sys.executable, "-c", "import wsgi; print(wsgi.app.name)"], cwd=ROOT, env=_env(tmp_path, url),
                   check=True, capture_output=True)
    engine = create_engine(url)
    assert inspect(engine).get_table_names() == []
    engine.dispose()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_upgrade_then_concurrent_demo_loaders_and_four_workers(tmp_path, empty_database_url):
    env = _env(tmp_path, empty_database_url)
    upgrade = _flask(env, "db", "upgrade")
    assert upgrade.wait(timeout=120) == 0, upgrade.stdout.read()
    # Two demo loaders at once (e.g. `make run` twice, and a deploy script): one loads,
    # the others wait for it and then find the street there.
    loaders = [_flask(env, "demo-data", "--if-empty") for _ in range(2)]
    port = _free_port()
    web = subprocess.Popen([os.path.join(VENV_BIN, "gunicorn"), "-c", "gunicorn.conf.py", "-w", "4", "-b",
                            f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        outputs = [(p.wait(timeout=240), p.stdout.read()) for p in loaders]
        assert [code for code, _ in outputs] == [0, 0], outputs
        assert sum("演示数据已加载" in out for _, out in outputs) == 1, outputs
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert web.poll() is None, web.stderr.read()
                assert time.time() < deadline, "gunicorn did not answer"
                time.sleep(0.5)
        answers = [urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10).status for _ in range(8)]
        assert answers == [200] * 8
        assert web.poll() is None
    finally:
        web.terminate()
        web.wait(timeout=30)
    engine = create_engine(empty_database_url)
    with engine.connect() as conn:
        # One load only: the demo's streets once each (a second loader would fail on their slugs).
        from webapp.demo.geography import STREETS

        assert conn.execute(text("SELECT count(*) FROM street")).scalar() == len(STREETS)
    engine.dispose()


def test_serve_script_starts_gunicorn_and_the_consumer_and_serves_healthz(tmp_path):
    """`scripts/serve.sh` (make serve) really starts: the upgrade, the consumer and gunicorn,
    which answers /healthz; stopping the script (its PID) stops both."""
    import signal

    port = _free_port()
    env = _env(tmp_path, f"sqlite:///{tmp_path}/serve.sqlite3")
    env.update(PORT=str(port), WEB_CONCURRENCY="1", HONGYE_LOAD_DEMO="0", JOBS_WORKERS="1",
               PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"))
    proc = subprocess.Popen(["bash", os.path.join(ROOT, "scripts", "serve.sh")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        body, deadline = None, time.time() + 90
        while time.time() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = (r.status, r.read())
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode(errors="replace")
                time.sleep(0.5)
        assert body is not None and body[0] == 200, "no /healthz answer"
        children = subprocess.run(["pgrep", "-P", str(proc.pid), "-a"], capture_output=True, text=True).stdout
        assert "gunicorn" in children and "jobs-worker" in children, children
    finally:
        proc.send_signal(signal.SIGTERM)  # the script's own PID: its trap stops gunicorn and the consumer
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True).returncode == 1  # none left
