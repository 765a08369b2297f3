"""Automatic audit: every insert, update and delete of an audited model is logged.

A session hook reads each flushed object's attribute history, so no write path can
forget to audit. The diff of a new or changed row is read after the flush, when the
foreign keys a relationship sets (`unit.parent = other`, a tree move) have been written
into their columns; before the flush they are still only on the relationship. Deleted
rows and the old values of unloaded columns are read before the flush, while the rows
still stand.

Entries wait in `session.info` and are chained onto the log when the transaction commits
(`chain.append` under the head lock), in the same transaction as the change they
describe; a rollback (whole or to a savepoint) drops the entries of what it undid.

`record()` adds an explicit entry for actions that are not plain column changes
(sign-in, withdrawal with a reason, approval …); `record_export()` and `record_unmask()`
are the two a domain calls when personal data leaves the page.
"""
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from . import chain, labels
from ..models_base import utcnow

SKIP = {"created_at", "updated_at", "version"}
MASK = {"password_hash", "totp_secret"}
PENDING = "audit_pending"


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    return value


def client_address():
    """The client's address as the app sees it. Behind a reverse proxy set
    TRUSTED_PROXIES (the number of proxies in front of the app): `create_app` then reads
    X-Forwarded-For through werkzeug's ProxyFix, and only then; an address a client
    writes into that header itself is never believed otherwise."""
    if has_request_context():
        return (request.remote_addr or "")[:64]
    return ""


def _actor():
    """(user_id, username, role) of whoever is acting: the signed-in user, "anonymous" for
    a request without one, "system" for scripts and commands."""
    if has_request_context():
        try:
            if current_user and current_user.is_authenticated:
                return current_user.id, current_user.username, current_user.role or ""
        except Exception:  # no login manager bound (e.g. bare scripts)
            pass
        return None, "anonymous", ""
    return None, "system", ""


def _actor_street():
    """The acting user's own street (street admin, resident rep, community and grid users;
    None for everyone else): a street admin reads the entries of its street."""
    if has_request_context():
        try:
            if current_user and current_user.is_authenticated:
                return getattr(current_user, "street_id", None)
        except Exception:
            pass
    return None


def _entry(action, entity, entity_id, label, changes, note, username=None):
    user_id, actor, role = _actor()
    return dict(
        at=utcnow(), user_id=user_id, username=username or actor, role=role, address=client_address(),
        action=action, entity=entity or "", entity_id=entity_id, label=label or "", changes=changes or {},
        note=note or "", street_id=_actor_street(),
    )


def _columns(obj):
    return [c for c in inspect(obj).mapper.column_attrs if c.key not in SKIP]


def _shown(key, value):
    return "***" if key in MASK else _plain(value)


def _created(obj):
    changes = {}
    for attr in _columns(obj):
        value = getattr(obj, attr.key)
        if value is not None and attr.key != "id":
            changes[attr.key] = [None, _shown(attr.key, value)]
    return changes


def _deleted(obj):
    state = inspect(obj)
    changes = {}
    for attr in _columns(obj):
        hist = state.attrs[attr.key].history
        value = hist.deleted[0] if hist.deleted else getattr(obj, attr.key)
        if value is not None and attr.key != "id":
            changes[attr.key] = [_shown(attr.key, value), None]
    return changes


def _stored_values(obj):
    """The row as it stands in the database, for the columns whose old value is not in
    the attribute history (set after the row was expired, or not loaded at all and maybe
    set by a relationship during the flush). Read before the flush overwrites them."""
    state = inspect(obj)
    unloaded = state.unloaded
    keys = []
    for attr in _columns(obj):
        if attr.key == "id":
            continue
        hist = state.attrs[attr.key].history
        if attr.key in unloaded or (hist.added and not hist.deleted):
            keys.append(attr.key)
    if not keys or not state.identity:
        return {}
    cols = [state.mapper.get_property(k).columns[0] for k in keys]
    pk = state.mapper.primary_key[0]
    row = state.session.connection().execute(select(*cols).where(pk == state.identity[0])).first()
    return dict(zip(keys, row)) if row is not None else {}


def _updated(obj, stored):
    state = inspect(obj)
    changes = {}
    for attr in _columns(obj):
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        before = hist.deleted[0] if hist.deleted else stored.get(attr.key)
        after = hist.added[0] if hist.added else None
        if before == after:
            continue
        if attr.key in MASK:
            changes[attr.key] = ["***", "***(changed)"]
        else:
            changes[attr.key] = [_plain(before), _plain(after)]
    return changes


def _pk(obj):
    """The row's id (known after the flush even before the identity map has it)."""
    state = inspect(obj)
    if state.identity:
        return state.identity[0]
    return state.mapper.primary_key_from_instance(obj)[0]


def _audited(obj):
    return getattr(obj, "__audited__", False)


def _pending(session):
    return session.info.setdefault(PENDING, [])


def _before_flush(session, flush_context, instances):
    """Deleted rows' last values, and the stored values of unloaded columns of rows about
    to change: both are gone after the flush."""
    flush = session.info["audit_flush"] = {"deleted": [], "stored": {}}
    for obj in session.deleted:
        if _audited(obj):
            flush["deleted"].append((obj, _deleted(obj), labels.name_of(obj)))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            flush["stored"][id(obj)] = _stored_values(obj)


def _after_flush(session, flush_context):
    flush = session.info.pop("audit_flush", {"deleted": [], "stored": {}})
    entries = []
    for obj in session.new:
        if _audited(obj):
            entries.append(_entry("create", obj.__tablename__, _pk(obj), labels.name_of(obj), _created(obj), ""))
    for obj in session.dirty:
        if not _audited(obj) or obj in session.deleted:
            continue
        changes = _updated(obj, flush["stored"].get(id(obj), {}))
        if changes:
            entries.append(_entry("update", obj.__tablename__, _pk(obj), labels.name_of(obj), changes, ""))
    for obj, changes, name in flush["deleted"]:
        entries.append(_entry("delete", obj.__tablename__, _pk(obj), name, changes, ""))
    _queue(session, entries)


def _queue(session, entries):
    if not entries:
        return
    if session.info.get("audit_committing"):  # a flush after ours, inside the commit
        chain.append(session.connection(), entries)
    else:
        _pending(session).extend(entries)


def _before_commit(session):
    """Flush what is left, then chain every waiting entry onto the log, inside the
    transaction that is about to commit."""
    if session.in_nested_transaction():
        return
    session.flush()
    entries = session.info.pop(PENDING, [])
    for entry in entries:
        obj = entry.pop("_obj", None)
        if obj is not None:  # recorded before its first flush: the id is known now
            entry["entity_id"] = getattr(obj, "id", None)
    session.info["audit_committing"] = True
    if entries:
        chain.append(session.connection(), entries)


def _after_transaction_end(session, transaction):
    if transaction.parent is None:
        session.info.pop("audit_committing", None)


def _savepoint_marks(session):
    return session.info.setdefault("audit_savepoints", {})


def _after_transaction_create(session, transaction):
    if transaction.nested:
        _savepoint_marks(session)[id(transaction)] = len(_pending(session))


def _after_soft_rollback(session, previous_transaction):
    """A rollback drops the entries of the work it undid."""
    if previous_transaction.nested:
        mark = _savepoint_marks(session).pop(id(previous_transaction), None)
        if mark is not None:
            del _pending(session)[mark:]
    elif previous_transaction.parent is None:
        session.info.pop(PENDING, None)
        session.info.pop("audit_savepoints", None)
        session.info.pop("audit_committing", None)


_HOOKS = (
    ("before_flush", _before_flush),
    ("after_flush", _after_flush),
    ("before_commit", _before_commit),
    ("after_transaction_end", _after_transaction_end),
    ("after_transaction_create", _after_transaction_create),
    ("after_soft_rollback", _after_soft_rollback),
)


def install():
    """Attach the hooks to every SQLAlchemy session (idempotent)."""
    for name, fn in _HOOKS:
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)


def record(session, action, obj=None, note="", entity=None, changes=None, username=None):
    """Log an action that is not a column change (e.g. '撤回' with its reason). It is
    written when `session` commits. `username` names the account of an anonymous
    request (a failed sign-in); otherwise the signed-in user is the actor."""
    entry = _entry(
        action,
        entity or (obj.__tablename__ if obj is not None else ""),
        getattr(obj, "id", None),
        labels.name_of(obj) if obj is not None else "",
        changes,
        note[:500],
        username=username,
    )
    if obj is not None and entry["entity_id"] is None:
        entry["_obj"] = obj
    _pending(session).append(entry)


def commit_entries(session):
    """Commit what `record()` queued in a request that only read (a page view, an export,
    an unmask). The read transaction ends first, then the entries are written in a new
    one whose first statement takes the chain head's lock: on SQLite a read snapshot that
    turned into a write would fail ("database is locked") if anyone committed meanwhile."""
    entries = session.info.pop(PENDING, [])
    session.commit()
    session.info[PENDING] = entries
    session.commit()


def record_export(what, filters, count, personal=(), entity="", response=None):
    """Log an export of personal data and commit: "导出 人员名单 115 条，含电话".

    `what` names the list, `filters` maps each filter (its query-string name or Chinese
    label) to its value (empty values are left out), `count` is the number of rows
    exported, `personal` names the personal fields the file carries. Given the view's
    `response`, the export is logged only when it is the file itself (a large export first
    answers a page offering a background job, which runs the view again), and the
    response is returned."""
    from ..extensions import db

    headers = getattr(response, "headers", None)
    if response is not None and (headers is None or "attachment" not in headers.get("Content-Disposition", "")):
        return response

    note = f"导出 {what} {count} 条"
    if personal:
        note += "，含" + "、".join(personal)
    shown = {labels.FILTERS.get(k, k): str(v) for k, v in (filters or {}).items() if v not in (None, "", [], ())}
    if shown:
        note += "；筛选：" + "，".join(f"{k}={v}" for k, v in shown.items())
    record(db.session, "export", entity=entity, note=note, changes={"filters": shown, "count": count})
    commit_entries(db.session)
    return response


def record_unmask(obj, field):
    """Log that the signed-in user revealed `obj`'s full `field` (a phone number), and
    commit: the page that shows it is a read, but the reveal is not."""
    from ..extensions import db

    label = labels.field_label(obj.__tablename__, field) or field
    record(db.session, "unmask", obj, note=f"查看完整{label}", changes={"field": field})
    commit_entries(db.session)
