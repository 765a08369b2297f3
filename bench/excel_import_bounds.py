"""How long `excel.read_rows` holds a worker on hostile workbooks: 2.6 million empty rows
(as <row> elements, with and without a declared <dimension>) and one row of 2.6 million
empty cells. Each case prints its size, seconds and the error it ends with.

    .venv/bin/python bench/excel_import_bounds.py [--rows 2600000]
"""
import argparse
import io
import os
import re
import sys
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def crafted(rows, declare, wide=False):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["名称", "备注"])
    buf = io.BytesIO()
    wb.save(buf)
    src, out = zipfile.ZipFile(buf), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:B%d" />' % (rows + 1) if declare else b"", data)
                if wide:  # one row of `rows` empty cells
                    body = b'<row r="2">' + b"<c/>" * rows + b"</row>"
                else:
                    body = b"".join(b'<row r="%d"/>' % i for i in range(2, rows + 2))
                data = data.replace(b"</sheetData>", body + b"</sheetData>")
            z.writestr(info.filename, data)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_600_000)
    args = parser.parse_args()
    from werkzeug.datastructures import FileStorage

    from webapp import create_app
    from webapp.config import TestConfig
    from webapp.excel import Column, read_rows

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    columns = [Column("name", "名称", required=True), Column("note", "备注")]
    with app.app_context():
        for label, declare, wide in (("empty rows, dimension declared", True, False),
                                     ("empty rows, no dimension", False, False),
                                     ("one row of empty cells", False, True)):
            data = crafted(args.rows, declare, wide)
            start = time.perf_counter()
            _, errors = read_rows(FileStorage(io.BytesIO(data), filename="x.xlsx"), columns)
            print(f"{label:34} {len(data) / 1024:8.0f} KB  {time.perf_counter() - start:6.2f} s  {errors[0][2]}")


if __name__ == "__main__":
    main()
