"""Entry point for `flask --app wsgi` and gunicorn (`gunicorn wsgi:app`).

On start the schema is upgraded to the newest migration, and outside production an
empty database receives the demo street."""
import os
import sys

from webapp import create_app
from webapp.cli import prepare_database

app = create_app()

# `flask db ...` manages the schema itself; everything else starts on an upgraded database.
if app.config.get("UPGRADE_ON_START") and not (len(sys.argv) > 1 and "db" in sys.argv[1:4]):
    if os.environ.get("HONGYE_SKIP_PREPARE") != "1":
        prepare_database(app)
