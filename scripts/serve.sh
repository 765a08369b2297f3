#!/usr/bin/env bash
# `make serve`: the schema upgrade and the demo step once, then the job consumer and
# gunicorn as two processes; stopping one (Ctrl+C, SIGTERM) stops the other.
set -euo pipefail
cd "$(dirname "$0")/.."
FLASK=".venv/bin/flask --app wsgi"
# The metrics directory must exist before any process of the app starts (the exporter's
# multi-process mode refuses a missing one); gunicorn empties it when it starts.
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then mkdir -p "$PROMETHEUS_MULTIPROC_DIR"; fi
$FLASK db upgrade
$FLASK demo-data --if-empty   # does nothing in production or with HONGYE_LOAD_DEMO=0
$FLASK jobs-worker &
worker=$!
.venv/bin/gunicorn -c gunicorn.conf.py wsgi:app &
web=$!
trap 'kill -TERM $web $worker 2>/dev/null || true' INT TERM
wait -n $web $worker || true
kill -TERM $web $worker 2>/dev/null || true
wait
