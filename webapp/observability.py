"""Operations: request ids, JSON-lines logs, Prometheus metrics, and ProxyFix by setting.

- Every request has an id: a sane incoming `X-Request-ID` (nginx's `$request_id`) is
  kept, else one is made; it is echoed in the response and in every log line.
- Logs are JSON lines on stderr (LOG_FORMAT=json, the default outside tests): one line per
  request (method, path, status, ms, user, address) plus whatever the app logs.
- `/metrics`: prometheus-flask-exporter — multi-process mode under gunicorn (the
  PROMETHEUS_MULTIPROC_DIR that gunicorn.conf.py sets), one process otherwise. Answered
  only to loopback or to `Authorization: Bearer $METRICS_TOKEN`; 404 to anyone else.
- `PROXY_FIX=1` trusts one proxy's X-Forwarded-For/-Proto/-Host (nginx in front).
"""
import hmac
import json
import logging
import os
import re
import time
import uuid
from functools import wraps

from flask import abort, g, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = logging.getLogger("webapp.request")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id when there is a request."""

    def format(self, record):
        entry = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
                 "level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage()}
        if has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


JsonFormatter.converter = time.gmtime


def _configure_logging(app):
    if app.config.get("LOG_FORMAT", "json") != "json" or app.testing:
        return
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def _request_ids(app):
    @app.before_request
    def take_request_id():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def echo_request_id(response):
        rid = g.get("request_id")
        if rid:
            response.headers["X-Request-ID"] = rid
            from flask_login import current_user

            try:
                user_id = current_user.get_id() if current_user and current_user.is_authenticated else None
            except Exception:
                user_id = None
            log.info("request", extra={"fields": {
                "method": request.method, "path": request.path, "status": response.status_code,
                "ms": round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1),
                "user_id": user_id, "remote": request.remote_addr}})
        return response


def metrics_allowed():
    token = os.environ.get("METRICS_TOKEN") or None
    auth = request.headers.get("Authorization", "")
    if token and auth.startswith("Bearer ") and hmac.compare_digest(auth[7:].encode(), token.encode()):
        return True
    return request.remote_addr in ("127.0.0.1", "::1")


def _protect(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not metrics_allowed():
            abort(404)
        return view(*args, **kwargs)
    return wrapped


def _metrics(app):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR") and not app.testing:
        from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

        metrics = GunicornInternalPrometheusMetrics(app, metrics_decorator=_protect, group_by="endpoint")
    else:
        from prometheus_client import CollectorRegistry
        from prometheus_flask_exporter import PrometheusMetrics

        # Its own registry per app: the tests build many apps in one process.
        metrics = PrometheusMetrics(app, registry=CollectorRegistry(), metrics_decorator=_protect, group_by="endpoint")
    metrics.info("hongye_app_info", "红色物业工作台", version="1")
    app.extensions["metrics"] = metrics


def init_app(app):
    if app.config.get("PROXY_FIX"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    _configure_logging(app)
    _request_ids(app)
    _metrics(app)
