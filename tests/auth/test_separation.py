"""三员分立: the system administrator manages accounts, the security administrator the
policy, the audit administrator reads the log; each sees only its own pages (the route
walk checks every route; here the work each one does)."""
from sqlalchemy import select

from conftest import DEMO_PASSWORD, AuthActions, csrf_from
from webapp.audit.models import AuditLog
from webapp.auth.models import User
from webapp.extensions import db

GOOD = "Qd-Wuye-7781"


def _login(app, username):
    c = app.test_client()
    r = AuthActions(c).login(username)
    assert r.status_code == 303, username
    return c, r.headers["Location"]


def test_each_lands_on_its_own_page_and_is_refused_elsewhere(fresh_demo, app):
    homes = {"system_admin": "/accounts/", "security_admin": "/security/", "audit_admin": "/audit/"}
    for username, home in homes.items():
        c, landing = _login(app, username)
        assert landing == home
        for other in set(homes.values()) - {home} | {"/", "/compounds/", "/people/", "/notices/"}:
            if username == "security_admin" and other == "/audit/":
                continue  # the security administrator reads the audit administrator's actions
            assert c.get(other).status_code == 403, (username, other)
    street, _ = _login(app, "street_admin")
    for page in ("/accounts/", "/security/"):
        assert street.get(page).status_code == 403


def test_system_admin_creates_an_account_that_must_change_its_password(fresh_demo, app):
    from webapp.compounds.models import Community

    admin, _ = _login(app, "system_admin")
    page = admin.get("/accounts/new").get_data(as_text=True)
    community = db.session.scalar(select(Community.id).where(Community.name == "济阳示例二社区"))
    form = {"csrf_token": csrf_from(page), "username": "jiyang2", "display_name": "济阳示例二社区 新干事",
            "role": "community_staff", "community_id": "", "grid_id": "", "company_id": "", "password": "1"}
    r = admin.post("/accounts/new", data=form)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "须选择所属社区" in html and "密码至少" in html
    r = admin.post("/accounts/new", data=dict(form, community_id=str(community), password=GOOD))
    assert r.status_code == 303
    user = db.session.scalar(select(User).where(User.username == "jiyang2"))
    assert user.community_id == community and user.must_change_password
    assert user.street.name == "济阳街道"  # a community account belongs to its community's street
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.entity == "user", AuditLog.action == "create",
                                                       AuditLog.entity_id == user.id))
    clerk = app.test_client()
    assert AuthActions(clerk).login("jiyang2", GOOD).status_code == 303
    assert clerk.get("/compounds/").headers["Location"] == "/password"


def test_an_admin_reset_forces_a_change_at_next_sign_in(fresh_demo, app):
    clerk, _ = _login(app, "jiyang_staff")
    admin, _ = _login(app, "system_admin")
    uid = db.session.scalar(select(User.id).where(User.username == "jiyang_staff"))
    token = csrf_from(admin.get(f"/accounts/{uid}").get_data(as_text=True))
    assert admin.post(f"/accounts/{uid}/reset-password", data={"csrf_token": token, "password": "abc"}).status_code == 422
    assert admin.post(f"/accounts/{uid}/reset-password", data={"csrf_token": token, "password": GOOD}).status_code == 303
    assert clerk.get("/").status_code == 302  # the old session ended
    assert AuthActions(app.test_client()).login("jiyang_staff", DEMO_PASSWORD).status_code == 401
    again = app.test_client()
    AuthActions(again).login("jiyang_staff", GOOD)
    assert again.get("/").headers["Location"] == "/password"
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "password_reset", AuditLog.entity_id == uid))


def test_system_admin_changes_a_role_and_place(fresh_demo, app):
    from webapp.compounds.models import Grid

    admin, _ = _login(app, "system_admin")
    uid = db.session.scalar(select(User.id).where(User.username == "jiyang_staff"))
    user = db.session.get(User, uid)
    grid = db.session.scalar(select(Grid).limit(1))
    page = admin.get(f"/accounts/{uid}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "version": str(user.version), "display_name": "新网格员",
            "role": "grid_worker", "community_id": "", "grid_id": str(grid.id), "company_id": ""}
    assert admin.post(f"/accounts/{uid}", data=data).status_code == 303
    db.session.expire_all()
    user = db.session.get(User, uid)
    assert (user.role, user.grid_id, user.community_id) == ("grid_worker", grid.id, grid.community_id)
    # A form opened before that save is stale: a conflict, not an overwrite.
    r = admin.post(f"/accounts/{uid}", data=dict(data, display_name="旧的"))
    assert r.status_code == 409 and "已被他人修改" in r.get_data(as_text=True)


def test_security_admin_sets_the_policy_and_it_applies(fresh_demo, app):
    sec, _ = _login(app, "security_admin")
    page = sec.get("/security/").get_data(as_text=True)
    assert 'value="30"' in page and "安全策略" in page
    data = {"csrf_token": csrf_from(page), "version": "0", "password_min_length": "12", "password_min_classes": "4",
            "password_history": "5", "admin_password_max_age_days": "60", "lockout_threshold": "3",
            "lockout_minutes": "30", "address_attempts": "50", "idle_minutes": "15", "absolute_hours": "8",
            "totp_roles": ["system_admin", "security_admin", "audit_admin", "street_admin"]}
    r = sec.post("/security/", data=dict(data, idle_minutes="1", password_min_length="4"))
    assert r.status_code == 422 and "5–120" in r.get_data(as_text=True)
    assert sec.post("/security/", data=data).status_code == 303
    changed = db.session.scalar(select(AuditLog).where(AuditLog.entity == "security_policy"))
    assert changed is not None and changed.username == "security_admin"
    # Now the street administrator needs a second factor and 12-character passwords.
    c = app.test_client()
    token = csrf_from(c.get("/login").get_data(as_text=True))
    r = c.post("/login", data={"username": "street_admin", "password": DEMO_PASSWORD, "csrf_token": token})
    assert r.headers["Location"] == "/login/totp/enrol"
    from webapp.auth import services

    assert "密码至少 12 位。" in services.password_problems("someone", "Qd-Wuye-778")


def test_sign_in_events_are_audited(fresh_demo, app):
    c, _ = _login(app, "street_admin")
    AuthActions(c).logout()
    AuthActions(app.test_client()).login("street_admin", "wrong")
    actions = set(db.session.scalars(select(AuditLog.action).where(AuditLog.username == "street_admin")))
    assert {"login", "logout", "login_failed"} <= actions
