"""Retention: entries older than AUDIT_RETENTION_DAYS (at least 180) move to a file.

`archive()` writes the oldest entries, in id order, to a JSON-lines file (one entry per
line with its `prev_hash` and `hash`, so the file verifies on its own), checks the chain
while writing, syncs the file to disk, records an `AuditAnchor` (range, last hash, file
name and the file's SHA-256) and only then deletes the archived entries — the one DELETE
the triggers allow (covered by an anchor and older than 180 days). The archive itself
is an entry in the log, so nothing leaves silently.
"""
import hashlib
import json
import os
from datetime import datetime, timedelta

from sqlalchemy import func, select

from . import chain
from .models import AuditAnchor, AuditLog
from .schema import MIN_RETENTION_DAYS
from .services import record
from ..models_base import utcnow


class ArchiveError(ValueError):
    """The archive refused to run (message in Chinese)."""


def _line(entry):
    payload = dict(entry)
    payload["at"] = payload["at"].isoformat(timespec="microseconds")
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def read_archive(path):
    """The entries of an archive file, as `chain.walk` expects them."""
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                entry = json.loads(line)
                entry["at"] = datetime.fromisoformat(entry["at"])
            except (ValueError, KeyError, TypeError) as exc:
                raise chain.Break(None, f"归档文件第 {number} 行无法读取：{exc}") from exc
            yield entry


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def archive(session, directory, retention_days, now=None, batch=1000):
    """Archive every entry older than `retention_days` (≥ 180). Returns the new anchor,
    or None when nothing is old enough."""
    if retention_days < MIN_RETENTION_DAYS:
        raise ArchiveError(f"保留期不能少于 {MIN_RETENTION_DAYS} 天。")
    before = (now or utcnow()) - timedelta(days=retention_days)
    # The archived entries are a prefix of the log: up to the first one that is still
    # young enough (entry times follow ids closely, not strictly).
    young = session.scalar(select(func.min(AuditLog.id)).where(AuditLog.at >= before))
    old = select(AuditLog.__table__).where(AuditLog.at < before)
    if young is not None:
        old = old.where(AuditLog.id < young)
    anchor = session.execute(select(AuditAnchor).order_by(AuditAnchor.last_id.desc()).limit(1)).scalar()
    prev_id, prev_hash = (anchor.last_id, anchor.last_hash) if anchor else (0, chain.GENESIS)
    if session.scalar(select(func.count()).select_from(old.subquery())) == 0:
        return None

    os.makedirs(directory, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    final = os.path.join(directory, f"audit-{stamp}.jsonl")
    partial = final + ".part"
    first_id = last_id = None
    count = 0
    try:
        with open(partial, "w", encoding="utf-8") as fh:
            after = prev_id
            while True:
                rows = session.execute(old.where(AuditLog.id > after).order_by(AuditLog.id).limit(batch)).mappings().all()
                if not rows:
                    break
                entries = [chain.row_entry(dict(r)) for r in rows]
                n, last_id, prev_hash = chain.walk(entries, prev_hash, after)  # refuses to archive a broken chain
                first_id = first_id or entries[0]["id"]
                count += n
                for entry in entries:
                    fh.write(_line(entry) + "\n")
                after = last_id
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.remove(partial)
        raise
    os.replace(partial, final)

    anchor = AuditAnchor(at=utcnow(), first_id=first_id, last_id=last_id, last_hash=prev_hash, count=count,
                         before=before, filename=os.path.basename(final), file_sha256=file_sha256(final))
    session.add(anchor)
    session.flush()
    session.execute(AuditLog.__table__.delete().where(AuditLog.id <= last_id))
    record(session, "archive", entity="audit_log",
           note=f"归档 {count} 条操作记录（编号 {first_id}–{last_id}，{before:%Y-%m-%d} 之前）到 {anchor.filename}",
           changes={"file": anchor.filename, "sha256": anchor.file_sha256, "first_id": first_id, "last_id": last_id})
    session.commit()
    return anchor


def verify_archives(paths):
    """Check archive files in order: each chains on from the one before (the first from
    its own first link, or the chain's start). Returns (count, (last_id, last_hash))."""
    total, start = 0, None
    for path in paths:
        entries = list(read_archive(path))
        if not entries:
            continue
        prev_hash = start[1] if start else entries[0]["prev_hash"]
        after = start[0] if start else entries[0]["id"] - 1
        n, last_id, last_hash = chain.walk(entries, prev_hash, after)
        total += n
        start = (last_id, last_hash)
    return total, start
