"""The system administrator's account pages at city size: the list is one page at a time
with a search and a role filter, and the account form's places (community, grid,
company, street) are pickers, never a list of every place in the deployment."""
from sqlalchemy import event, func, select

from conftest import AuthActions, csrf_from
from webapp.auth.models import User
from webapp.companies.models import PropertyCompany
from webapp.compounds.models import Community
from webapp.extensions import db

GOOD = "Qd-Wuye-7781"


def _admin(app):
    c = app.test_client()
    assert AuthActions(c).login("system_admin").status_code == 303
    return c


def _add_companies(n):
    db.session.add_all(PropertyCompany(name=f"批量测试物业{i:04d}有限公司", credit_code=f"91370211MA{i:08d}")
                       for i in range(n))
    db.session.commit()


def _statements(app, client, url):
    seen = []
    listener = lambda *a, **k: seen.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        r = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert r.status_code == 200
    return len(seen), r.get_data(as_text=True)


def _add_users(start, n):
    """`n` resident representatives of 隐珠街道 (one hash for all: hashing each is slow)."""
    admin = db.session.scalar(select(User).where(User.username == "street_admin"))
    db.session.add_all(User(username=f"bulk{i:04d}", display_name=f"批量居民代表{i:04d}", role="resident_rep",
                            password_hash=admin.password_hash, password_changed_at=admin.password_changed_at,
                            street_id=admin.street_id) for i in range(start, start + n))
    db.session.commit()


def test_the_list_is_one_page_with_a_search_and_a_role_filter(fresh_demo, app):
    admin = _admin(app)
    _add_users(0, 100)
    before, _ = _statements(app, admin, "/accounts/")
    _add_users(100, 900)
    after, html = _statements(app, admin, "/accounts/")
    assert after == before  # the same statements at 100 and at 1,000 more accounts
    assert db.session.scalar(select(func.count()).select_from(User)) > 1000
    assert html.count('href="/accounts/') - html.count('href="/accounts/new') <= 50 + 5
    assert "第 1 页，超过 1000 条" in html and "下一页" in html  # the count stops past 1,000
    html = admin.get("/accounts/?q=批量居民代表0007").get_data(as_text=True)
    assert "bulk0007" in html and "bulk0008" not in html
    html = admin.get("/accounts/?role=system_admin").get_data(as_text=True)
    assert "system_admin" in html and "bulk0001" not in html and "street_admin</a>" not in html
    html = admin.get("/accounts/?q=没有这个人").get_data(as_text=True)
    assert "没有符合条件的账号" in html


def test_the_form_offers_places_through_pickers(fresh_demo, app):
    _add_companies(60)
    admin = _admin(app)
    html = admin.get("/accounts/new").get_data(as_text=True)
    assert html.count("批量测试物业") <= 20  # a picker's first page, not the whole register
    assert 'name="company_id_q"' in html and 'name="community_id_q"' in html
    options = admin.get("/accounts/pick?field=company_id&q=批量测试物业0042",
                        headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "批量测试物业0042有限公司" in options and "批量测试物业0041" not in options
    # A community is found by its street's name too, and named with it.
    options = admin.get("/accounts/pick?field=community_id&q=济阳街道").get_data(as_text=True)
    assert "济阳街道 · 济阳示例一社区" in options
    assert admin.get("/accounts/pick?field=password").status_code == 404


def test_a_place_that_does_not_exist_is_refused_and_nothing_is_written(fresh_demo, app):
    admin = _admin(app)
    page = admin.get("/accounts/new").get_data(as_text=True)
    missing = (db.session.scalar(select(func.max(Community.id))) or 0) + 1000
    users = db.session.scalar(select(func.count()).select_from(User))
    r = admin.post("/accounts/new", data={"csrf_token": csrf_from(page), "username": "ghost1", "display_name": "无此社区",
                                          "role": "community_staff", "community_id": str(missing), "grid_id": "",
                                          "company_id": "", "street_id": "", "region_id": "", "password": GOOD})
    assert r.status_code == 422 and "所选项不存在，请重新选择。" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == users
    # A company user created with a picked company works as before.
    company = db.session.scalar(select(PropertyCompany.id).order_by(PropertyCompany.id))
    r = admin.post("/accounts/new", data={"csrf_token": csrf_from(page), "username": "pickco1", "display_name": "企业账号",
                                          "role": "company_user", "community_id": "", "grid_id": "",
                                          "company_id": str(company), "street_id": "", "region_id": "", "password": GOOD})
    assert r.status_code == 303
    assert db.session.scalar(select(User.company_id).where(User.username == "pickco1")) == company
