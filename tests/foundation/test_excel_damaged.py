"""Damaged workbooks and infinite numbers are import errors in Chinese, never a 500."""
import io
import zipfile

import pytest
from openpyxl import Workbook

from conftest import csrf_from

BUILDING_HEADERS = ["社区", "小区", "楼栋名称", "户数", "红色管家/楼长姓名", "角色", "同意公示电话"]


def xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def replace_member(data, member, content):
    """The workbook with one of its zip members replaced (e.g. by broken XML)."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info, content if info.filename == member else src.read(info))
    return out.getvalue()


GOOD = [BUILDING_HEADERS, ["双珠路社区", "珠海一区", "99号楼", 3, None, None, None]]
DAMAGED = {
    "sheet XML cut off": ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"),
    "styles not XML": ("xl/styles.xml", b"garbage"),
    "workbook XML cut off": ("xl/workbook.xml", b"<x"),
    "content types cut off": ("[Content_Types].xml", b"<Types"),
}


@pytest.mark.parametrize("url", ["/compounds/buildings/import", "/compounds/import", "/people/import"])
@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_damaged_workbook(client, auth, fresh_demo, url, case):
    auth.login("street_admin")
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = replace_member(xlsx(GOOD), *DAMAGED[case])
    r = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), "x.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 422 and "文件已损坏" in r.get_data(as_text=True)


@pytest.mark.parametrize("households", ["1e999", "inf", "-inf", "nan"])
def test_infinite_household_count(client, auth, fresh_demo, households):
    auth.login("street_admin")
    url = "/compounds/buildings/import"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = xlsx([BUILDING_HEADERS, ["双珠路社区", "珠海一区", "99号楼", households, None, None, None]])
    r = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), "x.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 422 and "应为整数" in r.get_data(as_text=True)
