"""Excel import of compounds and buildings: every bad row reported, nothing written unless
the whole file is valid; and the exports."""
import io
import re

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from conftest import csrf_from
from webapp.compounds.models import Building, Community, Compound
from webapp.extensions import db

COMPOUND_HEADERS = ["社区", "小区名称", "网格", "小区类型", "管理模式", "物业服务企业", "并入/托管的相邻小区", "地址", "备注"]
BUILDING_HEADERS = ["社区", "小区", "楼栋名称", "户数", "红色管家/楼长姓名", "角色", "同意公示电话"]


def _xlsx(headers, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(client, auth, path, data, filename="导入.xlsx"):
    token = auth.csrf(path)
    return client.post(path, data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _confirm(client, path, preview):
    """Post the preview's confirmation form, as a browser without JavaScript does."""
    html = preview.get_data(as_text=True)
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    return client.post(path, data={"csrf_token": csrf_from(html), "token": token, "confirm": "1"})


def _count(model, *where):
    return db.session.scalar(select(func.count(model.id)).where(*where))


def _errors(html):
    """The (row, column) pairs of the error table."""
    body = html.split('class="import-errors"')[1]
    cells = [c.split("</td>")[0] for c in body.split("<td")[1:]]
    cells = [c.split(">", 1)[1] for c in cells]
    return [(cells[i], cells[i + 1], cells[i + 2]) for i in range(0, len(cells), 3)]


def test_template_has_the_import_headers_and_notes(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    r = client.get("/compounds/import-template.xlsx")
    wb = load_workbook(io.BytesIO(r.data))
    assert [c.value.rstrip("*") for c in wb.active[1]] == COMPOUND_HEADERS
    assert "填写说明" in wb.sheetnames
    r = client.get("/compounds/buildings/import-template.xlsx")
    assert [c.value.rstrip("*") for c in load_workbook(io.BytesIO(r.data)).active[1]] == BUILDING_HEADERS


def test_broken_file_and_wrong_header_are_refused(client, auth, fresh_demo):
    auth.login("street_admin")
    before = _count(Compound)
    r = _upload(client, auth, "/compounds/import", b"PK\x03\x04 this is not a workbook")
    assert r.status_code == 422 and "文件已损坏或不是有效的 Excel .xlsx 文件" in r.get_data(as_text=True)
    r = _upload(client, auth, "/compounds/import", b"name,kind\n", filename="compounds.csv")
    assert r.status_code == 422 and "只接受 Excel .xlsx 文件" in r.get_data(as_text=True)
    r = _upload(client, auth, "/compounds/import", _xlsx(["小区", "类型"], [["甲", "乙"]]))
    assert r.status_code == 422 and "表头与模板不一致" in r.get_data(as_text=True)
    r = _upload(client, auth, "/compounds/import", _xlsx(COMPOUND_HEADERS, []))
    assert r.status_code == 422 and "文件中没有数据行" in r.get_data(as_text=True)
    assert _count(Compound) == before


def test_every_bad_compound_row_is_reported_and_nothing_written(client, auth, fresh_demo):
    auth.login("street_admin")
    before = _count(Compound)
    rows = [
        ["双珠路社区", "珠海三区", "第一网格", "老旧小区", "物业服务企业", "隐珠安居物业管理有限公司", "", "", ""],  # good
        ["不存在社区", "甲小区", "", "老旧小区", "自管会", "", "", "", ""],                                  # 3
        ["双珠路社区", "珠海一区", "", "老旧小区", "自管会", "", "", "", ""],                                 # 4 exists: an update
        ["双珠路社区", "珠海三区", "", "老旧小区", "自管会", "", "", "", ""],                                 # 5 repeat of 2
        ["双珠路社区", "乙小区", "第九网格", "城堡", "物业服务企业", "", "", "", ""],                           # 6
        ["双珠路社区", "丙小区", "", "老旧小区", "托管", "", "水景花苑", "", ""],                               # 7
        ["双珠路社区", "丁小区", "", "老旧小区", "自管会", "泛华物业服务有限公司", "", "", ""],                     # 8
        ["双珠路社区", "<script>x</script>", "", "老旧小区", "物业服务企业", "没有这家公司", "", "", ""],            # 9
        ["双珠路社区", "戊" * 101, "", "老旧小区", "自管会", "", "", "", ""],                                 # 10
    ]
    r = _upload(client, auth, "/compounds/import", _xlsx(COMPOUND_HEADERS, rows))
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    found = {(row, col) for row, col, _ in _errors(html)}
    assert found == {
        ("3", "社区"), ("5", "小区名称"), ("6", "网格"), ("6", "小区类型"), ("6", "物业服务企业"),
        ("7", "并入/托管的相邻小区"), ("8", "物业服务企业"), ("9", "物业服务企业"), ("10", "小区名称"),
    }
    assert "社区「不存在社区」不存在或不在您的管辖范围内" in html
    assert "与第 2 行重复" in html
    assert "本社区没有小区「水景花苑」" in html
    assert "<script>x</script>" not in html
    assert _count(Compound) == before


def test_good_compound_file_is_imported_whole(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    rows = [
        ["双珠路社区", "珠海三区", "第二网格", "老旧小区", "物业服务企业", "隐珠安居物业管理有限公司", "", "双珠路 21 号", ""],
        ["双珠路社区", "珠海四区", "", "“三无”小区", "托管", "隐珠安居物业管理有限公司", "珠海三区", "", "暂托管"],
        ["双珠路社区", "双珠路19号楼", "", "独楼独院", "自管会", "", "", "", ""],
    ]
    r = _upload(client, auth, "/compounds/import", _xlsx(COMPOUND_HEADERS, rows))
    assert r.status_code == 200 and "新增 3，更新 0，不变 0，错误 0" in r.get_data(as_text=True)
    assert _count(Compound, Compound.name == "珠海三区") == 0  # the preview writes nothing
    r = _confirm(client, "/compounds/import", r)
    assert r.status_code == 303
    assert "小区已导入：新增 3，更新 0，不变 0，错误 0" in client.get(r.headers["Location"]).get_data(as_text=True)
    four = db.session.scalar(select(Compound).where(Compound.name == "珠海四区"))
    assert four.partner.name == "珠海三区" and four.kind == "three_no" and four.management_mode == "entrusted"
    assert four.community.name == "双珠路社区"
    from webapp.audit.models import AuditLog

    notes = db.session.scalars(select(AuditLog.note).where(AuditLog.action == "import")).all()
    assert notes == ["Excel 导入小区：新增 3 个，更新 0 个"]
    assert _count(AuditLog, AuditLog.action == "create", AuditLog.entity == "compound", AuditLog.username == "shuangzhu_staff") == 3


def test_community_staff_cannot_import_into_another_community(client, auth, fresh_demo):
    auth.login("jiyang_staff")
    rows = [["济阳示例二社区", "外区小区", "", "老旧小区", "自管会", "", "", "", ""]]
    r = _upload(client, auth, "/compounds/import", _xlsx(COMPOUND_HEADERS, rows))
    assert r.status_code == 422
    assert "社区「济阳示例二社区」不存在或不在您的管辖范围内" in r.get_data(as_text=True)
    assert _count(Compound, Compound.name == "外区小区") == 0


def test_street_admin_cannot_import_into_another_street(client, auth, fresh_demo):
    auth.login("street_admin")
    rows = [["济阳示例一社区", "外区小区", "", "老旧小区", "自管会", "", "", "", ""]]
    r = _upload(client, auth, "/compounds/import", _xlsx(COMPOUND_HEADERS, rows))
    assert r.status_code == 422
    assert "社区「济阳示例一社区」不存在或不在您的管辖范围内" in r.get_data(as_text=True)
    assert _count(Compound, Compound.name == "外区小区") == 0


def test_buildings_bad_rows_all_reported_then_good_file_imported(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    bad = [
        ["双珠路社区", "珠海一区", "41号楼", "10001", "", "", ""],        # 2 households
        ["双珠路社区", "珠海一区", "1号楼", "30", "", "", ""],            # 3 exists: an update
        ["双珠路社区", "珠海一区", "42号楼", "很多", "无名氏", "", "是"],     # 4 households, steward
        ["双珠路社区", "珠海一区", "43号楼", "30", "", "队长", "是"],        # 5 role, public without steward
        ["双珠路社区", "珠海一区", "44号楼", "30", "", "", ""],
        ["双珠路社区", "珠海一区", "44号楼", "30", "", "", ""],           # 7 repeat of 6
        ["济阳示例一社区", "水景花苑", "20号楼", "30", "", "", ""],        # 8 out of scope
    ]
    r = _upload(client, auth, "/compounds/buildings/import", _xlsx(BUILDING_HEADERS, bad))
    assert r.status_code == 422
    found = {(row, col) for row, col, _ in _errors(r.get_data(as_text=True))}
    assert found == {
        ("2", "户数"), ("4", "户数"), ("4", "红色管家/楼长姓名"), ("5", "角色"),
        ("5", "同意公示电话"), ("7", "楼栋名称"), ("8", "小区"),
    }
    assert _count(Building, Building.name.in_(["41号楼", "44号楼"])) == 0
    good = [
        ["双珠路社区", "珠海一区", "41号楼", "32", "张英", "楼长", "是"],
        ["双珠路社区", "珠海一区", "42号楼", "0", "", "", ""],
    ]
    r = _confirm(client, "/compounds/buildings/import", _upload(client, auth, "/compounds/buildings/import",
                                                              _xlsx(BUILDING_HEADERS, good)))
    assert r.status_code == 303
    b = db.session.scalar(select(Building).where(Building.name == "41号楼"))
    assert b.steward.name == "张英" and b.steward_role == "building_head" and b.steward_phone_public
    assert b.compound.name == "珠海一区"


def test_grid_worker_imports_buildings_only_for_their_grid(client, auth, fresh_demo):
    auth.login("grid_worker")
    rows = [["双珠路社区", "珠海二区", "36号楼", "30", "", "", ""]]
    r = _upload(client, auth, "/compounds/buildings/import", _xlsx(BUILDING_HEADERS, rows))
    assert r.status_code == 422
    assert "不存在或不在您的管辖范围内" in r.get_data(as_text=True)
    rows = [["双珠路社区", "珠海一区", "41号楼", "30", "", "", ""]]
    preview = _upload(client, auth, "/compounds/buildings/import", _xlsx(BUILDING_HEADERS, rows))
    assert _confirm(client, "/compounds/buildings/import", preview).status_code == 303
    assert client.get("/compounds/import").status_code == 403


def test_reimporting_compounds_updates_by_community_and_name(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    rows = [
        ["双珠路社区", "珠海三区", "第二网格", "老旧小区", "物业服务企业", "隐珠安居物业管理有限公司", "", "双珠路 21 号", ""],
        ["双珠路社区", "珠海四区", "", "“三无”小区", "托管", "隐珠安居物业管理有限公司", "珠海三区", "", "暂托管"],
    ]
    assert _confirm(client, "/compounds/import", _upload(client, auth, "/compounds/import",
                                                         _xlsx(COMPOUND_HEADERS, rows))).status_code == 303
    before = _count(Compound)
    again = _upload(client, auth, "/compounds/import", _xlsx(COMPOUND_HEADERS, rows))
    assert again.status_code == 200 and "新增 0，更新 0，不变 2，错误 0" in again.get_data(as_text=True)
    rows[0][7] = "双珠路 23 号"
    r = _upload(client, auth, "/compounds/import", _xlsx(COMPOUND_HEADERS, rows))
    assert "新增 0，更新 1，不变 1，错误 0" in r.get_data(as_text=True) and "更新：地址" in r.get_data(as_text=True)
    assert _confirm(client, "/compounds/import", r).status_code == 303
    assert _count(Compound) == before
    assert db.session.scalar(select(Compound).where(Compound.name == "珠海三区")).address == "双珠路 23 号"


def test_reimporting_buildings_updates_by_compound_and_name(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    one = db.session.scalar(select(Building).where(Building.name == "1号楼", Building.compound.has(name="珠海一区")))
    households = one.households
    rows = [["双珠路社区", "珠海一区", "1号楼", str(households + 5), "", "", ""],
            ["双珠路社区", "珠海一区", "45号楼", "12", "", "", ""]]
    before = _count(Building)
    r = _upload(client, auth, "/compounds/buildings/import", _xlsx(BUILDING_HEADERS, rows))
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "新增 1，更新 1" in html and "更新：户数" in html
    assert _confirm(client, "/compounds/buildings/import", r).status_code == 303
    assert _count(Building) == before + 1
    db.session.expire_all()
    assert db.session.get(Building, one.id).households == households + 5
    again = _upload(client, auth, "/compounds/buildings/import", _xlsx(BUILDING_HEADERS, rows))
    assert "新增 0，更新 0，不变 2，错误 0" in again.get_data(as_text=True)


def test_exports_follow_scope_and_filters(client, auth, fresh_demo):
    auth.login("street_admin")
    shuangzhu = db.session.scalar(select(Community.id).where(Community.name == "双珠路社区"))
    ws = load_workbook(io.BytesIO(client.get(f"/compounds/buildings.xlsx?community={shuangzhu}").data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0][:7]) == BUILDING_HEADERS
    assert len(rows) - 1 == 120
    assert {r[0] for r in rows[1:]} == {"双珠路社区"}
    assert rows[1][:3] == ("双珠路社区", "恒安福苑", "1号楼")
    auth.logout()
    auth.login("company_manager")
    ws = load_workbook(io.BytesIO(client.get("/compounds/export.xlsx").data)).active
    names = sorted(r[1] for r in list(ws.iter_rows(values_only=True))[1:])
    # 泛华 serves 泛华盛世 (离石) and four old compounds in 济阳: one export across both streets.
    assert names == sorted(["泛华盛世", "济阳一社区示例老旧小区2", "济阳一社区示例老旧小区3", "济阳二社区示例老旧小区1",
                            "济阳二社区示例老旧小区2"])
