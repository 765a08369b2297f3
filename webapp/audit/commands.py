"""`flask --app wsgi audit-verify` and `flask --app wsgi audit-archive`."""
import os

import click

from . import archive as archiving
from . import chain
from .models import AuditAnchor
from ..extensions import db


def init_app(app):
    @app.cli.command("audit-verify")
    @click.argument("archives", nargs=-1, type=click.Path(exists=True, dir_okay=False))
    def audit_verify(archives):
        """Check the audit log's hash chain (after the given archive files, oldest first);
        report the first broken link, exit status 1 when there is one."""
        try:
            total, start = 0, None
            if archives:
                total, start = archiving.verify_archives(archives)
                known = {a.filename: a.file_sha256 for a in db.session.scalars(db.select(AuditAnchor))}
                for path in archives:
                    expected = known.get(os.path.basename(path))
                    if expected and expected != archiving.file_sha256(path):
                        raise chain.Break(None, f"归档文件 {os.path.basename(path)} 与归档时记录的 SHA-256 不符。")
            total += chain.verify(db.session, start=start)
        except chain.Break as broken:
            click.echo(f"操作记录链接断开：{broken.reason}", err=True)
            raise SystemExit(1)
        click.echo(f"完整：已核对 {total} 条操作记录。")

    @app.cli.command("audit-archive")
    @click.option("--days", type=int, default=None, help="保留天数（默认 AUDIT_RETENTION_DAYS，至少 180）")
    def audit_archive(days):
        """Move entries older than the retention period to a verifiable JSON-lines file."""
        days = days if days is not None else app.config["AUDIT_RETENTION_DAYS"]
        directory = app.config.get("AUDIT_ARCHIVE_DIR") or os.path.join(app.instance_path, "audit-archive")
        try:
            anchor = archiving.archive(db.session, directory, days)
        except archiving.ArchiveError as exc:
            raise click.ClickException(str(exc))
        except chain.Break as broken:
            raise click.ClickException(f"操作记录链接断开，未归档：{broken.reason}")
        if anchor is None:
            click.echo(f"没有超过 {days} 天的操作记录，无需归档。")
            return
        click.echo(f"已归档 {anchor.count} 条操作记录（编号 {anchor.first_id}–{anchor.last_id}）到 "
                   f"{os.path.join(directory, anchor.filename)}，SHA-256 {anchor.file_sha256}。")
