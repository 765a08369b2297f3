"""Speed of the public notice board: the compound page under wrk, against a bare Flask
hello-world served the same way (gunicorn, same workers, loopback, same run).

Prints requests/s for both and the ratio (target ≥ 50%; the compound page warm in the
cache), the community page uncached (each request renders, issue 13: ≥ 60%), and the lobby display's
refresh fragment size as a share of the full display page (target ≤ 15%).

    .venv/bin/python bench/public_wrk.py [--seconds 5] [--workers 2] [--connections 16] [--rounds 3]
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
COMMUNITY_PATH = "/public/yinzhu/shuangzhu/"  # 双珠路社区's board: /public/<street>/<community>/
HELLO = '''from flask import Flask
app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
'''


def prepare(env):
    """The schema and the demo street, once, before any worker starts (as `make serve`)."""
    for step in (["db", "upgrade"], ["demo-data", "--if-empty"]):
        subprocess.run([os.path.join(VENV_BIN, "flask"), "--app", "wsgi", *step], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not come up")


def gunicorn(app_spec, port, workers, env, cwd):
    cmd = [os.path.join(VENV_BIN, "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
           "--worker-class", "sync", "--log-level", "warning", app_spec]
    return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


NO_CACHE_LUA = """
request = function()
  return wrk.format(nil, wrk.path .. "?r=" .. math.random(1, 1000000000))
end
"""


def wrk(url, seconds, connections, script=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:  # each request a new query string: a cache miss, the page renders
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses\n{out}")
    return rps


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: bash scripts/ensure-debian-packages.sh wrk")

    tmp = tempfile.mkdtemp(prefix="bench-public-")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3", UPLOAD_DIR=f"{tmp}/uploads",
               HONGYE_LOAD_DEMO="1", PYTHONPATH=ROOT)
    prepare(env)
    with open(os.path.join(tmp, "hello.py"), "w") as fh:
        fh.write(HELLO)

    results = {"compound": [], "hello": [], "community_uncached": []}
    script = os.path.join(tmp, "nocache.lua")
    with open(script, "w") as fh:
        fh.write(NO_CACHE_LUA)
    app_port, hello_port = free_port(), free_port()
    app_proc = gunicorn("wsgi:app", app_port, args.workers, env, ROOT)
    hello_proc = gunicorn("hello:app", hello_port, args.workers, dict(env, PYTHONPATH=tmp), tmp)
    try:
        base = f"http://127.0.0.1:{app_port}"
        hello_url = f"http://127.0.0.1:{hello_port}/"
        wait_up(base + "/public/")
        wait_up(hello_url)
        board = get(base + COMMUNITY_PATH).decode()
        compound_path = re.search(r'href="(' + COMMUNITY_PATH + r'\d+/)"', board).group(1)
        for _ in range(4):
            get(base + compound_path)  # warm every worker's cache

        full = get(base + COMMUNITY_PATH + "display")
        html = full.decode()
        version = re.search(r'data-version="([^"]+)"', html).group(1)
        key = re.search(r'id="slide".*?data-key="([^"]*)"', html, re.S).group(1)
        sizes, seen = [], set()
        while key not in seen:
            seen.add(key)
            frag = get(f"{base}{COMMUNITY_PATH}display/next?after={key}&v={version}&every=15")
            sizes.append(len(frag))
            key = re.search(r'data-key="([^"]*)"', frag.decode()).group(1)

        # Alternate the two so that load from elsewhere on the machine hits both alike.
        for _ in range(args.rounds):
            results["hello"].append(wrk(hello_url, args.seconds, args.connections))
            results["compound"].append(wrk(base + compound_path, args.seconds, args.connections))
            results["community_uncached"].append(wrk(base + COMMUNITY_PATH, args.seconds, args.connections, script))
    finally:
        stop(app_proc)
        stop(hello_proc)
    shutil.rmtree(tmp, ignore_errors=True)
    results = {k: sorted(v)[len(v) // 2] for k, v in results.items()}  # median of the rounds

    ratio = results["compound"] / results["hello"]
    share = max(sizes) / len(full)
    print(f"gunicorn sync x{args.workers}, wrk -t2 -c{args.connections} -d{args.seconds}s, loopback, "
          f"median of {args.rounds} alternating rounds")
    print(f"public compound page {compound_path}: {results['compound']:.0f} req/s")
    print(f"flask hello-world:                 {results['hello']:.0f} req/s")
    uncached = results["community_uncached"] / results["hello"]
    print(f"public community page, uncached (a new query string per request): {results['community_uncached']:.0f} req/s, "
          f"{uncached:.0%} of hello-world (target >= 60%)")
    print(f"ratio: {ratio:.0%} (target >= 50%)  {'OK' if ratio >= 0.5 else 'BELOW TARGET'}")
    print(f"display page: {len(full)} bytes; refresh fragment: {min(sizes)}-{max(sizes)} bytes over {len(sizes)} slides "
          f"-> largest {share:.1%} of the page (target <= 15%)  {'OK' if share <= 0.15 else 'ABOVE TARGET'}")


if __name__ == "__main__":
    main()
