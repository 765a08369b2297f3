"""The morning's scheduled work (Huey periodic task `queue.morning`, 06:00 Beijing time).

Each step is idempotent (safe to run twice on one morning) and writes its findings to the
audit log once per object, where the street admin reads them:
- notices whose expiry passed: an "expired" entry (the board already hides them, by
  `Notice.live()`; the entry says when they went off the board);
- follow-up tasks overdue, or due within DUE_SOON days: one "overdue_warning" /
  "due_soon_warning" entry per task;
- residents' requests due soon or overdue: the requests domain's warnings;
- each street's coverage at the end of last month stored once (dashboard.services
  `snapshot_last_month`: the dashboard's trend and the report's previous period read it);
- old audit entries archived: the audit domain's `audit.archive.archive()` (as the
  `audit-archive` command does), with AUDIT_RETENTION_DAYS and AUDIT_ARCHIVE_DIR;
- job results past their 7 days deleted, and jobs of a dead worker marked failed.
"""
import logging
from datetime import timedelta

from sqlalchemy import and_, select

from ..audit.models import AuditLog
from ..audit.services import record
from ..clock import local_today
from ..extensions import db
from ..models_base import utcnow
from . import services

log = logging.getLogger(__name__)
DUE_SOON = timedelta(days=3)


def _already(action, entity, entity_id):
    return db.session.scalar(select(AuditLog.id).where(
        AuditLog.action == action, AuditLog.entity == entity, AuditLog.entity_id == entity_id).limit(1)) is not None


def expired_notices(now=None):
    from ..notices.models import Notice, local_now

    now = now or local_now()
    found = db.session.scalars(select(Notice).where(and_(
        Notice.status == "published", Notice.expires_at.is_not(None), Notice.expires_at <= now))).all()
    new = [n for n in found if not _already("expired", Notice.__tablename__, n.id)]
    for notice in new:
        record(db.session, "expired", notice, note=f"公示期满（{notice.expires_at:%Y-%m-%d %H:%M}）")
    return len(new)


def task_warnings(today=None):
    from ..meetings.models import TASK_OPEN, FollowUpTask

    today = today or local_today()
    tasks = db.session.scalars(select(FollowUpTask).where(
        FollowUpTask.state == TASK_OPEN, FollowUpTask.due_date <= today + DUE_SOON)).all()
    counts = {"overdue_warning": 0, "due_soon_warning": 0}
    for task in tasks:
        action = "overdue_warning" if task.due_date < today else "due_soon_warning"
        if _already(action, FollowUpTask.__tablename__, task.id):
            continue
        days = (today - task.due_date).days
        note = f"已逾期 {days} 天（期限 {task.due_date}）" if days > 0 else f"将于 {task.due_date} 到期"
        record(db.session, action, task, note=f"{task.owner}：{note}")
        counts[action] += 1
    return counts


def archive_audit():
    """Entries past the retention period to a verifiable file; the number archived."""
    import os

    from flask import current_app

    from ..audit import archive, chain

    config = current_app.config
    directory = config.get("AUDIT_ARCHIVE_DIR") or os.path.join(current_app.instance_path, "audit-archive")
    try:
        anchor = archive.archive(db.session, directory, config["AUDIT_RETENTION_DAYS"])
    except (archive.ArchiveError, chain.Break) as exc:  # logged; the rest of the morning goes on
        db.session.rollback()
        log.error("audit archive refused: %s", exc)
        return None
    return anchor.count if anchor else 0


def request_warnings():
    """Residents' requests that reached their warning point or deadline: the requests
    domain's `send_due_warnings` (one 临期预警 / 超期预警 on each timeline)."""
    from ..requests import services as requests_services

    return requests_services.send_due_warnings()


def _coverage_snapshots():
    from ..dashboard.services import snapshot_last_month

    return snapshot_last_month()


def run_morning():
    """All of the morning's work; returns what it did (also logged)."""
    done = {
        "expired_notices": expired_notices(),
        **task_warnings(),
        "coverage_snapshots": _coverage_snapshots(),
    }
    db.session.commit()
    done["audit_archived"] = archive_audit()
    db.session.commit()
    done["requests_warned"] = request_warnings()
    done["jobs_expired"], done["jobs_interrupted"] = services.expire_old(utcnow())
    log.info("morning work: %s", done)
    return done
