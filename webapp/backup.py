"""`flask --app wsgi backup FILE` and `restore FILE`: one file holding a consistent snapshot
of the database and the uploaded files.

The file is a tar archive:
- `manifest.json`: format, database kind, schema revision, time, every table's row count,
  every upload's size and SHA-256;
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the app writes,
  WAL included — never a file copy) or `database.pgdump` (`pg_dump --format=custom`);
- `uploads/…`: the upload directory, copied after the database snapshot, so every file a
  snapshot row names is there.

`restore` refuses a database that holds any row (or an upload directory with files), puts
the snapshot in, then checks the row counts and every file's SHA-256 against the manifest.
"""
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile

import click
from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url

from .extensions import db
from .models_base import utcnow

FORMAT = "hongye-backup-1"


class BackupError(click.ClickException):
    pass


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq_url(url):
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _row_counts(engine, conn=None):
    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
    if conn is None:
        with engine.connect() as conn:
            return _row_counts(engine, conn)
    return {n: conn.execute(select(func.count()).select_from(table(n))).scalar() for n in sorted(names)}


def _revision(engine):
    try:
        with engine.connect() as conn:
            return sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except Exception:
        return []


def _upload_files(root):
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            path = os.path.join(folder, name)
            yield os.path.relpath(path, root), path


def _snapshot_database(url, workdir):
    """A consistent snapshot file of the database; returns its archive name, its path and
    its row counts (taken from the same snapshot)."""
    if url.get_backend_name() == "sqlite":
        target = os.path.join(workdir, "database.sqlite3")
        source = sqlite3.connect(url.database)
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)  # the online backup API: pages copied under a read lock
        finally:
            dest.close()
            source.close()
        engine = create_engine(f"sqlite:///{target}")
        counts = _row_counts(engine)
        engine.dispose()
        return "database.sqlite3", target, counts
    if url.get_backend_name() == "postgresql":
        # The rows are counted in a transaction whose snapshot pg_dump then dumps.
        target = os.path.join(workdir, "database.pgdump")
        with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
            counts = _row_counts(db.engine, conn)
            _run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", "--file", target,
                  _libpq_url(url)])
        return "database.pgdump", target, counts
    raise BackupError(f"不支持的数据库类型：{url.get_backend_name()}")


def _run(cmd):
    if shutil.which(cmd[0]) is None:
        raise BackupError(f"找不到 {cmd[0]}（Debian 软件包 postgresql-client）。")
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} 失败：{done.stderr.strip()[:500]}")


def backup(app, path):
    """Write the snapshot file; returns the manifest."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    upload_dir = app.config["UPLOAD_DIR"]
    with tempfile.TemporaryDirectory(prefix="hongye-backup-") as workdir:
        name, snapshot, counts = _snapshot_database(url, workdir)
        revision = _revision(db.engine)
        files = {}
        tmp_path = f"{path}.part"
        with tarfile.open(tmp_path, "w") as tar:
            tar.add(snapshot, arcname=name)
            if os.path.isdir(upload_dir):
                for rel, full in _upload_files(upload_dir):
                    files[rel] = {"size": os.path.getsize(full), "sha256": _sha256(full)}
                    tar.add(full, arcname=f"uploads/{rel}")
            manifest = {"format": FORMAT, "database": url.get_backend_name(), "database_file": name,
                        "schema_revision": revision, "created_at": utcnow().isoformat() + "Z",
                        "tables": counts, "uploads": files}
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        os.replace(tmp_path, path)  # a half-written backup never carries the final name
    return manifest


def _database_is_empty(engine):
    return all(n == 0 for n in _row_counts(engine).values())


def restore(app, path):
    """Read a snapshot file back into an empty database and an empty upload directory."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    upload_dir = app.config["UPLOAD_DIR"]
    if not _database_is_empty(db.engine):
        raise BackupError("目标数据库不为空，拒绝恢复（请恢复到一个新建的空数据库）。")
    if os.path.isdir(upload_dir) and any(True for _ in _upload_files(upload_dir)):
        raise BackupError(f"上传目录 {upload_dir} 中已有文件，拒绝恢复。")
    with tarfile.open(path, "r") as tar, tempfile.TemporaryDirectory(prefix="hongye-restore-") as workdir:
        manifest = json.load(tar.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError("不是本系统的备份文件。")
        if manifest["database"] != url.get_backend_name():
            raise BackupError(f"备份来自 {manifest['database']}，不能恢复到 {url.get_backend_name()}。")
        tar.extract(manifest["database_file"], workdir, filter="data")
        snapshot = os.path.join(workdir, manifest["database_file"])
        db.session.remove()
        db.engine.dispose()
        if url.get_backend_name() == "sqlite":
            source, dest = sqlite3.connect(snapshot), sqlite3.connect(url.database)
            try:
                source.backup(dest)
            finally:
                dest.close()
                source.close()
        else:
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                  "--dbname", _libpq_url(url), snapshot])
        for rel, meta in manifest["uploads"].items():
            member = tar.getmember(f"uploads/{rel}")
            target = os.path.realpath(os.path.join(upload_dir, rel))
            if not target.startswith(os.path.realpath(upload_dir) + os.sep):
                raise BackupError(f"备份中的文件路径无效：{rel}")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with tar.extractfile(member) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            if _sha256(target) != meta["sha256"]:
                raise BackupError(f"文件 {rel} 校验失败（SHA-256 不符）。")
    counts = _row_counts(db.engine)
    if counts != manifest["tables"]:
        raise BackupError("恢复后的行数与备份清单不符。")
    return manifest


def init_app(app):
    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False))
    def backup_cmd(path):
        """Write a consistent snapshot of the database and the uploads to PATH."""
        manifest = backup(app, path)
        click.echo(f"已备份到 {path}：{sum(manifest['tables'].values())} 行数据，"
                   f"{len(manifest['uploads'])} 个上传文件。")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def restore_cmd(path):
        """Restore a snapshot written by `backup` into an empty database."""
        manifest = restore(app, path)
        click.echo(f"已恢复：{sum(manifest['tables'].values())} 行数据，{len(manifest['uploads'])} 个上传文件。")
