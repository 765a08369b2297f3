"""People: list and filters, create/edit with party membership, positions, Excel in and out."""
import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

import conftest
from conftest import csrf_from
from webapp.compounds.models import Community
from webapp.clock import local_today
from webapp.extensions import db
from webapp.people.models import Person, Position
from webapp.structure.models import OrgUnit

HEADERS = ["姓名", "电话", "所属社区", "物业企业", "是否党员", "党员管理方式", "备注"]


def person(name):
    return db.session.scalar(select(Person).where(Person.name == name))


def community(name):
    return db.session.scalar(select(Community).where(Community.name == name))


def people_count():
    return db.session.scalar(select(func.count()).select_from(Person))


def post(client, url, data, **kw):
    return conftest.post(client, url, data, token_from="/people/", **kw)


def valid_person(**over):
    data = {"name": "王秀英", "phone": "0532-86001234", "community_id": str(community("双珠路社区").id),
            "company_id": "", "is_party_member": "y", "membership_kind": "resident", "note": "珠海一区5号楼楼长"}
    data.update(over)
    return data


def test_list_search_and_filters(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    html = client.get("/people/?q=张英").get_data(as_text=True)
    assert "张英" in html and "双珠路社区党委书记" in html
    assert "罗永梅" not in client.get("/people/?q=罗永梅").get_data(as_text=True).split("<tbody>")[1]
    non_party = client.get("/people/?party=0").get_data(as_text=True)
    assert "赵清华" in non_party and "张英" not in non_party
    working = client.get("/people/?kind=working").get_data(as_text=True).split("<tbody>")[1]
    # 双珠路's own people have no 双重管 members in the demo; the company managers
    # cross-appointed in 双珠路 (林海燕 of 热诚, 郑德福 of 恒安) are 在职党员 and listed.
    assert "林海燕" in working and "郑德福" in working and "孙立华" not in working
    assert client.get("/people/?party=x&kind=<b>&community=abc&page=-3").status_code == 200
    assert client.get("/people/?community=99999999999999999999&page=99999999999999999999").status_code == 200
    assert client.get("/people/99999999999999999999").status_code == 404


def test_create_person_with_party_membership(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    r = post(client, "/people/new", valid_person())
    assert r.status_code == 303
    created = person("王秀英")
    assert created.is_party_member and created.membership_kind == "resident"
    assert created.community.name == "双珠路社区"
    assert "居民党员（直接管）" in client.get(r.headers["Location"]).get_data(as_text=True)


def test_bad_person_input_gets_field_messages_and_writes_nothing(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    before = people_count()
    cases = [
        (dict(name=""), "请填写姓名"),
        (dict(name="名" * 65), "姓名最多 64 个字"),
        (dict(name="<b>王</b>"), "不能包含 &lt; 或 &gt;"),
        (dict(phone="call me"), "电话号码格式不正确"),
        (dict(membership_kind=""), "党员须选择管理方式"),
        (dict(is_party_member="", membership_kind="working"), "非党员不填写管理方式"),
        (dict(membership_kind="martian"), "不是有效的选择"),
        (dict(note="备" * 501), "备注最多 500 个字"),
        (dict(community_id=""), "请选择所属社区"),
        (dict(community_id="abc"), "请从列表中选择"),
    ]
    for over, message in cases:
        r = post(client, "/people/new", valid_person(**over))
        assert r.status_code == 422, over
        assert message in r.get_data(as_text=True), over
    assert people_count() == before


def test_ids_outside_scope_answer_404(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    before = people_count()
    assert post(client, "/people/new", valid_person(community_id=str(community("济阳示例一社区").id))).status_code == 404
    from webapp.companies.models import PropertyCompany

    fanhua = db.session.scalar(select(PropertyCompany).where(PropertyCompany.name == "泛华物业服务有限公司"))
    assert post(client, "/people/new", valid_person(company_id=str(fanhua.id))).status_code == 404
    assert people_count() == before
    other = person("罗永梅")
    assert client.get(f"/people/{other.id}").status_code == 404
    assert post(client, f"/people/{other.id}/edit", valid_person(version=other.version)).status_code == 404
    db.session.expire_all()
    assert person("罗永梅").community.name == "永春社区"  # 豫海镇: another street


def test_another_community_of_the_same_street_answers_404(client, auth, fresh_demo):
    auth.login("jiyang_staff")  # 济阳示例一社区
    before = people_count()
    mine = valid_person(community_id=str(community("济阳示例一社区").id), name="济阳居民")
    assert post(client, "/people/new", valid_person(community_id=str(community("济阳示例二社区").id))).status_code == 404
    assert people_count() == before
    assert post(client, "/people/new", mine).status_code == 303


def test_edit_with_stale_version_is_refused(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    p = person("赵清华")
    data = valid_person(name="赵清华", is_party_member="", membership_kind="", version=str(p.version))
    assert post(client, f"/people/{p.id}/edit", data).status_code == 303
    r = post(client, f"/people/{p.id}/edit", {**data, "phone": "13900000000"})
    assert r.status_code == 409 and "已被他人修改" in r.get_data(as_text=True)
    db.session.expire_all()
    assert person("赵清华").phone == "0532-86001234"


def test_positions_are_added_for_a_term_and_ended(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    p = person("潘维海")
    branch = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "双珠路社区第二网格党支部"))
    base = {"role": "书记", "organisation": f"unit:{branch.id}", "start_date": "2026-01-01", "is_leader": "y"}
    r = post(client, f"/people/{p.id}/positions", {**base, "end_date": "2025-12-31"})
    assert r.status_code == 422 and "结束日期不能早于开始日期" in r.get_data(as_text=True)
    r = post(client, f"/people/{p.id}/positions", {**base, "start_date": "2026-02-30"})
    assert r.status_code == 422 and "不是有效的日期值" in r.get_data(as_text=True)
    r = post(client, f"/people/{p.id}/positions", {**base, "start_date": "0202-01-01"})
    assert r.status_code == 422 and "1949-10-01" in r.get_data(as_text=True)
    r = post(client, f"/people/{p.id}/positions", {**base, "organisation": "planet:1"})
    assert r.status_code == 422 and "请从列表中选择任职组织" in r.get_data(as_text=True)
    other = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "济阳示例一社区环物委"))
    assert post(client, f"/people/{p.id}/positions", {**base, "organisation": f"unit:{other.id}"}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Position).where(Position.person_id == p.id)) == 1
    assert post(client, f"/people/{p.id}/positions", base).status_code == 303
    # The tree now shows 潘维海 as the branch's leader.
    children = client.get(f"/structure/units/{branch.parent_id}/children").get_data(as_text=True)
    assert "潘维海（书记）" in children
    pos = db.session.scalar(select(Position).where(Position.person_id == p.id, Position.role == "书记"))
    r = post(client, f"/people/{p.id}/positions/{pos.id}/end", {"end_date": "2025-06-30"})
    assert r.status_code == 422 and "结束日期不能早于开始日期" in r.get_data(as_text=True)
    r = post(client, f"/people/{p.id}/positions/{pos.id}/end", {"end_date": local_today().isoformat()})
    assert r.status_code == 303
    db.session.expire_all()
    assert db.session.get(Position, pos.id).end_date == local_today()


def _xlsx(rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def upload(client, data, filename="人员.xlsx"):
    token = csrf_from(client.get("/people/import").get_data(as_text=True))
    return client.post("/people/import", data={"csrf_token": token, "file": (data, filename)},
                       content_type="multipart/form-data")


def test_import_template_and_export(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    r = client.get("/people/import-template.xlsx")
    assert r.status_code == 200
    header = [c.value for c in load_workbook(io.BytesIO(r.data)).active[1]]
    assert header[0] == "姓名*" and "党员管理方式" in header
    r = client.get("/people/export.xlsx?party=1")
    ws = load_workbook(io.BytesIO(r.data)).active
    names = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert "张英" in names and "赵清华" not in names and "罗永梅" not in names


def test_import_refuses_broken_files(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    before = people_count()
    r = upload(client, io.BytesIO(b"PK\x03\x04 not really a zip"))
    assert r.status_code == 422 and "文件已损坏" in r.get_data(as_text=True)
    r = upload(client, io.BytesIO(b"name,phone\n"), filename="people.csv")
    assert r.status_code == 422 and "只接受 Excel .xlsx 文件" in r.get_data(as_text=True)
    r = upload(client, _xlsx([["王五"]], headers=["名字", "手机"]))
    assert r.status_code == 422 and "表头与模板不一致" in r.get_data(as_text=True)
    r = upload(client, io.BytesIO(b"0" * (11 * 1024 * 1024)))
    assert r.status_code == 413 and "文件过大" in r.get_data(as_text=True)
    assert people_count() == before


def test_import_reports_every_bad_row_and_writes_nothing(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    before = people_count()
    rows = [
        ["李一", "13800000001", "双珠路社区", None, "是", "直接管", None],  # fine
        [None, "13800000002", None, None, "否", None, None],  # row 3: no name
        ["李三", "13800000003", "济阳示例一社区", None, "否", None, None],  # row 4: another street's community
        ["李四", None, None, None, "是", None, None],  # row 5: party member without kind
        ["李五", None, None, None, "也许", None, None],  # row 6: not 是/否
        ["李六", None, None, None, "否", None, "长" * 600],  # row 7: overlong cell
        ["李七", None, None, "不存在物业", "否", None, None],  # row 8: unknown company
        ["<i>李八</i>", "电话", None, None, "否", None, None],  # row 9: markup, bad phone
    ]
    r = upload(client, _xlsx(rows))
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "未导入任何数据" in html
    for row, text in [(3, "必须填写"), (4, "不是您管辖范围内的社区"), (5, "党员须选择管理方式"), (6, "应填写“是”或“否”"),
                      (7, "内容过长"), (8, "找不到物业企业"), (9, "不能包含"), (9, "电话号码格式不正确")]:
        assert f'<td class="num">{row}</td>' in html and text in html, (row, text)
    assert people_count() == before


def test_good_file_is_imported_whole(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    before = people_count()
    rows = [
        ["李一", "13800000001", "双珠路社区", None, "是", "直接管", "珠海一区红色管家"],
        ["李二", 13800000002, None, "热诚物业管理有限公司", "是", "在职党员（双重管）", None],
        ["李三", None, None, None, "否", None, None],
    ]
    r = upload(client, _xlsx(rows))
    assert r.status_code == 200 and "新增 3，更新 0，不变 0，错误 0" in r.get_data(as_text=True)
    assert people_count() == before  # the preview writes nothing
    r = confirm(client, r)
    assert r.status_code == 303
    assert people_count() == before + 3
    li2 = person("李二")
    assert li2.phone == "13800000002" and li2.membership_kind == "working"
    assert li2.community.name == "双珠路社区" and li2.company.name == "热诚物业管理有限公司"
    assert "人员已导入：新增 3，更新 0，不变 0，错误 0" in client.get("/people/").get_data(as_text=True)


def confirm(client, preview):
    """Post the preview page's confirmation form, as a browser without JavaScript does."""
    import re

    html = preview.get_data(as_text=True)
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    return client.post("/people/import", data={"csrf_token": csrf_from(html), "token": token, "confirm": "1"})


def test_importing_the_same_file_twice_updates_instead_of_duplicating(client, auth, fresh_demo):
    from webapp.audit.models import AuditLog

    auth.login("shuangzhu_staff")
    before = people_count()
    rows = [["周一", "13900000001", "双珠路社区", None, "是", "直接管", "3号楼"],
            ["周二", "13900000002", None, None, "否", None, None],
            ["周三", None, None, None, "否", None, None]]
    assert confirm(client, upload(client, _xlsx(rows))).status_code == 303
    assert people_count() == before + 3
    # The same file again: nothing new, nothing changed.
    again = upload(client, _xlsx(rows))
    assert again.status_code == 200 and "新增 0，更新 0，不变 3，错误 0" in again.get_data(as_text=True)
    # One person changed, one added: matched by name and phone.
    rows[0][6], rows[1][4], rows[1][5] = "4号楼", "是", "跟进管"
    r = upload(client, _xlsx(rows + [["周四", "13900000004", None, None, "否", None, None]]))
    html = r.get_data(as_text=True)
    assert "新增 1，更新 2，不变 1，错误 0" in html and "更新：备注" in html
    assert people_count() == before + 3
    assert confirm(client, r).status_code == 303
    assert people_count() == before + 4
    assert person("周一").note == "4号楼" and person("周二").membership_kind == "floating"
    log = db.session.scalars(select(AuditLog).where(AuditLog.action == "import", AuditLog.entity == "person")
                             .order_by(AuditLog.id.desc())).first()
    assert log.note == "Excel 导入人员：新增 1 人，更新 2 人"


def test_a_bad_row_blocks_the_whole_reimport_and_a_used_preview_is_gone(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    rows = [["吴一", "13700000001", None, None, "否", None, "旧备注"]]
    first = upload(client, _xlsx(rows))
    assert confirm(client, first).status_code == 303
    before, note = people_count(), person("吴一").note
    r = upload(client, _xlsx([["吴一", "13700000001", None, None, "否", None, "新备注"],
                              ["吴二", None, None, None, "是", None, None]]))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "新增 0，更新 1，不变 0，错误 1" in html and "未导入任何数据" in html
    assert 'name="token"' not in html  # nothing to confirm
    assert people_count() == before and person("吴一").note == note
    # The first preview's file was used up by its confirmation.
    again = confirm(client, first)
    assert again.status_code == 422 and "预览已失效" in again.get_data(as_text=True)
    assert people_count() == before


def test_a_preview_token_is_only_its_uploaders(app, client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    preview = upload(client, _xlsx([["郑一", None, None, None, "否", None, None]]))
    import re

    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.get_data(as_text=True)).group(1)
    other = app.test_client()
    from conftest import AuthActions

    AuthActions(other).login("street_admin")
    page = other.get("/people/import").get_data(as_text=True)
    r = other.post("/people/import", data={"csrf_token": csrf_from(page), "token": token, "confirm": "1"})
    assert r.status_code == 422 and "预览已失效" in r.get_data(as_text=True)
