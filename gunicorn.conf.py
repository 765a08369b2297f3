"""gunicorn settings for `make serve` (gunicorn -c gunicorn.conf.py wsgi:app).

Every setting may be overridden from the environment (WEB_CONCURRENCY, BIND, ...).
The schema is upgraded before gunicorn starts (`make serve`), never by a worker."""
import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Two workers per core plus one: the pages wait on the database more than on the CPU.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Long work (batch sheets, large exports, documents) runs as a background job, so a
# request longer than this is a fault: the worker is killed and restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (bounds slow growth, e.g. WeasyPrint's
# caches). Each replacement costs the app's start-up (~1.4 s) during which that worker's
# share of the load waits: at 2,000 a busy public page restarted each worker every few
# seconds, and its p99 was 2.4–3.4 s (1,330 → 730 req/s); at 20,000 a worker lives for
# minutes even under a wrk run (bench/production_wrk.py).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
accesslog = None  # the app logs each request as a JSON line (webapp/observability.py)
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# prometheus-flask-exporter in multi-process mode: the workers share a directory of
# metric files; it is emptied when gunicorn starts and a dead worker's files are marked.
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"hongye-metrics-{os.getuid()}"))


def on_starting(server):
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)


def child_exit(server, worker):
    try:
        from prometheus_flask_exporter.multiprocess import GunicornPrometheusMetrics

        GunicornPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)
    except ImportError:
        pass


# --preload (GUNICORN_PRELOAD=1): the master imports the app once and forks the workers
# from it. Measured by bench/preload_memory.py on the demo (proportional set size): each
# further worker costs 67 MB instead of 90 MB, but the master keeps 75 MB instead of 16, so
# it pays from the fourth worker on (2 workers: 231 MB with, 208 without; 4: 364 vs 387).
# Off by default: a code change then needs a full restart (HUP reloads nothing), and each
# worker must drop the database connections it inherited (post_fork below).
preload_app = os.environ.get("GUNICORN_PRELOAD", "") in ("1", "true", "yes")


def post_fork(server, worker):
    """A preloaded app's engine must not share the master's connections with the workers."""
    if preload_app:
        try:
            from webapp.extensions import db

            with server.app.wsgi().app_context():
                db.engine.dispose(close=False)
        except Exception:  # noqa: BLE001  (no engine yet: nothing to drop)
            pass
