"""Background jobs: a large export becomes a job with a progress page, its result is the
clerk's alone for 7 days, a failure is explained in Chinese and can be retried, a real
Huey consumer runs a job, and the morning's scheduled work is idempotent."""
import io
import time
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from conftest import AuthActions, csrf_from
from webapp.extensions import db
from webapp.jobs import queue, services
from webapp.auth.models import User
from webapp.jobs.models import DONE, FAILED, RUNNING, Job
from webapp.models_base import utcnow


@pytest.fixture
def small_exports(app, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_JOB_ROWS", 10)


def _start_export(client, path):
    page = client.get(path)
    assert page.status_code == 200 and "在后台生成" in page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    r = client.post("/jobs/export", data={"csrf_token": csrf_from(html), "path": path, "filename": "楼栋.xlsx"})
    assert r.status_code == 303
    return int(r.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_large_export_runs_as_a_job_with_progress_and_download(fresh_demo, client, small_exports, app):
    from webapp.compounds.models import Building

    AuthActions(client).login("street_admin")
    job_id = _start_export(client, "/compounds/buildings.xlsx")
    job = db.session.get(Job, job_id)
    from webapp.compounds.models import Compound

    # 隐珠's buildings: the export holds the street admin's street only.
    buildings = db.session.scalar(select(func.count(Building.id)).join(Compound).where(
        Compound.street_id == db.session.scalar(select(User.street_id).where(User.username == "street_admin"))))
    assert buildings == 120
    assert job.state == DONE and job.kind == "export"
    assert (job.done, job.total) == (buildings, buildings)
    html = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert f"第 <span class=\"job-done\">{buildings}</span> / {buildings} 行" in html
    assert "<progress" in html and 'http-equiv="refresh"' not in html  # finished: no refresh
    r = client.get(f"/jobs/{job_id}/download")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    assert sheet.max_row == buildings + 1
    assert "楼栋" in client.get("/jobs/").get_data(as_text=True)

    other = app.test_client()
    AuthActions(other).login("shuangzhu_staff")
    assert other.get(f"/jobs/{job_id}").status_code == 404
    assert other.get(f"/jobs/{job_id}/download").status_code == 404


def test_the_export_job_keeps_the_clerks_scope(fresh_demo, client, small_exports):
    """Community staff get their own community's buildings only, as in the direct export."""
    from webapp.auth.models import User
    from webapp.compounds.models import Building, Compound

    AuthActions(client).login("jiyang_staff")
    user = db.session.scalar(select(User).where(User.username == "jiyang_staff"))
    mine = db.session.scalar(select(func.count()).select_from(Building).join(Compound)
                             .where(Compound.community_id == user.community_id))
    total = db.session.scalar(select(func.count()).select_from(Building))
    if mine <= 10:
        pytest.skip("the demo's 济阳 has too few buildings for a deferred export")
    job_id = _start_export(client, "/compounds/buildings.xlsx")
    job = db.session.get(Job, job_id)
    assert job.state == DONE and job.total == mine < total


def test_a_running_job_polls_and_refreshes_without_javascript(fresh_demo, client):
    from webapp.auth.models import User

    AuthActions(client).login("street_admin")
    user = db.session.scalar(select(User).where(User.username == "street_admin"))
    job = Job(kind="export", title="批量考核表", user_id=user.id, state=RUNNING, done=37, total=200, params={})
    db.session.add(job)
    db.session.commit()
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "第 <span class=\"job-done\">37</span> / 200 份" in page
    assert '<progress max="200" value="37"' in page
    assert '<meta http-equiv="refresh"' in page  # inside <noscript>
    fragment = client.get(f"/jobs/{job.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith("{#") is False and "<html" not in fragment
    assert 'hx-trigger="every 2s"' in fragment


def test_a_failed_job_says_why_in_chinese_and_can_be_retried(fresh_demo, client):
    from webapp.auth.models import User

    AuthActions(client).login("street_admin")
    user = db.session.scalar(select(User).where(User.username == "street_admin"))
    job = services.start("export", "导出 坏地址", {"_path": "/nowhere.xlsx"}, user=user)
    assert job.state == FAILED and job.error == "导出地址无效。"
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "导出地址无效。" in page and "重试" in page
    r = client.post(f"/jobs/{job.id}/retry", data={"csrf_token": csrf_from(page)})
    assert r.status_code == 303
    again = db.session.scalars(select(Job).where(Job.retry_of_id == job.id)).one()
    assert again.id != job.id and again.params == job.params
    # A finished job cannot be "retried" (nothing to retry), and the CSRF token is required.
    assert client.post(f"/jobs/{job.id}/retry").status_code == 400


def test_results_expire_after_seven_days(fresh_demo, client, small_exports):
    AuthActions(client).login("street_admin")
    job_id = _start_export(client, "/compounds/buildings.xlsx")
    job = db.session.get(Job, job_id)
    path = services.result_file(job)
    assert job.expires_at - job.finished_at == timedelta(days=7)
    services.expire_old(utcnow() + timedelta(days=7, seconds=1))
    db.session.refresh(job)
    assert job.state == "expired" and client.get(f"/jobs/{job_id}/download").status_code == 404
    import os

    assert not os.path.exists(path)
    assert "重新生成" in client.get(f"/jobs/{job_id}").get_data(as_text=True)


def test_a_real_consumer_runs_a_job_from_sqlite_storage(fresh_demo, app, tmp_path, monkeypatch):
    """Not immediate mode: the job is stored in Huey's SQLite queue and a consumer thread
    picks it up."""
    from webapp.auth.models import User

    huey = queue.huey
    monkeypatch.setitem(huey.storage_kwargs, "filename", str(tmp_path / "queue.sqlite3"))
    huey.immediate = False
    assert type(huey.storage).__name__ == "SqliteStorage"
    consumer = queue.start_inprocess_consumer(app, workers=1)
    try:
        user = db.session.scalar(select(User).where(User.username == "street_admin"))
        job = services.start("export", "导出 楼栋", {"_path": "/compounds/buildings.xlsx"}, user=user)
        deadline = time.time() + 60
        while True:
            db.session.remove()
            job = db.session.get(Job, job.id)
            if job.state in (DONE, FAILED) or time.time() > deadline:
                break
            time.sleep(0.2)
        assert job.state == DONE, job.error
        assert services.result_file(job).endswith(".xlsx")
    finally:
        consumer.stop(graceful=True)
        huey.immediate = True


def test_the_morning_work_warns_once(fresh_demo):
    from webapp.audit.models import AuditLog
    from webapp.clock import local_today
    from webapp.jobs import scheduled
    from webapp.meetings.models import TASK_OPEN, FollowUpTask
    from webapp.notices.models import Notice, local_now

    task = db.session.scalars(select(FollowUpTask).where(FollowUpTask.state == TASK_OPEN)).first()
    notice = db.session.scalars(select(Notice).where(Notice.status == "published")).first()
    assert task is not None and notice is not None
    # Straight SQL: the task may belong to approved minutes, which the ORM guard keeps.
    db.session.execute(update(FollowUpTask).where(FollowUpTask.id == task.id)
                       .values(due_date=local_today() - timedelta(days=2)))
    db.session.execute(update(Notice).where(Notice.id == notice.id).values(expires_at=local_now() - timedelta(hours=1)))
    db.session.commit()
    first = scheduled.run_morning()
    assert first["overdue_warning"] >= 1 and first["expired_notices"] >= 1
    again = scheduled.run_morning()
    assert again["overdue_warning"] == 0 and again["expired_notices"] == 0
    assert first["audit_archived"] == 0  # the audit archive ran: nothing past 180 days yet
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "overdue_warning",
                                                        AuditLog.entity_id == task.id)).all()
    assert len(entries) == 1 and "已逾期 2 天" in entries[0].note


def test_the_morning_work_includes_the_requests_warnings(fresh_demo, monkeypatch):
    """The residents' requests' due-soon and overdue warnings are part of the morning (the
    requests domain's `send_due_warnings`), and the morning is a Huey periodic task."""
    from datetime import datetime

    from webapp.jobs import queue, scheduled
    from webapp.requests import services as requests_services

    calls = []
    monkeypatch.setattr(requests_services, "send_due_warnings", lambda: calls.append(1) or {"due_soon": 2, "overdue": 1},
                        raising=False)
    done = scheduled.run_morning()
    assert calls == [1] and done["requests_warned"] == {"due_soon": 2, "overdue": 1}
    task_class = queue.morning.task_class
    assert task_class in queue.huey._registry._periodic_tasks  # the consumer schedules it
    # 22:00 UTC is 06:00 in Beijing: the morning, once a day.
    assert task_class().validate_datetime(datetime(2026, 12, 2, 22, 0))
    assert not task_class().validate_datetime(datetime(2026, 12, 2, 21, 0))
