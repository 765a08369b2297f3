"""Migrations are the only way the schema changes: upgrading an empty database must
give exactly the schema the models describe, on SQLite and on PostgreSQL."""
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text

from webapp.requests.textsearch import is_search_object
from sqlalchemy.engine import make_url

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database of the same kind the suite runs on."""
    base = make_url(os.environ["TEST_DATABASE_URL"])
    if base.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path}/migrations.sqlite3"
        return
    name = f"hongye_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_of_empty_database_matches_models(empty_database_url):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={
                "compare_type": True, "include_object": is_search_object}), db.metadata)
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"
    assert {"compound", "building", "property_company", "audit_log", "alembic_version"} <= tables


def test_healthz_reports_the_schema_revision(empty_database_url):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(revision="heads")
        body = app.test_client().get("/healthz").get_json()
        db.engine.dispose()
    assert body["status"] == "ok"
    assert body["schema_revision"], "no revision reported after upgrade"


def test_migrations_have_a_single_head(app):
    """`flask --app wsgi db upgrade` (to "head") needs exactly one head revision."""
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
