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
# A worker is replaced after this many requests (bounds slow leaks, e.g. WeasyPrint's).
max_requests = 2000
max_requests_jitter = 200
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
