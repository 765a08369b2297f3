"""Automatic audit: every insert, update and delete of an audited model is logged.

A session hook reads each flushed object's attribute history, so no write path can
forget to audit. `record()` adds an explicit entry for actions that are not plain
column changes (sign-in, withdrawal with a reason, approval …).
"""
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from .models import AuditLog
from ..models_base import utcnow

SKIP = {"created_at", "updated_at", "version"}
MASK = {"password_hash"}


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    return value


def _actor():
    if has_request_context():
        try:
            if current_user and current_user.is_authenticated:
                return current_user.id, current_user.username
        except Exception:  # no login manager bound (e.g. bare scripts)
            pass
        return None, "anonymous"
    return None, "system"


def _label(obj):
    for attr in ("name", "title", "username"):
        value = getattr(obj, attr, None)
        if isinstance(value, str):
            return value[:200]
    return ""


def _columns(obj):
    return [c for c in inspect(obj).mapper.column_attrs if c.key not in SKIP]


def _diff(obj, action):
    state = inspect(obj)
    changes = {}
    for attr in _columns(obj):
        hist = state.attrs[attr.key].history
        if action == "create":
            value = getattr(obj, attr.key)
            if value is not None and attr.key != "id":
                changes[attr.key] = [None, "***" if attr.key in MASK else _plain(value)]
        elif action == "delete":
            value = hist.deleted[0] if hist.deleted else getattr(obj, attr.key)
            if value is not None and attr.key != "id":
                changes[attr.key] = ["***" if attr.key in MASK else _plain(value), None]
        elif hist.has_changes():
            before = hist.deleted[0] if hist.deleted else _UNKNOWN
            after = hist.added[0] if hist.added else None
            changes[attr.key] = [before, after]
    if action == "update":
        _fill_unknown_before(obj, changes)
        for key, (before, after) in list(changes.items()):
            if before == after:
                del changes[key]
            elif key in MASK:
                changes[key] = ["***", "***(changed)"]
            else:
                changes[key] = [_plain(before), _plain(after)]
    return changes


_UNKNOWN = object()


def _fill_unknown_before(obj, changes):
    """An attribute set after its row was expired has no loaded old value: read the
    row as it still stands in the database (the flush has not run yet)."""
    missing = [k for k, (before, _) in changes.items() if before is _UNKNOWN]
    if not missing:
        return
    state = inspect(obj)
    table = state.mapper.local_table
    cols = [state.mapper.get_property(k).columns[0] for k in missing]
    pk = state.mapper.primary_key[0]
    row = state.session.connection().execute(
        select(*cols).where(pk == state.identity[0])
    ).first()
    for i, key in enumerate(missing):
        changes[key][0] = row[i] if row is not None else None


def _pending_rows(session):
    rows = []
    for action, objs in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objs:
            if not getattr(obj, "__audited__", False):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _diff(obj, action)
            if action == "update" and not changes:
                continue
            rows.append((action, obj, changes))
    return rows


def _before_flush(session, flush_context, instances):
    session.info["audit_pending"] = _pending_rows(session)


def _after_flush(session, flush_context):
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    user_id, username = _actor()
    rows = []
    for action, obj, changes in pending:
        rows.append(
            dict(
                at=utcnow(),
                user_id=user_id,
                username=username,
                action=action,
                entity=obj.__tablename__,
                entity_id=inspect(obj).identity[0] if inspect(obj).identity else getattr(obj, "id", None),
                label=_label(obj),
                changes=changes,
                note="",
            )
        )
    session.connection().execute(AuditLog.__table__.insert(), rows)


def install():
    """Attach the hooks to every SQLAlchemy session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)


def record(session, action, obj=None, note="", entity=None, changes=None):
    """Log an action that is not a column change (e.g. '撤回' with its reason)."""
    user_id, username = _actor()
    session.add(
        AuditLog(
            user_id=user_id,
            username=username,
            action=action,
            entity=entity or (obj.__tablename__ if obj is not None else ""),
            entity_id=getattr(obj, "id", None),
            label=_label(obj) if obj is not None else "",
            changes=changes or {},
            note=note[:500],
        )
    )


def record_unmask(record_obj, field):
    """Log that the signed-in user revealed a masked personal field (e.g. a phone).

    Minimal version added by the access work until the audit work's own lands."""
    from ..extensions import db

    record(db.session, "unmask", record_obj, note=f"查看完整{ {'phone': '电话'}.get(field, field) }")
