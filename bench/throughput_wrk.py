"""Throughput of the signed-in pages and the public board against a bare Flask
hello-world, in the same run (issue 13): gunicorn, 2 sync workers, `wrk -t2 -c16`, on the
demo street; rounds alternate the pages so that load from elsewhere hits all alike; the
median round is printed. Targets: signed-in pages ≥ 15 % of hello-world, the public page
≥ 60 % uncached.

Pages: the meetings list and the compounds list (signed in as the street admin), the
dashboard, the public community page uncached (every request a new query string, so
each one renders: the cache key holds it) and cached.

The floor row is `/healthz` signed in: everything the app does on every request (session
cookie, the user, CSRF, rate limiter, request log, metrics, security headers) and nothing
a page does. A page cannot pass a target its floor misses.

Then start-up: seconds to import the app in a fresh process (and whether WeasyPrint,
openpyxl and pypdf were imported), and a worker's RSS before and after a dozen PDFs.

    .venv/bin/python bench/throughput_wrk.py [--seconds 5] [--rounds 3] [--workers 2]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from production_wrk import serve, signed_in_cookie  # noqa: E402
from public_wrk import COMMUNITY_PATH, HELLO, ROOT, VENV_BIN, free_port, prepare, stop, wait_up  # noqa: E402

NO_CACHE_LUA = """
request = function()
  return wrk.format(nil, wrk.path .. "?r=" .. math.random(1, 1000000000))
end
"""


def wrk(url, seconds, connections, cookie=None, script=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        raise RuntimeError(f"{url}: {bad.group(1)} error responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as fh:
        return int(re.search(r"VmRSS:\s+(\d+)", fh.read()).group(1))


def worker_pids(master_pid):
    out = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def startup(env):
    """Seconds to import the app in a new process, and which heavy modules it loaded."""
    code = ("import time, sys; t = time.perf_counter(); import wsgi; "
            "print(time.perf_counter() - t, [m for m in ('weasyprint', 'openpyxl', 'pypdf') if m in sys.modules])")
    runs = []
    for _ in range(3):
        out = subprocess.run([os.path.join(VENV_BIN, "python"), "-c", code], cwd=ROOT, env=env, capture_output=True,
                             text=True, check=True).stdout.split(" ", 1)
        runs.append((float(out[0]), out[1].strip()))
    return statistics.median(r[0] for r in runs), runs[0][1]


def _target(label):
    """The issue's target for a row; none for hello-world itself and the floor."""
    if label.startswith("public") and "uncached" in label:
        return " (target ≥ 60%)"
    if label.startswith(("signed-in", "dashboard")):
        return " (target ≥ 15%)"
    return ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: bash scripts/ensure-debian-packages.sh wrk")
    tmp = tempfile.mkdtemp(prefix="bench-throughput-")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3", UPLOAD_DIR=f"{tmp}/uploads",
               HUEY_SQLITE=f"{tmp}/huey.sqlite3", JOB_DIR=f"{tmp}/jobs", DOCUMENT_DIR=f"{tmp}/documents",
               HONGYE_LOAD_DEMO="1", PYTHONPATH=ROOT, PROMETHEUS_MULTIPROC_DIR=f"{tmp}/metrics")
    os.makedirs(env["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
    for key in ("HONGYE_PRODUCTION", "HONGYE_INPROCESS_JOBS", "REDIS_URL"):
        env.pop(key, None)
    prepare(env)
    with open(os.path.join(tmp, "hello.py"), "w") as fh:
        fh.write(HELLO)
    script = os.path.join(tmp, "nocache.lua")
    with open(script, "w") as fh:
        fh.write(NO_CACHE_LUA)
    load_before = os.getloadavg()
    app_port, hello_port = free_port(), free_port()
    app = serve(app_port, args.workers, env)
    hello = serve(hello_port, args.workers, dict(env, PYTHONPATH=tmp), app_spec="hello:app", cwd=tmp)
    results = {}
    try:
        base, hello_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{hello_port}/"
        wait_up(base + "/healthz")
        wait_up(hello_url)
        cookie = signed_in_cookie(base, username="street_admin")
        community = COMMUNITY_PATH  # 双珠路社区's board (the demo's first street)
        cases = [
            ("hello-world", hello_url, None, None),
            # The floor (see the docstring): two trivial statements, no template.
            ("floor: signed-in /healthz", base + "/healthz", cookie, None),
            ("signed-in /meetings/", base + "/meetings/", cookie, None),
            ("signed-in /compounds/", base + "/compounds/", cookie, None),
            ("dashboard /", base + "/", cookie, None),
            ("public community, uncached", base + community, None, script),
            ("public community, cached", base + community, None, None),
        ]
        for label, url, c, s in cases:  # warm every worker
            wrk(url, 1, args.connections, c, s)
        for _ in range(args.rounds):
            for label, url, c, s in cases:
                results.setdefault(label, []).append(wrk(url, args.seconds, args.connections, c, s))
        # A worker's memory, then after a dozen PDFs (filled sheets and rankings, as printed).
        pids = worker_pids(app.pid)
        before = {pid: rss_kb(pid) for pid in pids}
        opener = urllib.request.build_opener()
        opener.addheaders = [("Cookie", cookie)]
        sheets = re.findall(r'/assessments/sheets/(\d+)', opener.open(base + "/assessments/").read().decode())
        urls = [f"{base}/assessments/ranking.pdf?interim=1"] * 4 + [f"{base}/assessments/templates/1/blank.pdf"] * 2
        urls += [f"{base}/assessments/sheets/{sid}/blank.pdf" for sid in sheets[:6]]
        for _ in range(2):
            for url in urls[:12]:
                opener.open(url).read()
        after = {pid: rss_kb(pid) for pid in pids if os.path.exists(f"/proc/{pid}")}
    finally:
        stop(app)
        stop(hello)
    seconds, heavy = startup(env)
    shutil.rmtree(tmp, ignore_errors=True)
    median = {k: statistics.median(v) for k, v in results.items()}
    ref = median["hello-world"]
    print(f"gunicorn sync x{args.workers}, wrk -t2 -c{args.connections} -d{args.seconds}s, loopback, median of "
          f"{args.rounds} alternating rounds; load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    for label, rps in median.items():
        print(f"{label:30} {rps:8.0f} req/s  {rps / ref:6.1%} of hello-world{_target(label)}")
    print(f"start-up: import of the app {seconds:.2f} s (median of 3); heavy modules imported: {heavy}")
    print("worker RSS before → after 24 PDFs: " + ", ".join(
        f"{before[p] / 1024:.0f} → {after.get(p, 0) / 1024:.0f} MB" for p in before))


if __name__ == "__main__":
    main()
