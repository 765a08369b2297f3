"""The hash chain: each entry's SHA-256 covers its content and the previous entry's hash.

Appending takes the chain head's row lock (`UPDATE audit_head ...` first, so PostgreSQL
holds a row lock and SQLite its write lock until the transaction ends), reads the newest
link, and writes the new entries with consecutive ids onto it. Two writers therefore
queue at the head instead of chaining onto the same entry. Writers take the lock only
at commit time (see `services`), after their own flush, so it is held for milliseconds and
never while waiting for another row lock.
"""
import hashlib
import json
from datetime import datetime

from sqlalchemy import select, text

from .models import AuditAnchor, AuditHead, AuditLog

GENESIS = "0" * 64
HEAD_ID = 1
# The fields a hash covers, in the order they are serialised (keys are sorted anyway).
FIELDS = ("id", "at", "user_id", "username", "role", "address", "action", "entity", "entity_id",
          "label", "changes", "note", "prev_hash")
# Fields added later: covered by the hash only when set, so entries written before they
# existed (where they are empty) still verify. street_id: the acting user's street.
OPTIONAL_FIELDS = ("street_id",)
LIMITS = {"username": 64, "role": 32, "address": 64, "action": 32, "entity": 64, "label": 200, "note": 500}


def normalise_changes(changes):
    """The changes as they will read back from the JSON column (tuples become lists …)."""
    return json.loads(json.dumps(changes or {}, ensure_ascii=False, default=str))


def canonical(entry):
    """The exact bytes an entry's hash covers: its fields as sorted, compact JSON."""
    payload = {}
    for key in FIELDS:
        value = entry[key]
        if isinstance(value, datetime):
            value = value.isoformat(timespec="microseconds")
        payload[key] = value
    for key in OPTIONAL_FIELDS:
        if entry.get(key) is not None:
            payload[key] = entry[key]
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(entry):
    return hashlib.sha256(canonical(entry)).hexdigest()


def clip(entry):
    """Cut text fields to their column lengths before hashing, so what is stored is what
    was hashed."""
    for key, limit in LIMITS.items():
        entry[key] = (entry.get(key) or "")[:limit]
    entry["changes"] = normalise_changes(entry.get("changes"))
    return entry


def _lock_head(conn):
    """Lock the head row (creating it on an empty database) and return (last_id, last_hash)."""
    head = AuditHead.__table__
    bump = head.update().where(head.c.id == HEAD_ID).values(last_id=head.c.last_id)
    if conn.execute(bump).rowcount == 0:
        last = conn.execute(select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).limit(1)).first()
        anchor = conn.execute(select(AuditAnchor.last_id, AuditAnchor.last_hash)
                              .order_by(AuditAnchor.last_id.desc()).limit(1)).first()
        last_id, last_hash = last or anchor or (0, GENESIS)
        insert = "INSERT OR IGNORE" if conn.dialect.name == "sqlite" else "INSERT"
        suffix = "" if conn.dialect.name == "sqlite" else " ON CONFLICT (id) DO NOTHING"
        conn.execute(text(f"{insert} INTO audit_head (id, last_id, last_hash) VALUES (:id, :last_id, :last_hash){suffix}"),
                     {"id": HEAD_ID, "last_id": last_id, "last_hash": last_hash})
        conn.execute(bump)
    return conn.execute(select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == HEAD_ID)).one()


def append(conn, entries):
    """Chain `entries` (dicts with every field but id, prev_hash and hash) onto the log,
    inside the caller's transaction. Returns the stored rows."""
    if not entries:
        return []
    last_id, last_hash = _lock_head(conn)
    rows = []
    for entry in entries:
        row = clip(dict(entry))
        last_id += 1
        row["id"] = last_id
        row["prev_hash"] = last_hash
        row["hash"] = last_hash = digest(row)
        rows.append(row)
    conn.execute(AuditLog.__table__.insert(), rows)
    head = AuditHead.__table__
    conn.execute(head.update().where(head.c.id == HEAD_ID).values(last_id=last_id, last_hash=last_hash))
    return rows


def row_entry(row):
    """A stored row (ORM object or mapping) as the dict `digest` expects."""
    get = row.get if isinstance(row, dict) else (lambda k: getattr(row, k, None))
    return {key: get(key) for key in FIELDS + OPTIONAL_FIELDS} | {"hash": get("hash")}


class Break(Exception):
    """The first broken link: which entry and why (a Chinese sentence)."""

    def __init__(self, entry_id, reason):
        super().__init__(reason)
        self.entry_id = entry_id
        self.reason = reason


def walk(entries, prev_hash, after_id=0):
    """Check a sequence of entries (in id order) chains from `prev_hash`. Returns
    (count, last_id, last_hash); raises Break at the first entry that does not fit."""
    count, last_id = 0, after_id
    for entry in entries:
        if entry["id"] <= last_id:
            raise Break(entry["id"], f"第 {entry['id']} 条的编号不在前一条（{last_id}）之后。")
        if entry["prev_hash"] != prev_hash:
            raise Break(entry["id"], f"第 {entry['id']} 条与前一条（{last_id}）的链接断开：前一条记录缺失、被删除或被改动。")
        if digest(entry) != entry["hash"]:
            raise Break(entry["id"], f"第 {entry['id']} 条的内容与其哈希不符：该记录被改动。")
        prev_hash, last_id = entry["hash"], entry["id"]
        count += 1
    return count, last_id, prev_hash


def verify(session, start=None, batch=1000):
    """Walk the online log from the newest archive anchor (or the chain's start) and
    check the head still names the newest entry. Reads in id-ordered batches, so memory
    stays flat however long the log is. `start` = (last_id, last_hash) of an archive
    verified beforehand. Returns the number of entries checked; raises Break."""
    if start is None:
        anchor = session.execute(select(AuditAnchor.last_id, AuditAnchor.last_hash)
                                 .order_by(AuditAnchor.last_id.desc()).limit(1)).first()
        start = tuple(anchor) if anchor else (0, GENESIS)
    after_id, prev_hash = start
    total = 0

    def batches():
        nonlocal after_id
        while True:
            rows = session.execute(select(AuditLog.__table__).where(AuditLog.id > after_id)
                                   .order_by(AuditLog.id).limit(batch)).mappings().all()
            if not rows:
                return
            for row in rows:
                yield row_entry(dict(row))
            after_id = rows[-1]["id"]

    count, last_id, last_hash = walk(batches(), prev_hash, start[0])
    total += count
    head = session.execute(select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == HEAD_ID)).first()
    if head is not None and (head.last_id, head.last_hash) != (last_id, last_hash):
        if head.last_id > last_id:
            raise Break(head.last_id, f"最新的第 {head.last_id} 条记录已不在日志中（日志末尾被截断）。")
        raise Break(last_id, f"第 {head.last_id} 条之后的记录不是经由链头写入的。")
    return total
