"""/audit/ under 三员分立: who reads what, filters, paging, the export — all audited."""
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from webapp.audit import chain, views
from webapp.clock import local, local_today
from webapp.audit.models import AuditLog
from webapp.extensions import db
from webapp.models_base import utcnow


def _entries(**where):
    db.session.expire_all()
    return db.session.scalars(select(AuditLog).filter_by(**where).order_by(AuditLog.id)).all()


@pytest.fixture
def people(factory):
    community = factory.community("页面社区")
    return {
        "auditor": factory.user("auditor", role="audit_admin"),
        "security": factory.user("security", role="security_admin"),
        "boss": factory.user("boss", role="street_admin"),
        "staff": factory.user("staff", role="community_staff", community=community),
        "community": community,
    }


def _as(client, auth, name):
    auth.login(name)
    return client


@pytest.mark.parametrize("name, log, export", [
    ("auditor", 200, 200), ("security", 200, 403), ("boss", 200, 403), ("staff", 403, 403),
])
def test_each_role_sees_only_its_pages(client, auth, people, name, log, export):
    _as(client, auth, name)
    r = client.get("/audit/")
    assert r.status_code == log
    assert client.get("/audit/export.xlsx").status_code == export
    if log == 200:
        assert ("导出 Excel" in r.get_data(as_text=True)) is (export == 200)
        assert "操作记录" in client.get("/").get_data(as_text=True)  # in the navigation


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/audit/").status_code == 302
    assert client.get("/audit/export.xlsx").status_code == 302


def test_the_security_admin_reads_only_the_audit_admins_own_actions(app, client, auth, people, factory):
    """The auditor's views and exports are entries; the security admin sees those only."""
    factory.compound(people["community"], name="普通小区")
    c2 = app.test_client()
    from conftest import AuthActions

    AuthActions(c2).login("auditor")
    c2.get("/audit/?kind=compound")
    c2.get("/audit/export.xlsx?kind=compound")
    auditor_entries = _entries(username="auditor")
    assert [e.action for e in auditor_entries] == ["login", "view", "export"]
    assert "对象类型=小区" in auditor_entries[1].note
    assert auditor_entries[2].note.startswith("导出 操作记录 1 条")

    html = _as(client, auth, "security").get("/audit/").get_data(as_text=True)
    assert "审计管理员本人的操作" in html
    assert "导出 操作记录 1 条" in html and "查看操作记录" in html
    assert "普通小区" not in html  # the street's own records are not the security admin's to read
    assert client.get("/audit/?kind=compound").get_data(as_text=True).count("普通小区") == 0


def test_the_page_speaks_chinese_and_shows_who_and_where(client, auth, people, factory):
    compound = factory.compound(people["community"], name="中文小区", kind="old")
    compound.kind = "commodity"
    db.session.commit()
    html = _as(client, auth, "auditor").get("/audit/?kind=compound", environ_base={"REMOTE_ADDR": "10.2.3.4"}).get_data(as_text=True)
    assert "小区「中文小区」" in html and "小区类型</b>：老旧小区 → 商品房小区" in html
    assert "修改" in html and "新增" in html
    assert "compound" not in html.split("<table")[1].split("</table>")[0].replace('value="compound"', "")
    html = client.get("/audit/?action=view").get_data(as_text=True)
    assert "10.2.3.4" in html and "审计管理员" in html


def test_filters_by_person_record_action_and_date(client, auth, people, factory):
    one = factory.compound(people["community"], name="甲小区")
    factory.compound(people["community"], name="乙小区")
    old_at = utcnow() - timedelta(days=40)
    with db.engine.begin() as conn:
        chain.append(conn, [dict(at=old_at, user_id=people["boss"].id, username="boss",
                                 role="street_admin", address="", action="publish", entity="notice", entity_id=7,
                                 label="旧公告", changes={}, note="很早以前")])
    _as(client, auth, "auditor")

    def shown(query):
        html = client.get("/audit/?" + query).get_data(as_text=True)
        return html.split("<tbody>")[1].split("</tbody>")[0]

    assert "甲小区" in shown("kind=compound&record=甲") and "乙小区" not in shown("kind=compound&record=甲")
    by_id = shown(f"kind=compound&record={one.id}")
    assert "甲小区" in by_id and "乙小区" not in by_id
    assert "旧公告" in shown("user=boss") and "甲小区" not in shown("user=boss")
    assert "旧公告" in shown("action=publish") and "甲小区" not in shown("action=publish")
    recent = (local_today() - timedelta(days=1)).isoformat()  # dates are the street's days
    assert "旧公告" not in shown(f"from={recent}") and "甲小区" in shown(f"from={recent}")
    old_day = local(old_at).date().isoformat()
    assert "旧公告" in shown(f"from={old_day}&to={old_day}") and "甲小区" not in shown(f"to={old_day}")
    # Junk filters are ignored, never a 500.
    assert client.get("/audit/?kind=<x>&action=drop&from=2026-13-45&record=%25_&before=abc&after=-1").status_code == 200


def test_pages_by_keyset_with_a_bounded_count(client, auth, people, monkeypatch):
    with db.engine.begin() as conn:
        chain.append(conn, [dict(at=utcnow(), user_id=None, username="system", role="", address="", action="import",
                                 entity="compound", entity_id=n, label=f"分页{n:03d}", changes={}, note="")
                            for n in range(120)])
    monkeypatch.setattr(views, "COUNT_CAP", 100)
    _as(client, auth, "auditor")
    html = client.get("/audit/?action=import").get_data(as_text=True)
    assert "分页119" in html and "分页070" in html and "分页069" not in html
    assert "超过 100 条" in html and "较新的记录" not in html
    older = html.split('href="')[-1]
    import re

    link = re.search(r'href="(/audit/\?[^"]*before=\d+[^"]*)"', html).group(1).replace("&amp;", "&")
    html2 = client.get(link).get_data(as_text=True)
    assert "分页069" in html2 and "分页020" in html2 and "分页070" not in html2 and "分页019" not in html2
    newer = re.search(r'href="(/audit/\?[^"]*after=\d+[^"]*)"', html2).group(1).replace("&amp;", "&")
    html3 = client.get(newer).get_data(as_text=True)
    assert "分页070" in html3 and "分页119" in html3 and "分页069" not in html3
    assert older


def test_a_page_costs_the_same_few_statements_however_many_entries(client, auth, people, factory):
    _as(client, auth, "auditor")

    def statements(n):
        db.session.rollback()  # the test shares the requests' session: end its transaction
        with db.engine.begin() as conn:
            chain.append(conn, [dict(at=utcnow(), user_id=None, username="system", role="", address="",
                                     action="update", entity="building", entity_id=i, label=f"楼{i}",
                                     changes={"compound_id": [1, 2], "steward_id": [None, 3]}, note="")
                                for i in range(n)])
        seen = []

        def count(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT"):
                seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/audit/?kind=building").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return seen

    statements(1)  # the first write of a fresh database also creates the chain head
    assert len(statements(5)) == len(statements(60)) <= 8  # one lookup per referenced table, not per row


def test_the_export_is_the_filtered_log_in_chinese_and_is_itself_audited(client, auth, people, factory):
    factory.compound(people["community"], name="导出甲")
    factory.person("不导出的人", community=people["community"])
    _as(client, auth, "auditor")
    r = client.get("/audit/export.xlsx?kind=compound")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(r.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "时间", "操作人")
    assert len(rows) == 2 and rows[1][5] == "新增" and "小区「导出甲」" in rows[1][6]
    assert "小区名称：— → 导出甲" in rows[1][7]
    export = _entries(action="export")[-1]
    assert export.username == "auditor" and export.note.startswith("导出 操作记录 1 条；筛选：对象类型=小区")


def test_times_are_shown_in_the_streets_local_time(client, auth, people):
    from datetime import datetime

    with db.engine.begin() as conn:
        chain.append(conn, [dict(at=datetime(2026, 11, 30, 23, 30), user_id=None, username="system", role="",
                                 address="", action="publish", entity="notice", entity_id=1, label="夜里的公告",
                                 changes={}, note="")])
    html = _as(client, auth, "auditor").get("/audit/?action=publish").get_data(as_text=True)
    assert "2026-12-01 07:30:00" in html and "（UTC）" not in html
    # The date filter is the street's day too: 07:30 on 1 December, not 30 November.
    assert "夜里的公告" in client.get("/audit/?action=publish&from=2026-12-01&to=2026-12-01").get_data(as_text=True)
    assert "夜里的公告" not in client.get("/audit/?action=publish&to=2026-11-30").get_data(as_text=True)


def test_a_street_admin_pages_through_its_streets_entries_and_its_users_older_ones(client, auth, people, monkeypatch):
    """Its street's entries and, from before the many-streets release (no street_id), its
    users' — read as two parts, merged newest first across pages; nobody else's."""
    boss_id, street_id = people["boss"].id, people["boss"].street_id
    db.session.rollback()  # the test shares the requests' session: end its transaction
    with db.engine.begin() as conn:
        rows = []
        for n in range(90):
            mine_now, mine_before = n % 3 == 0, n % 3 == 1
            rows.append(dict(at=utcnow(), user_id=boss_id if mine_before else None, username="x", role="",
                             address="", action="import", entity="compound", entity_id=n,
                             label=f"{'本' if mine_now or mine_before else '外'}{n:03d}", changes={}, note="",
                             street_id=street_id if mine_now else None))
        chain.append(conn, rows)
    monkeypatch.setattr(views, "PAGE_SIZE", 25)
    _as(client, auth, "boss")
    html = client.get("/audit/?action=import").get_data(as_text=True)
    mine = [n for n in range(90) if n % 3 != 2]  # 60 of them
    assert "共 60 条" in html
    assert f"本{mine[-1]:03d}" in html and f"本{mine[-25]:03d}" in html and f"本{mine[-26]:03d}" not in html
    assert "外" not in html.split("<tbody>", 1)[1]
    import re

    link = re.search(r'href="(/audit/\?[^"]*before=\d+[^"]*)"', html).group(1).replace("&amp;", "&")
    html2 = client.get(link).get_data(as_text=True)
    assert f"本{mine[-26]:03d}" in html2 and f"本{mine[-50]:03d}" in html2 and f"本{mine[-51]:03d}" not in html2
    newer = re.search(r'href="(/audit/\?[^"]*after=\d+[^"]*)"', html2).group(1).replace("&amp;", "&")
    html3 = client.get(newer).get_data(as_text=True)
    assert f"本{mine[-1]:03d}" in html3 and f"本{mine[-25]:03d}" in html3 and f"本{mine[-26]:03d}" not in html3
