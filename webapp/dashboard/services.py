"""Writes of the dashboard domain: the counts the street records, coverage snapshots.

ORM writes, so the audit session hook records every value typed and every earlier one
(the history behind each figure)."""
from sqlalchemy import select

from ..extensions import db
from .models import COUNT_KINDS, RecordedCount


class CountConflict(Exception):
    """Someone saved the same month's figure meanwhile; the message is Chinese."""


def month_counts(kind, month, community_ids):
    """{community_id: RecordedCount} of one kind and month for the given communities."""
    if not community_ids:
        return {}
    return {r.community_id: r for r in db.session.scalars(select(RecordedCount).where(
        RecordedCount.kind == kind, RecordedCount.month == month, RecordedCount.community_id.in_(community_ids)))}


def save_counts(street_id, kind, month, entries):
    """Record one kind's figures for one month: `entries` maps community id →
    (value or None, version the clerk saw, 0 for none). A value replaces the month's
    figure, None removes it; a row changed since the clerk opened the page raises
    CountConflict and nothing is written (the caller rolls back)."""
    if kind not in COUNT_KINDS:
        raise ValueError(kind)
    existing = month_counts(kind, month, list(entries))
    changed = 0
    for community_id, (value, seen_version) in entries.items():
        row = existing.get(community_id)
        if (row.version if row else 0) != seen_version:
            raise CountConflict("未保存：刚有他人修改了本月的数据。请刷新页面，核对后再保存。")
        if row is None and value is not None:
            db.session.add(RecordedCount(street_id=street_id, community_id=community_id, kind=kind, month=month,
                                         value=value))
            changed += 1
        elif row is not None and value is None:
            db.session.delete(row)
            changed += 1
        elif row is not None and row.value != value:
            row.value = value
            changed += 1
    db.session.flush()
    return changed
