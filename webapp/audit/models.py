"""The audit log: who changed what, when, from where, with the values before and after.

The log is append-only (database triggers refuse UPDATE and DELETE, see `schema.py`), each
entry carries a SHA-256 hash chained to the previous one (`chain.py`), and entries older
than the retention period leave the database only after they were written to an archive
file, which an `AuditAnchor` row records.
"""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class AuditLog(db.Model):
    """One row per inserted, updated or deleted record (written by the flush hook), or per
    action that is not a column change (`services.record()`: sign-in, export, approval …)."""

    __tablename__ = "audit_log"
    __audited__ = False
    __table_args__ = (
        Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),
        # A street admin's older entries (no street_id, by its street's users), newest first.
        Index("ix_audit_log_street_user", "street_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[Optional[int]] = mapped_column(index=True)
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32), default="", index=True)
    # The acting user's street (empty for users above or outside a street, and for
    # entries written before the many-streets release): a street admin reads its own.
    street_id: Mapped[Optional[int]] = mapped_column(index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(32), index=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[Optional[int]] = mapped_column()
    label: Mapped[str] = mapped_column(String(200), default="")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(String(500), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    """The chain's newest link, one row: writers lock it to append, so two transactions
    can never chain onto the same entry; `audit-verify` also checks that the newest entry
    is still there (a truncated tail would otherwise leave an intact chain)."""

    __tablename__ = "audit_head"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditAnchor(db.Model):
    """One archive run: entries up to `last_id` were written to `filename` (whose SHA-256
    is `file_sha256`) and only then removed. The first entry still online chains onto
    `last_hash`. Append-only like the log."""

    __tablename__ = "audit_anchor"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column()
    first_id: Mapped[int] = mapped_column()
    last_id: Mapped[int] = mapped_column()
    last_hash: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column()
    before: Mapped[datetime] = mapped_column()
    filename: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str] = mapped_column(String(64))
