"""Operations: /healthz answers 503 when the database is down; /metrics only to loopback
or a token; every response carries a request id (kept from X-Request-ID when sane);
log lines are JSON with the request id; ProxyFix when switched on."""
import json
import logging

from webapp import create_app
from webapp.config import TestConfig
from webapp.observability import JsonFormatter


def test_healthz_checks_the_database(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json()["database"] == "ok"
    down = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://root@127.0.0.1:1/nowhere")
    with down.app_context():
        r = down.test_client().get("/healthz")
    assert r.status_code == 503 and r.get_json() == {"status": "error", "database": "unreachable"}


def test_request_id_is_echoed_or_made(client):
    assert client.get("/healthz", headers={"X-Request-ID": "nginx-0123456789abcdef"}).headers["X-Request-ID"] == \
        "nginx-0123456789abcdef"
    made = client.get("/healthz", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()
    assert client.get("/healthz").headers["X-Request-ID"] != made


def test_metrics_only_for_loopback_or_token(client, monkeypatch):
    client.get("/healthz")
    r = client.get("/metrics")
    assert r.status_code == 200 and "flask_http_request_duration_seconds" in r.get_data(as_text=True)
    outside = {"REMOTE_ADDR": "10.1.2.3"}
    assert client.get("/metrics", environ_base=outside).status_code == 404
    monkeypatch.setenv("METRICS_TOKEN", "s3cret-token")
    assert client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer s3cret-token"}).status_code == 200


def test_proxy_fix_is_a_setting():
    app = create_app(TestConfig, PROXY_FIX=True)
    with app.app_context():
        c = app.test_client()
        # Through nginx, the client's own address counts: not loopback any more.
        assert c.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 404
    plain = create_app(TestConfig)
    with plain.app_context():
        assert plain.test_client().get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 200


def test_log_lines_are_json_with_the_request_id(app):
    with app.test_request_context("/"):
        from flask import g

        g.request_id = "abc12345"
        record = logging.LogRecord("webapp.request", logging.INFO, __file__, 1, "request", None, None)
        record.fields = {"status": 200, "path": "/"}
        line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc12345" and line["status"] == 200 and line["msg"] == "request"
    assert line["ts"].endswith("Z")
