"""Worker memory with and without gunicorn's --preload (GUNICORN_PRELOAD=1), on the demo
street: gunicorn with 2 and with 4 workers, each page type requested a few hundred
times, then the proportional set size (Pss, /proc/PID/smaps_rollup: shared pages split
among the processes sharing them) of the master and every worker. The cost of one more
worker is the difference between the 4- and the 2-worker totals, halved.

    .venv/bin/python bench/preload_memory.py [--requests 300]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from production_wrk import serve  # noqa: E402
from public_wrk import COMMUNITY_PATH, free_port, prepare, stop, wait_up  # noqa: E402


def pss_kb(pid):
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))


def measure(env, workers, requests):
    port = free_port()
    master = serve(port, workers, env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_up(base + "/healthz")
        for _ in range(requests):
            for path in (COMMUNITY_PATH, "/login", "/healthz"):
                urllib.request.urlopen(base + path).read()
        time.sleep(0.5)
        pids = [master.pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True,
                                                             text=True).stdout.split()]
        return {pid: pss_kb(pid) for pid in pids}
    finally:
        stop(master)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-preload-")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3", UPLOAD_DIR=f"{tmp}/uploads",
               HUEY_SQLITE=f"{tmp}/huey.sqlite3", JOB_DIR=f"{tmp}/jobs", DOCUMENT_DIR=f"{tmp}/documents",
               PROMETHEUS_MULTIPROC_DIR=f"{tmp}/metrics")
    os.makedirs(env["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
    for key in ("HONGYE_PRODUCTION", "HONGYE_INPROCESS_JOBS", "REDIS_URL", "TEST_DATABASE_URL"):
        env.pop(key, None)
    prepare(env)
    totals = {}
    print(f"{'preload':8} {'workers':>7} {'master MB':>10} {'each worker MB':>16} {'total MB':>9}")
    try:
        for preload in ("0", "1"):
            for workers in (2, 4):
                pss = measure(dict(env, GUNICORN_PRELOAD=preload), workers, args.requests)
                master, rest = next(iter(pss.values())), list(pss.values())[1:]
                totals[preload, workers] = sum(pss.values()) / 1024
                print(f"{'on' if preload == '1' else 'off':8} {workers:7d} {master / 1024:10.0f} "
                      f"{' '.join(f'{v / 1024:.0f}' for v in rest):>16} {totals[preload, workers]:9.0f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for preload in ("0", "1"):
        extra = (totals[preload, 4] - totals[preload, 2]) / 2
        print(f"one more worker, preload {'on' if preload == '1' else 'off'}: {extra:.0f} MB")


if __name__ == "__main__":
    main()
