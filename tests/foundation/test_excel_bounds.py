"""An import's work is bounded before parsing: a sheet that declares millions of rows is
refused from its <dimension> alone, millions of empty rows (as elements, or as one far
cell that openpyxl fills up to) stop at the row budget, a time budget stops the rest, and
a declared range smaller than the data no longer cuts rows off. Crafted workbooks; the
timings are in bench/excel_import_bounds.py."""
import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

from conftest import csrf_from
from webapp.excel import Column, read_rows

COLUMNS = [Column("name", "名称", required=True), Column("note", "备注")]
SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rewrite_sheet(data, change):
    """The workbook with its first sheet's XML passed through `change(xml) -> xml`."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            content = src.read(info)
            z.writestr(info.filename, change(content) if info.filename == SHEET else content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def declare(ref):
    return lambda xml: re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="%s" />' % ref.encode(), xml)


def drop_dimension(xml):
    return re.sub(rb'<dimension ref="[^"]*" ?/>', b"", xml)


def empty_rows(first, count):
    """Insert `count` empty <row> elements from row `first` on, before </sheetData>."""
    rows = b"".join(b'<row r="%d"/>' % i for i in range(first, first + count))
    return lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")


def read(data):
    return read_rows(FileStorage(io.BytesIO(data), filename="导入.xlsx"), COLUMNS)


GOOD = [["名称", "备注"], ["甲", "一"], ["乙", "二"]]


def test_a_huge_declared_dimension_is_refused_before_the_rows_are_read():
    data = rewrite_sheet(workbook(GOOD), declare("A1:B2600000"))
    rows, errors = read(data)
    assert rows == []
    assert errors == [(0, "文件", "工作表的范围为 2600000 行，超过上限 10001 行（含空行）。"
                                 "请删除多余的空行（选中空行后“删除”），或拆分后再导入。")]


def test_many_empty_row_elements_stop_at_the_row_budget():
    data = rewrite_sheet(workbook(GOOD), lambda xml: empty_rows(4, 200_000)(drop_dimension(xml)))
    assert len(data) < 10 * 1024 * 1024  # small on the wire
    rows, errors = read(data)
    assert rows == [] and errors == [(0, "文件", "工作表超过 10001 行（含空行），请删除多余的空行，或拆分后再导入。")]


def test_one_far_cell_without_a_dimension_stops_at_the_row_budget():
    wb = Workbook()
    wb.active.append(["名称", "备注"])
    wb.active.cell(row=1_000_000, column=1, value="远处")
    out = io.BytesIO()
    wb.save(out)
    rows, errors = read(rewrite_sheet(out.getvalue(), drop_dimension))
    assert rows == [] and "工作表超过 10001 行（含空行）" in errors[0][2]


def test_a_row_of_a_million_empty_cells_is_refused_by_the_cell_count():
    data = rewrite_sheet(workbook(GOOD), lambda xml: xml.replace(b"</sheetData>", b'<row r="9">' + b"<c/>" * 1_000_000
                                                                   + b"</row></sheetData>"))
    rows, errors = read(data)
    assert rows == [] and errors[0][2].startswith("工作表的单元格超过 160016 个")


def test_empty_rows_within_the_budget_are_skipped():
    data = rewrite_sheet(workbook(GOOD), empty_rows(4, 5000))
    rows, errors = read(data)
    assert errors == [] and [r["name"] for r in rows] == ["甲", "乙"]


def test_a_declared_range_smaller_than_the_data_cuts_nothing_off():
    data = rewrite_sheet(workbook(GOOD + [["丙", "三"]]), declare("A1:B2"))
    rows, errors = read(data)
    assert errors == [] and [r["name"] for r in rows] == ["甲", "乙", "丙"]


def test_the_time_budget_stops_a_slow_sheet(app):
    app.config["XLSX_MAX_SECONDS"] = 0
    try:
        rows, errors = read(workbook(GOOD + [[f"名{i}", ""] for i in range(600)]))
    finally:
        app.config["XLSX_MAX_SECONDS"] = 5
    assert rows == [] and "秒内未能读完" in errors[0][2]


@pytest.mark.parametrize("url, template", [
    ("/people/import", "/people/import-template.xlsx"),
    ("/compounds/import", "/compounds/import-template.xlsx"),
    ("/compounds/buildings/import", "/compounds/buildings/import-template.xlsx"),
])
def test_import_pages_refuse_a_huge_sheet_in_chinese(client, auth, fresh_demo, url, template):
    from openpyxl import load_workbook

    auth.login("street_admin")
    token = csrf_from(client.get(url).get_data(as_text=True))
    head = [c.value for c in next(load_workbook(io.BytesIO(client.get(template).data)).active.iter_rows(max_row=1))]
    data = rewrite_sheet(workbook([head]), declare("A1:G2600000"))
    r = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), "x.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 422
    assert "工作表的范围为 2600000 行" in r.get_data(as_text=True)
