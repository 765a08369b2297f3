"""Ids and page numbers beyond what the database holds: ignored in lists, field errors in forms."""
import pytest
from sqlalchemy import func, select

from webapp.audit.models import AuditLog
from webapp.extensions import db
from webapp.meetings.models import Meeting

HUGE = ["99999999999999999999", "-99999999999999999999", "2147483648"]


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize("path", ["/meetings/", "/meetings/tasks"])
def test_lists_ignore_out_of_range_numbers(client, auth, fresh_demo, path, value):
    auth.login("street_admin")
    r = client.get(path, query_string={"page": value, "kind": value, "community": value, "compound": value})
    assert r.status_code == 200


@pytest.mark.parametrize("value", HUGE)
def test_planning_with_out_of_range_ids_is_a_field_error(client, auth, fresh_demo, value):
    auth.login("shuangzhu_staff")
    token = auth.csrf("/meetings/new")
    before = (db.session.scalar(select(func.count()).select_from(Meeting)),
              db.session.scalar(select(func.count()).select_from(AuditLog)))
    r = client.post("/meetings/new", data={
        "csrf_token": token, "kind_id": value, "community_id": value, "compound_id": value,
        "title": "测试会议", "starts_at": "2026-11-20T09:00"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "请选择会议类型" in html and "请选择社区" in html
    db.session.expire_all()
    assert before == (db.session.scalar(select(func.count()).select_from(Meeting)),
                      db.session.scalar(select(func.count()).select_from(AuditLog)))
