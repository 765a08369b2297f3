"""A JSON body is not a form: Flask-WTF would read it as one and hand validators numbers,
lists and null (a TypeError). It counts as an empty form: Chinese field messages, no write."""
import pytest
from sqlalchemy import func, select

from webapp.audit.models import AuditLog
from webapp.extensions import db


@pytest.mark.parametrize("url, message", [
    ("/companies/new", "请"),
    ("/people/new", "请"),
    ("/structure/new", "请"),
    ("/public/yinzhu/shuangzhu/opinion", "请写下您的意见或诉求"),
])
def test_json_body_is_an_empty_form(client, auth, fresh_demo, url, message):
    auth.login("street_admin")
    token = auth.csrf()
    before = db.session.scalar(select(func.count()).select_from(AuditLog))
    r = client.post(url, json={"name": [1, 2, {"x": None}], "text": 12345, "credit_code": None},
                    headers={"X-CSRFToken": token})
    assert r.status_code in (400, 422)
    assert message in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == before
