"""Load and faults on loopback, bounded: gunicorn (gunicorn.conf.py) against a bare Flask
hello-world served the same way in the same run.

1. SQLite: one gunicorn; pages — the public community page, a signed-in list page
   (/compounds/), the dashboard (/); 16 and 64 connections, SECONDS each; req/s, p50,
   p99, errors, ratio to hello-world. Memory per worker (RSS).
2. Fault: kill -9 one worker while wrk runs and opinions are being posted; the service
   keeps answering (errors counted), every acknowledged post is in the database, and
   PRAGMA integrity_check is ok.
3. PostgreSQL (--pg URL of an empty database): two gunicorn instances behind Debian's
   nginx on loopback, started here; the same pages at 16 and 64 connections.

    .venv/bin/python bench/production_wrk.py [--seconds 20] [--workers 2] [--pg postgresql+psycopg://root@localhost/DB]
"""
import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

from public_wrk import COMMUNITY_PATH, HELLO, ROOT, VENV_BIN, free_port, prepare, stop, wait_up


def serve(port, workers, env, app_spec="wsgi:app", cwd=ROOT):
    cmd = [os.path.join(VENV_BIN, "gunicorn"), "-c", os.path.join(ROOT, "gunicorn.conf.py"), "--bind",
           f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning", app_spec]
    return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m|h)", text)
    if m is None:  # wrk prints -nan when nothing completed
        return float("nan")
    value, unit = m.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000, "h": 3600000}[unit]


def _pct(out, which):
    # The "Latency Distribution" lines ("     99%   17.20ms"), not a "+/- Stdev" column
    # that happens to end in 99% (it read the next line's word and printed nan).
    m = re.search(r"^\s+" + re.escape(which) + r"\s+(\S+)$", out, re.M)
    return _ms(m.group(1)) if m else float("nan")


def wrk(url, seconds, connections, cookie=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": _pct(out, "50%"), "p99": _pct(out, "99%"),
            "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)}


def signed_in_cookie(base, username="shuangzhu_staff", password="hongye-demo"):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"username": username, "password": password, "csrf_token": token}).encode()
    opener.open(base + "/login", data)
    page = opener.open(base + "/compounds/").read().decode()
    assert "小区" in page and "登录" not in page[:200], "sign-in failed"
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def pages(base):
    community = COMMUNITY_PATH  # 双珠路社区's board (the demo's first street)
    return {"public community": community, "signed-in list /compounds/": "/compounds/", "dashboard /": "/"}


def measure(label, base, hello, seconds, cookie):
    print(f"\n== {label}")
    print(f"{'page':30} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'vs hello':>8}")
    for conns in (16, 64):
        ref = wrk(hello, seconds, conns)
        print(f"{'hello-world':30} {conns:5d} {ref['rps']:8.0f} {ref['p50']:8.1f} {ref['p99']:8.1f} {ref['errors']:6d} {'100%':>8}")
        for name, path in pages(base).items():
            r = wrk(base + path, seconds, conns, cookie if path != pages(base)["public community"] else None)
            print(f"{name:30} {conns:5d} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {r['errors']:6d} "
                  f"{r['rps'] / ref['rps']:8.1%}")


def worker_pids(master):
    out = subprocess.run(["ps", "-o", "pid=,rss=", "--ppid", str(master.pid)], capture_output=True, text=True).stdout
    return [(int(p), int(r)) for p, r in (line.split() for line in out.strip().splitlines())]


def fault(base, master, db_file, seconds=10):
    """kill -9 one worker mid-load while opinions are posted; count what survived."""
    print("\n== kill -9 a worker mid-load")
    community = pages(base)["public community"]
    acknowledged, failed = [], []

    def post_opinions(stop_at):
        i = 0
        while time.time() < stop_at:
            try:
                jar = http.cookiejar.CookieJar()
                opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
                form_url = base + community + "opinion"
                html = opener.open(form_url, timeout=10).read().decode()
                token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
                fields = {"text": f"压测意见 {i} 楼道灯坏了请维修", "compound": "other",
                          "csrf_token": token.group(1) if token else ""}
                req = urllib.request.Request(form_url, urllib.parse.urlencode(fields).encode(),
                                             headers={"X-Forwarded-For": f"10.9.{i // 250}.{i % 250}"})
                if "opinion/status" in opener.open(req, timeout=10).geturl():
                    acknowledged.append(fields["text"])
                else:
                    failed.append("refused")
            except Exception as e:  # a request cut by the kill
                failed.append(repr(e)[:80])
            i += 1

    stop_at = time.time() + seconds
    poster = threading.Thread(target=post_opinions, args=(stop_at,))
    poster.start()
    result = {}
    load = threading.Thread(target=lambda: result.update(wrk(base + community, seconds, 16)))
    load.start()
    time.sleep(seconds / 3)
    victim = worker_pids(master)[0][0]
    os.kill(victim, signal.SIGKILL)
    load.join()
    poster.join()
    wait_up(base + "/healthz")
    import sqlite3

    conn = sqlite3.connect(db_file)
    stored = {t for (t,) in conn.execute("SELECT text FROM resident_request WHERE text LIKE '压测意见%'")}
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    lost = [t for t in acknowledged if t not in stored]
    print(f"killed worker {victim}; wrk during the kill: {result['rps']:.0f} req/s, {result['errors']} errors; "
          f"opinions acknowledged {len(acknowledged)}, cut by the kill {len(failed)}, acknowledged but lost "
          f"{len(lost)}; integrity_check: {integrity}; workers now {len(worker_pids(master))}")


NGINX = """daemon off; pid {tmp}/nginx.pid; error_log {tmp}/nginx-error.log warn; worker_processes 1;
events {{ worker_connections 1024; }}
http {{
  access_log off; client_body_temp_path {tmp}/nb; proxy_temp_path {tmp}/np; fastcgi_temp_path {tmp}/nf;
  uwsgi_temp_path {tmp}/nu; scgi_temp_path {tmp}/ns;
  upstream app {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; keepalive 32; }}
  server {{ listen 127.0.0.1:{port}; client_max_body_size 12m;
    location /static/ {{ alias {root}/static/; }}
    location / {{ proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Request-ID $request_id; }} }}
}}
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg", default=None, help="URL of an empty PostgreSQL database for part 3")
    args = parser.parse_args()
    for tool in ("wrk",) + (("nginx",) if args.pg else ()):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            sys.exit(f"{tool} is missing: apt-get install {tool}")
    tmp = tempfile.mkdtemp(prefix="bench-production-")
    with open(os.path.join(tmp, "hello.py"), "w") as fh:
        fh.write(HELLO)
    base_env = dict(os.environ, UPLOAD_DIR=f"{tmp}/uploads", HUEY_SQLITE=f"{tmp}/huey.sqlite3", JOB_DIR=f"{tmp}/jobs",
                    DOCUMENT_DIR=f"{tmp}/documents", HONGYE_LOAD_DEMO="1", PYTHONPATH=ROOT, LOG_FORMAT="plain",
                    PROMETHEUS_MULTIPROC_DIR=f"{tmp}/metrics", PROXY_FIX="1")
    base_env.pop("HONGYE_PRODUCTION", None)
    hello_port = free_port()
    hello = serve(hello_port, args.workers, dict(base_env, PYTHONPATH=tmp), "hello:app", tmp)
    procs = [hello]
    try:
        wait_up(f"http://127.0.0.1:{hello_port}/")
        hello_url = f"http://127.0.0.1:{hello_port}/"
        # 1 + 2: SQLite
        db_file = f"{tmp}/bench.sqlite3"
        env = dict(base_env, DATABASE_URL=f"sqlite:///{db_file}")
        prepare(env)
        port = free_port()
        app = serve(port, args.workers, env)
        procs.append(app)
        base = f"http://127.0.0.1:{port}"
        wait_up(base + "/healthz")
        cookie = signed_in_cookie(base)
        measure(f"SQLite, one gunicorn ({args.workers} workers)", base, hello_url, args.seconds, cookie)
        rss = worker_pids(app)
        print(f"\nmemory per worker after the load: {', '.join(f'{r // 1024} MB' for _, r in rss)}")
        fault(base, app, db_file)
        stop(app)
        procs.remove(app)
        # 3: PostgreSQL, two instances behind nginx
        if args.pg:
            env = dict(base_env, DATABASE_URL=args.pg)
            prepare(env)
            a, b, port = free_port(), free_port(), free_port()
            procs += [serve(a, args.workers, env), serve(b, args.workers, env)]
            conf = os.path.join(tmp, "nginx.conf")
            with open(conf, "w") as fh:
                fh.write(NGINX.format(tmp=tmp, a=a, b=b, port=port, root=ROOT))
            procs.append(subprocess.Popen(["/usr/sbin/nginx", "-c", conf, "-p", tmp], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, start_new_session=True))
            base = f"http://127.0.0.1:{port}"
            wait_up(base + "/healthz")
            measure(f"PostgreSQL, two gunicorn ({args.workers} workers each) behind nginx", base, hello_url,
                    args.seconds, signed_in_cookie(base))
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
