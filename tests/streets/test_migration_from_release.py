"""Today's single-street database upgrades to the many-streets model: on a copy of a
database the current release (12bb9f3) made — `flask db upgrade` and `demo-data` run by
that release's own code, saved as tests/fixtures/release_12bb9f3.sqlite3.gz — the data
becomes one street under a district under a city, every street-owned row names that
street, nothing is lost, the audit chain still verifies, and the street admin still sees
everything of it.

On PostgreSQL the same rows are copied into a database brought to the release's schema by
the release's migrations (they are the first revisions of ours), then upgraded."""
import gzip
import os
import shutil
import uuid

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from conftest import DEMO_PASSWORD, csrf_from
from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "release_12bb9f3.sqlite3.gz")
RELEASE_HEAD = "production_0007_documents"
# Street-owned tables and what the release's demo holds in each (counts must not change).
COUNTED = ("street", "community", "grid", "compound", "building", "owners_committee", "property_company", "person",
           "position", "cross_appointment", "org_tier", "org_unit", "user", "meeting_kind", "meeting",
           "meeting_requirement", "assessment_template", "assessment_round", "assessment_sheet",
           "assessment_quarter", "notice", "resident_request", "audit_log")
NOT_NULL_STREET = ("compound", "person", "cross_appointment", "org_tier", "org_unit", "meeting_kind", "meeting",
                   "meeting_requirement", "assessment_round", "assessment_quarter", "notice", "resident_request",
                   "assessment_template")


def _counts(conn):
    return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in COUNTED}


@pytest.fixture
def release_sqlite(tmp_path):
    """A fresh copy of the release's database file."""
    path = tmp_path / "release.sqlite3"
    with gzip.open(FIXTURE, "rb") as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def _postgres_copy(sqlite_path):
    """A new PostgreSQL database at the release's schema holding the release file's rows;
    returns its URL (the caller drops it)."""
    base = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"hongye_rel_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = base.set(database=name).render_as_string(hide_password=False)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision=RELEASE_HEAD)
        db.engine.dispose()
    source = create_engine(f"sqlite:///{sqlite_path}")
    target = create_engine(url)
    old, new = MetaData(), MetaData()
    old.reflect(source)
    new.reflect(target)
    with source.connect() as src, target.begin() as dst:
        for table in reversed(new.sorted_tables):  # rows the release's migrations seed (kinds, chain head)
            if table.name != "alembic_version" and dst.execute(select(func.count()).select_from(table)).scalar():
                dst.execute(table.delete())
        for table in old.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [dict(r._mapping) for r in src.execute(table.select())]
            if rows:
                dst.execute(new.tables[table.name].insert(), rows)
        for table in old.sorted_tables:
            if "id" in table.c and table.name not in ("alembic_version", "audit_head"):
                dst.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                 f"COALESCE((SELECT max(id) FROM \"{table.name}\"), 0) + 1, false)"))
    source.dispose()
    target.dispose()
    return url, name


def _drop(name):
    admin = create_engine(make_url(os.environ["TEST_DATABASE_URL"]), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _upgrade_and_check(url):
    before_engine = create_engine(url)
    with before_engine.connect() as conn:
        before = _counts(conn)
        old_district = conn.execute(text("SELECT district FROM street")).scalar()
    before_engine.dispose()
    assert before["street"] == 1 and before["compound"] == 15 and before["audit_log"] > 1000

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as conn:
            after = _counts(conn)
            assert after == before, "the upgrade lost or added rows"
            columns = {c["name"] for c in inspect(conn).get_columns("street")}
            assert "district" not in columns and {"region_id", "slug", "code"} <= columns
            # One street under one district (named as the old text said) under one city.
            street = conn.execute(text("SELECT id, region_id, slug FROM street")).one()
            district = conn.execute(text("SELECT id, name, parent_id, tier_id FROM region WHERE id = :i"),
                                    {"i": street.region_id}).one()
            city = conn.execute(text("SELECT id, name, parent_id, tier_id FROM region WHERE id = :i"),
                                {"i": district.parent_id}).one()
            tiers = dict(conn.execute(text("SELECT id, level FROM region_tier")).all())
            assert district.name == old_district == "青岛西海岸新区"
            assert city.name == "青岛市" and city.parent_id is None
            assert tiers[district.tier_id] == 2 and tiers[city.tier_id] == 1
            assert street.slug
            # Every street-owned row names the street; street-level users too.
            for table in NOT_NULL_STREET:
                other = conn.execute(text(f'SELECT count(*) FROM "{table}" WHERE street_id IS NULL '
                                          f'OR street_id <> :s'), {"s": street.id}).scalar()
                assert other == 0, f"{table}: {other} rows without the street"
            assert conn.execute(text("SELECT count(*) FROM property_company WHERE registered_street_id = :s"),
                                {"s": street.id}).scalar() == before["property_company"]
            users = dict(conn.execute(text('SELECT username, street_id FROM "user"')).all())
            for username in ("street_admin", "shuangzhu_staff", "jiyang_staff", "grid_worker", "resident_rep"):
                assert users[username] == street.id, username
            assert users["company_manager"] is None and users["system_admin"] is None
        from webapp.audit import chain

        assert chain.verify(db.session) == before["audit_log"]  # the append-only log is untouched

        # The street admin still sees all of it.
        from webapp.compounds.models import Compound
        from webapp.people.models import Person

        client = app.test_client()
        page = client.get("/login")
        r = client.post("/login", data={"username": "street_admin", "password": DEMO_PASSWORD,
                                        "csrf_token": csrf_from(page.get_data(as_text=True))})
        assert r.status_code == 303
        listing = client.get("/compounds/").get_data(as_text=True)
        names = db.session.scalars(select(Compound.name)).all()
        assert len(names) == 15 and all(name in listing for name in names)
        people = client.get("/people/?q=张英").get_data(as_text=True)
        assert "双珠路社区党委书记" in people
        assert client.get("/audit/").status_code == 200
        log = client.get("/audit/?user=street_admin").get_data(as_text=True)
        assert "street_admin" in log or "王主任" in log  # entries from before the upgrade, by its users
        total = db.session.scalar(select(func.count()).select_from(Person))
        assert total == before["person"]
        db.session.remove()
        db.engine.dispose()


def test_release_database_upgrades_to_one_street_under_a_district(release_sqlite):
    if make_url(os.environ["TEST_DATABASE_URL"]).get_backend_name() == "postgresql":
        url, name = _postgres_copy(release_sqlite)
        try:
            _upgrade_and_check(url)
        finally:
            _drop(name)
    else:
        _upgrade_and_check(f"sqlite:///{release_sqlite}")
