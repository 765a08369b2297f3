"""Every write is audited: who, when, from where, what changed — tree moves and imports
included; entries wait for the commit and vanish with a rollback."""
from sqlalchemy import select

from conftest import csrf_from
from webapp import create_app
from webapp.audit.models import AuditLog
from webapp.audit.services import record, record_export, record_unmask
from webapp.compounds.models import Compound
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.structure.models import OrgTier, OrgUnit


def entries(**where):
    db.session.expire_all()
    return db.session.scalars(select(AuditLog).filter_by(**where).order_by(AuditLog.id)).all()


def test_create_update_delete_are_logged_with_before_and_after(factory):
    community = factory.community("审计社区")
    compound = factory.compound(community, name="审计小区")
    compound.name = "审计小区（改）"
    db.session.commit()
    db.session.delete(compound)
    db.session.commit()
    rows = entries(entity="compound")
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert rows[0].changes["community_id"] == [None, community.id]  # a foreign key set through the relationship
    assert rows[1].changes["name"] == ["审计小区", "审计小区（改）"]
    assert rows[2].changes["name"][0] == "审计小区（改）"
    assert rows[2].label == "审计小区（改）"
    assert all(r.username == "system" for r in rows)


def test_password_hashes_never_reach_the_log(factory):
    factory.user("clerk")
    row = entries(entity="user")[0]
    assert row.changes["password_hash"][1] == "***"


def _tree():
    tiers = [OrgTier(tree="party", level=n, name=f"第{n}级") for n in (1, 2, 3)]
    root = OrgUnit(tier=tiers[0], name="街道党工委")
    a = OrgUnit(tier=tiers[1], name="甲支部", parent=root)
    b = OrgUnit(tier=tiers[1], name="乙支部", parent=root)
    group = OrgUnit(tier=tiers[2], name="一号楼党小组", parent=a)
    db.session.add_all(tiers + [root, a, b, group])
    db.session.commit()
    return root, a, b, group


def test_a_unit_moved_in_the_tree_is_logged_with_its_old_and_new_parent(client, auth, factory):
    """The move sets `unit.parent` (a relationship): its parent_id changes only inside
    the flush, which a hook reading history before the flush never saw."""
    factory.user("boss", role="street_admin")
    root, a, b, group = _tree()
    auth.login("boss")
    token = csrf_from(client.get("/structure/").get_data(as_text=True))
    r = client.post(f"/structure/units/{group.id}/move",
                    data={"csrf_token": token, "parent_id": str(b.id), "version": group.version},
                    headers={"HX-Request": "true"}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert r.status_code == 200, r.get_data(as_text=True)
    (move,) = entries(entity="org_unit", action="update", entity_id=group.id)
    assert move.changes["parent_id"] == [a.id, b.id]
    assert move.username == "boss" and move.role == "street_admin" and move.address == "10.1.2.3"
    assert move.label == "一号楼党小组"


def test_a_move_after_the_row_was_expired_still_knows_the_old_parent(factory):
    root, a, b, group = _tree()
    db.session.expire_all()  # as after a commit: nothing loaded
    unit = db.session.get(OrgUnit, group.id)
    db.session.expire(unit)
    unit.parent = db.session.get(OrgUnit, b.id)
    db.session.commit()
    (move,) = entries(entity="org_unit", action="update")
    assert move.changes["parent_id"] == [a.id, b.id]


def test_the_client_address_is_the_connection_unless_a_proxy_is_configured(app, client, auth, factory):
    factory.user("boss", role="street_admin")
    auth.login("boss")
    spoofed = {"X-Forwarded-For": "203.0.113.9"}
    client.get("/audit/", headers=spoofed, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert entries(action="view")[-1].address == "10.0.0.7"  # the header is not believed by default

    proxied = create_app(TestConfig, UPLOAD_DIR=app.config["UPLOAD_DIR"], TRUSTED_PROXIES=1)
    proxied.test_client_class = type(client)
    with proxied.app_context():
        c = proxied.test_client()
        token = csrf_from(c.get("/login").get_data(as_text=True))
        c.post("/login", data={"username": "boss", "password": "hongye-demo", "csrf_token": token})
        c.get("/audit/", headers=spoofed, environ_base={"REMOTE_ADDR": "10.0.0.7"})
        assert entries(action="view")[-1].address == "203.0.113.9"  # one trusted proxy in front
        db.session.remove()


def test_record_before_the_first_flush_gets_the_records_id(factory):
    community = factory.community()
    compound = Compound(community=community, name="新小区", kind="commodity", management_mode="company")
    db.session.add(compound)
    record(db.session, "publish", compound, note="测试")
    db.session.commit()
    assert entries(action="publish")[0].entity_id == compound.id


def test_a_rollback_drops_the_entries_of_what_it_undid(factory):
    community = factory.community()
    db.session.add(Compound(community=community, name="撤销的小区", kind="commodity", management_mode="company"))
    db.session.flush()
    record(db.session, "publish", note="撤销")
    db.session.rollback()
    db.session.commit()
    assert entries(entity="compound") == [] and entries(action="publish") == []

    savepoint = db.session.begin_nested()
    db.session.add(Compound(community=community, name="保存点里的小区", kind="commodity", management_mode="company"))
    db.session.flush()
    savepoint.rollback()
    db.session.add(Compound(community=community, name="留下的小区", kind="commodity", management_mode="company"))
    db.session.commit()
    assert [e.label for e in entries(entity="compound")] == ["留下的小区"]


def test_record_keeps_its_signature_for_sign_in_events(factory):
    """The auth domain calls record(session, action, obj=None, note="", entity=None,
    changes=None) — and username= for a failed sign-in of an anonymous request."""
    user = factory.user("clerk2")
    record(db.session, "login", user, note="登录成功")
    record(db.session, "login_failed", entity="user", note="密码错误", username="nobody")
    db.session.commit()
    ok, failed = entries(action="login")[0], entries(action="login_failed")[0]
    assert ok.entity == "user" and ok.entity_id == user.id
    assert failed.username == "nobody"


def test_export_and_unmask_helpers_leave_a_sentence(app, factory):
    person = factory.person("王小明")
    with app.test_request_context("/people/export.xlsx", environ_base={"REMOTE_ADDR": "10.9.9.9"}):
        record_export("人员名单", {"community": "3", "q": ""}, 115, personal=("电话",), entity="person")
        record_unmask(person, "phone")
    export, unmask = entries(action="export")[0], entries(action="unmask")[0]
    assert export.note == "导出 人员名单 115 条，含电话；筛选：社区=3"
    assert export.address == "10.9.9.9" and export.changes["count"] == 115
    assert unmask.entity == "person" and unmask.entity_id == person.id and unmask.note == "查看完整电话"


def test_exports_of_personal_data_are_audited(client, auth, factory):
    community = factory.community("导出社区")
    factory.person("张三", community=community)
    compound = factory.compound(community, name="导出小区")
    factory.building(compound, name="1号楼")
    factory.user("boss", role="street_admin")
    auth.login("boss")
    for url, what in (("/people/export.xlsx", "导出 人员名单 1 条，含姓名、电话"),
                      ("/compounds/buildings.xlsx", "导出 楼栋及红色管家 1 条，含管家姓名、管家电话"),
                      ("/compounds/export.xlsx", "导出 小区 1 条"),
                      ("/companies/export.xlsx", "导出 物业企业 0 条，含联系人、联系电话"),
                      ("/appointments/export.xlsx", "导出 交叉任职 0 条，含姓名")):
        assert client.get(url).status_code == 200
        assert entries(action="export")[-1].note.startswith(what), url
    assert all(e.username == "boss" for e in entries(action="export"))


def test_a_large_export_offered_as_a_job_is_not_logged_until_the_file_is_made(app, client, auth, factory, monkeypatch):
    community = factory.community("大社区")
    factory.person("甲", community=community)
    factory.person("乙", community=community)
    factory.user("boss", role="street_admin")
    auth.login("boss")
    monkeypatch.setitem(app.config, "EXPORT_JOB_ROWS", 1)
    r = client.get("/people/export.xlsx")
    assert r.status_code == 200 and "后台" in r.get_data(as_text=True)  # the offer page, not a file
    assert entries(action="export") == []
