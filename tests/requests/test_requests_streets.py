"""Requests are confined to their street: another street's admin gets 404 on them, for
reads and writes alike, and its inbox, export and settings show none of them."""
import pytest
from sqlalchemy import select

from rq_helpers import latest, record, step
from webapp import scope
from webapp.compounds.models import Street
from webapp.extensions import db

pytestmark = pytest.mark.skipif(not hasattr(scope, "reads_streets"),
                                reason="scope is not street-aware yet (the many-streets scope lands from h/streets)")


def test_another_streets_admin_gets_404(client, auth, fresh_demo, factory):
    other = factory.street("另一街道")
    db.session.commit()
    factory.user("other_admin", role="street_admin", street_id=other.id)
    auth.login("jiyang_staff")
    record(client, "济阳一社区示例老旧小区2", "漏水", "楼上漏水到楼下。")
    item = latest()
    auth.logout()
    auth.login("other_admin")
    assert client.get(f"/requests/{item.id}").status_code == 404
    assert step(client, item.id, "chase", token_from="/requests/", note="x").status_code == 404
    assert item.receipt_no not in client.get("/requests/").get_data(as_text=True)
    assert "漏水" not in client.get("/requests/settings").get_data(as_text=True)  # the demo street's categories
    home = db.session.scalar(select(Street).where(Street.id == item.street_id))
    assert home.id != other.id
