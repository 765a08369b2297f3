"""Every write is audited: who, when, what changed; the street admin reads it."""
from sqlalchemy import select

from webapp.audit.models import AuditLog
from webapp.compounds.models import Compound
from webapp.extensions import db


def test_create_update_delete_are_logged_with_before_and_after(factory):
    community = factory.community("审计社区")
    compound = factory.compound(community, name="审计小区")
    compound.name = "审计小区（改）"
    db.session.commit()
    db.session.delete(compound)
    db.session.commit()
    rows = db.session.scalars(select(AuditLog).where(AuditLog.entity == "compound").order_by(AuditLog.id)).all()
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert rows[1].changes["name"] == ["审计小区", "审计小区（改）"]
    assert rows[2].changes["name"][0] == "审计小区（改）"
    assert all(r.username == "system" for r in rows)


def test_password_hashes_never_reach_the_log(factory):
    factory.user("clerk")
    row = db.session.scalar(select(AuditLog).where(AuditLog.entity == "user"))
    assert row.changes["password_hash"][1] == "***"


def test_audit_page_shows_changes_to_the_street_admin(client, auth, factory):
    factory.user("boss", role="street_admin")
    community = factory.community("可见社区")
    factory.compound(community, name="<b>标记</b>小区")
    auth.login("boss")
    html = client.get("/audit/?entity=compound").get_data(as_text=True)
    assert "&lt;b&gt;标记&lt;/b&gt;小区" in html  # shown as text, never as markup
    assert "<b>标记</b>" not in html


def test_community_staff_cannot_read_the_audit_log(client, auth, factory):
    community = factory.community()
    factory.user("staff", role="community_staff", community=community)
    auth.login("staff")
    assert client.get("/audit/").status_code == 403
