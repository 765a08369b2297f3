"""Starting, running, retrying and expiring jobs.

A job kind is a function `work(params, progress) -> Result` named in KINDS. It runs in the
consumer inside a request context signed in as the clerk who started it, so every access
rule the pages apply applies to the job too. `progress(done, total)` writes the counter on
its own short transaction (the page polls it). A `JobError` carries a Chinese message for
the clerk; any other exception is logged and shown as a general failure. Either way the
clerk can retry (a new job with the same parameters)."""
import importlib
import logging
import os
import secrets
from dataclasses import dataclass
from typing import Optional

from flask import current_app
from flask_login import login_user
from sqlalchemy import select, update

from ..audit.services import record
from ..extensions import db
from ..models_base import utcnow
from .models import DONE, EXPIRED, FAILED, KEEP_RESULT, QUEUED, RUNNING, Job

log = logging.getLogger(__name__)

# kind -> "module:function". Each kind's work lives in its own domain.
KINDS = {
    "assessment_round_pdf": "webapp.assessments.jobs:round_pdf",
    "assessment_round_zip": "webapp.assessments.jobs:round_zip",
    "export": "webapp.jobs.exports:run_export",
    "document": "webapp.documents.services:render_job",
    "documents": "webapp.documents.services:render_many_job",
    "street_report": "webapp.dashboard.reports:run_job",
}

GENERIC_ERROR = "生成过程中出现系统错误，结果未保存。请点击“重试”；如再次失败，请联系系统管理员。"
INTERRUPTED = "任务中断（服务重启或进程退出），结果未保存。请点击“重试”。"


class JobError(Exception):
    """A failure the clerk can understand: the message is shown as it is (Chinese)."""


@dataclass
class Result:
    data: bytes
    filename: str
    mimetype: str


def results_dir():
    path = current_app.config["JOB_DIR"]
    os.makedirs(path, exist_ok=True)
    return path


def start(kind, title, params=None, user=None, total=0, unit="份", retry_of=None):
    """Record a job and put it on the queue; committed before it is enqueued, so the
    consumer (or immediate mode) finds the row."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    from ..scope import is_above_street, viewing_street_id

    params = dict(params or {})
    if user is not None and is_above_street(user):  # the job reads the street they view now
        params["_viewing_street_id"] = viewing_street_id(user)
    job = Job(kind=kind, title=title[:200], params=params or {}, user_id=getattr(user, "id", None),
              total=total, unit=unit, state=QUEUED, retry_of_id=getattr(retry_of, "id", None))
    db.session.add(job)
    db.session.flush()
    record(db.session, "start_job", job, note=job.title)
    job_id = job.id  # read before the commit: afterwards it would start a new transaction
    db.session.commit()
    from .queue import run_job

    run_job(job_id)
    return db.session.get(Job, job_id, populate_existing=True)


def retry(job, user):
    """A failed (or expired) job again, as a new job with the same parameters."""
    return start(job.kind, job.title, dict(job.params), user=user, total=job.total, unit=job.unit,
                 retry_of=job)


def _progress(job_id):
    def report(done, total=None):
        values = {"done": done}
        if total is not None:
            values["total"] = total
        with db.engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == job_id).values(**values))
    return report


def _work(kind):
    module, _, name = KINDS[kind].partition(":")
    return getattr(importlib.import_module(module), name)


def run(job_id):
    """Run a queued job to its end: done with a stored result, or failed with a reason.

    Everything happens inside a GET request context: on SQLite the job's transactions
    then begin deferred (webapp/__init__.py), so a job reading for a minute never holds
    the write lock that its own progress updates and the clerks' saves need."""
    app = current_app._get_current_object()
    with app.test_request_context("/jobs/"):
        job = db.session.get(Job, job_id)
        if job is None or job.state != QUEUED:
            return  # already run (a duplicate delivery) or gone
        params, user, kind = dict(job.params), job.user, job.kind
        job.state, job.started_at = RUNNING, utcnow()
        db.session.commit()
        try:
            with app.test_request_context(params.get("_path", "/jobs/")):
                if user is not None:
                    login_user(user)
                    if params.get("_viewing_street_id"):
                        from flask import session

                        from ..scope import VIEWING_KEY

                        session[VIEWING_KEY] = params["_viewing_street_id"]
                result = _work(kind)(params, _progress(job_id))
        except JobError as e:
            db.session.rollback()
            _finish(job_id, error=str(e))
        except Exception:
            db.session.rollback()
            log.exception("job %s (%s) failed", job_id, kind)
            _finish(job_id, error=GENERIC_ERROR)
        else:
            _finish(job_id, result=result)


def _store(job_id, result):
    ext = os.path.splitext(result.filename)[1] or ".bin"
    name = f"{job_id}-{secrets.token_hex(8)}{ext}"
    path = os.path.join(results_dir(), name)
    tmp = path + ".part"
    with open(tmp, "wb") as fh:
        fh.write(result.data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)  # a half-written file never carries the final name
    return name


def _finish(job_id, result: Optional[Result] = None, error=None):
    db.session.remove()
    job = db.session.get(Job, job_id)
    now = utcnow()
    job.finished_at = now
    if result is not None:
        job.result_path = _store(job_id, result)
        job.result_name, job.result_type, job.result_size = result.filename, result.mimetype, len(result.data)
        job.expires_at = now + KEEP_RESULT
        job.state = DONE
        if job.total:
            job.done = job.total
    else:
        job.state, job.error = FAILED, error
    db.session.commit()


def result_file(job):
    return os.path.join(results_dir(), job.result_path)


def expire_old(now=None):
    """Delete result files past their 7 days and fail jobs left running by a dead worker
    for more than a day. Returns (expired, interrupted)."""
    now = now or utcnow()
    expired = db.session.scalars(select(Job).where(Job.state == DONE, Job.expires_at <= now)).all()
    for job in expired:
        if job.result_path:
            try:
                os.remove(result_file(job))
            except FileNotFoundError:
                pass
        job.state, job.result_path = EXPIRED, None
    stale = db.session.scalars(select(Job).where(Job.state == RUNNING, Job.started_at <= now - KEEP_RESULT / 7)).all()
    for job in stale:
        job.state, job.error, job.finished_at = FAILED, INTERRUPTED, now
    db.session.commit()
    return len(expired), len(stale)


def jobs_of(user):
    return select(Job).where(Job.user_id == user.id).order_by(Job.id.desc())
