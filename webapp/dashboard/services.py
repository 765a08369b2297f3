"""Writes of the dashboard domain: the counts the street records, coverage snapshots.

ORM writes, so the audit session hook records every value typed and every earlier one
(the history behind each figure)."""
from datetime import timedelta

from sqlalchemy import select

from ..clock import local_today
from ..compounds.models import Community, Street
from ..extensions import db
from . import figures
from .models import COUNT_KINDS, CoverageSnapshot, RecordedCount
from .periods import add_months, month_start


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


def snapshot_month(street_id, month):
    """Store each community's coverage at the end of `month` (first day), once: the
    morning job calls this on the first day of the next month, and issuing a month's
    report does too. Returns the number of rows written (0 when already stored)."""
    have = set(db.session.scalars(select(CoverageSnapshot.community_id).where(
        CoverageSnapshot.street_id == street_id, CoverageSnapshot.month == month)))
    last_day = add_months(month, 1) - timedelta(days=1)
    communities = db.session.scalars(select(Community.id).where(Community.street_id == street_id)).all()
    written = 0
    for community_id in communities:
        if community_id in have:
            continue
        c = figures.coverage(street_id, as_of=last_day, place=figures.Place(street_id, community_id))
        db.session.add(CoverageSnapshot(
            street_id=street_id, community_id=community_id, month=month, compounds=c["compounds"],
            covered=c["covered"], buildings=c["buildings"], stewards=c["stewards"], committees=c["committees"],
            red_committees=c["red_committees"], appointments=c["appointments"]))
        written += 1
    db.session.flush()
    return written


def snapshot_last_month(today=None):
    """The morning job's step: every street's coverage at the end of last month, stored
    once (idempotent). Returns the rows written."""
    last_month = add_months(month_start(today or local_today()), -1)
    return sum(snapshot_month(street_id, last_month) for street_id in db.session.scalars(select(Street.id)).all())
