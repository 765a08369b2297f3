"""Entry point for `flask --app wsgi` and gunicorn (`gunicorn -c gunicorn.conf.py wsgi:app`).

Importing this module only builds the app; it never touches the schema. Migrations run
through the `db` command (Flask-Migrate) and the demo street is loaded by
`flask --app wsgi demo-data --if-empty`, each once, as their own steps before any worker
starts (`make serve`, `make run`), so four gunicorn workers cannot race on migrations.

`HONGYE_INPROCESS_JOBS=1` (set by `make run` only) also starts the background-job consumer
as a thread of this process; `make serve` runs it as its own process (`flask jobs-worker`)."""
import os

from webapp import create_app

app = create_app()

if os.environ.get("HONGYE_INPROCESS_JOBS") == "1":
    from webapp.jobs.queue import start_inprocess_consumer

    start_inprocess_consumer(app)
