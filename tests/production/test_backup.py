"""Backup and restore: one file with a consistent snapshot of the database (rows still in
SQLite's WAL included) and the uploads; restored into an empty database it gives back
every row and every attachment byte; a non-empty database is refused."""
import os
import sqlite3
import uuid

import pytest
from sqlalchemy import create_engine, inspect, select, table, text
from sqlalchemy.engine import make_url

from webapp import backup, create_app
from webapp.config import TestConfig
from webapp.extensions import db


def _everything(engine):
    """Every row of every table, in a comparable form."""
    out = {}
    with engine.connect() as conn:
        for name in sorted(inspect(engine).get_table_names()):
            rows = conn.execute(select(table(name, *[db.column(c["name"]) for c in inspect(engine).get_columns(name)]))).all()
            out[name] = sorted(tuple(map(repr, r)) for r in rows)
    return out


def _files(root):
    found = {}
    for folder, _, names in os.walk(root):
        for n in names:
            path = os.path.join(folder, n)
            with open(path, "rb") as fh:
                found[os.path.relpath(path, root)] = fh.read()
    return found


@pytest.fixture
def two_databases(tmp_path):
    """A source and an empty target database of the kind the suite runs on."""
    base = make_url(os.environ["TEST_DATABASE_URL"])
    if base.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path}/source.sqlite3", f"sqlite:///{tmp_path}/target.sqlite3"
        return
    names = [f"hongye_bk_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield tuple(base.set(database=n).render_as_string(hide_password=False) for n in names)
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _app(url, uploads):
    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(uploads))


def test_round_trip_keeps_every_row_and_every_byte(two_databases, tmp_path):
    source_url, target_url = two_databases
    source = _app(source_url, tmp_path / "up-source")
    blobs = {"notices/a.pdf": os.urandom(70_000), "photos/b.jpg": bytes(range(256)) * 300, "c.bin": b"\x00\xff" * 9}
    with source.app_context():
        db.create_all()
        from webapp.demo import load

        load()
        for rel, data in blobs.items():
            path = tmp_path / "up-source" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        wal_writer = None
        if source_url.startswith("sqlite"):
            # Rows committed but still only in the WAL (no checkpoint), connection held open:
            # a file copy of the .sqlite3 would lose them.
            wal_writer = sqlite3.connect(make_url(source_url).database)
            wal_writer.execute("PRAGMA wal_autocheckpoint=0")
            wal_writer.execute("INSERT INTO public_post (kind, address, at) VALUES ('opinion', 'wal-only', '2026-12-01')")
            wal_writer.commit()
            assert os.path.getsize(make_url(source_url).database + "-wal") > 0
        before = _everything(db.engine)
        source_files = _files(tmp_path / "up-source")
        snapshot = tmp_path / "hongye.backup"
        manifest = backup.backup(source, str(snapshot))
        if wal_writer:
            wal_writer.close()
        db.engine.dispose()
    from webapp.demo.geography import STREETS

    assert manifest["tables"]["street"] == len(STREETS) and len(manifest["uploads"]) == len(source_files) >= 4

    target = _app(target_url, tmp_path / "up-target")
    runner = target.test_cli_runner()
    with target.app_context():
        result = runner.invoke(args=["restore", str(snapshot)])
        assert result.exit_code == 0, result.output
        assert "已恢复" in result.output
        after = _everything(db.engine)
        assert after == before
        assert wal_writer is None or any("'wal-only'" in r for r in after["public_post"])
        assert _files(tmp_path / "up-target") == source_files and blobs.items() <= source_files.items()
        # Restoring again over a database that now holds rows is refused, and changes nothing.
        again = runner.invoke(args=["restore", str(snapshot)])
        assert again.exit_code != 0 and "目标数据库不为空" in again.output
        assert _everything(db.engine) == before
        db.engine.dispose()


def test_backup_command_writes_one_file(tmp_path):
    app = _app(f"sqlite:///{tmp_path}/one.sqlite3", tmp_path / "uploads")
    with app.app_context():
        db.create_all()
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.tar")])
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert os.listdir(tmp_path) and not (tmp_path / "b.tar.part").exists() and (tmp_path / "b.tar").stat().st_size > 0
