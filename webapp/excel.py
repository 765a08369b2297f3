"""Excel (.xlsx) export and import shared by every list (openpyxl).

Export: `xlsx_response(filename, sheet_title, headers, rows)`.
Import: describe the sheet with `Column`s, offer `template_response(...)`, then
`read_rows(file, columns)` returns (rows, errors). Every bad cell is reported as
(row number, column header, reason in Chinese); callers write nothing unless `errors`
is empty, so a file is imported whole or not at all.
"""
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable, Optional
from urllib.parse import quote

from flask import Response, current_app
from xml.etree.ElementTree import ParseError

# openpyxl (and lxml under it) is imported on first use, not when the app starts: most
# processes never export or import a workbook (issue 13, start-up).


def Workbook(*args, **kwargs):  # noqa: N802  (stands in for openpyxl's class)
    from openpyxl import Workbook as _Workbook

    return _Workbook(*args, **kwargs)


def load_workbook(*args, **kwargs):
    from openpyxl import load_workbook as _load

    return _load(*args, **kwargs)


def Font(*args, **kwargs):  # noqa: N802
    from openpyxl.styles import Font as _Font

    return _Font(*args, **kwargs)


def PatternFill(*args, **kwargs):  # noqa: N802
    from openpyxl.styles import PatternFill as _Fill

    return _Fill(*args, **kwargs)

# What a damaged workbook raises while it is opened or its rows are read (a sheet's XML is
# parsed lazily, row by row, in read-only mode).
def broken_file():
    """The exception classes of a damaged workbook (openpyxl's own loaded on demand)."""
    from openpyxl.utils.exceptions import InvalidFileException

    try:  # openpyxl parses with lxml when it is installed
        from lxml.etree import XMLSyntaxError
    except ImportError:  # pragma: no cover
        XMLSyntaxError = ParseError
    return (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError,
            ParseError, XMLSyntaxError, EOFError, IndexError)
BROKEN_FILE_ERROR = [(0, "文件", "文件已损坏或不是有效的 Excel .xlsx 文件。")]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL = 500


@dataclass
class Column:
    """One column of an import sheet. `parse(text)` returns the value or raises
    ValueError with a Chinese reason; `choices` maps accepted labels to values."""

    key: str
    header: str
    required: bool = False
    max_length: int = 100
    parse: Optional[Callable] = None
    choices: dict = field(default_factory=dict)
    example: str = ""


def _workbook_bytes(wb):
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet(wb, title, headers):
    ws = wb.active
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0ECE6")
    ws.freeze_panes = "A2"
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, min(40, len(str(h)) * 2 + 4))
    return ws


def _cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never let a typed value become a formula
    return value


def _write_only(sheet_title, headers, rows, progress=None):
    """A write-only (streaming) workbook of one sheet: bold headers, then `rows`;
    `progress(i)` is told after each row."""
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31])
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[_column_letter(i)].width = max(10, min(40, len(str(h)) * 2 + 4))
    ws.freeze_panes = "A2"
    head = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0ECE6")
        head.append(cell)
    ws.append(head)
    for i, row in enumerate(rows, start=1):
        ws.append([_cell(v) for v in row])
        if progress:
            progress(i)
    return wb


def xlsx_response(filename, sheet_title, headers, rows):
    """A download of `rows` (sequences matching `headers`) as one sheet, written in
    openpyxl's streaming mode so ten thousand rows stay quick.

    Past EXPORT_JOB_ROWS rows the request does not build the file: it answers a page that
    offers to build it as a background job (webapp/jobs/exports.py), which runs this same
    view again, as the same user, and reports its progress row by row."""
    from .jobs import exports

    rows = list(rows)
    if exports.should_defer(len(rows)):
        return exports.offer(filename, len(rows))
    progress = exports.row_progress(len(rows))
    return _download(_workbook_bytes(_write_only(sheet_title, headers, rows, progress)), filename)


def _column_letter(i):
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def template_response(filename, sheet_title, columns):
    """An empty import template: the headers, one example row, and a notes sheet."""
    wb = Workbook()
    ws = _sheet(wb, sheet_title, [c.header + ("*" if c.required else "") for c in columns])
    ws.append([c.example for c in columns])
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    for c in columns:
        hint = "可选值：" + "、".join(c.choices) if c.choices else f"最多 {c.max_length} 字"
        notes.append([c.header, "是" if c.required else "否", hint])
    notes.append([])
    notes.append(["请从第 2 行开始填写（示例行可直接覆盖或删除），带 * 的列必须填写。"])
    return _download(_workbook_bytes(wb), filename)


def _download(data, filename):
    return Response(
        data,
        mimetype=XLSX_MIME,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_rows(file_storage, columns, max_rows=None):
    """Parse an uploaded .xlsx against `columns`.

    Returns (rows, errors): rows are dicts keyed by Column.key with parsed values and a
    `_row` number; errors are (row, header, reason) tuples. A file that is not a readable
    workbook, has the wrong headers or too many rows gives a single error on row 0.
    """
    max_rows = max_rows or current_app.config.get("XLSX_MAX_ROWS", 5000)
    if file_storage is None or not getattr(file_storage, "filename", ""):
        return [], [(0, "文件", "请选择要导入的 .xlsx 文件。")]
    if not file_storage.filename.lower().endswith(".xlsx"):
        return [], [(0, "文件", "只接受 Excel .xlsx 文件（请用本页提供的模板）。")]
    data = file_storage.read()
    if not data:
        return [], [(0, "文件", "文件是空的。")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            # Refuse zip bombs: the unpacked sheets must stay small.
            if sum(i.file_size for i in zf.infolist()) > 50 * 1024 * 1024:
                return [], [(0, "文件", "文件解压后过大，请拆分后再导入。")]
            problem = _prescan(zf, _row_budget(max_rows), len(columns))
            if problem:
                return [], [(0, "文件", problem)]
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except broken_file():
        return [], list(BROKEN_FILE_ERROR)
    try:
        return _read_sheet(wb, columns, max_rows)
    except broken_file():
        return [], list(BROKEN_FILE_ERROR)
    finally:
        wb.close()


class _TooBig(Exception):
    """The sheet is beyond the work an import may do; the message is Chinese."""


def _bounded(rows_iter, budget, seconds):
    """The sheet's rows, empty ones included, until `budget` rows or `seconds` are spent."""
    deadline = time.monotonic() + seconds
    for count, values in enumerate(rows_iter, start=1):
        if count > budget:
            raise _TooBig(f"工作表超过 {budget} 行（含空行），请删除多余的空行，或拆分后再导入。")
        if count % 256 == 0 and time.monotonic() > deadline:
            raise _TooBig(f"文件过于庞杂，{seconds:g} 秒内未能读完。请删除多余的空行、空列和格式后再导入。")
        yield values


def _row_budget(max_rows):
    return current_app.config.get("XLSX_MAX_SHEET_ROWS") or 2 * max_rows + 1


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Za-z]*(\d*)(?::[A-Za-z]*(\d+))?"')
_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
_CELL = re.compile(rb"<(?:\w+:)?(?:c|si)[\s/>]")
CELLS_PER_ROW = 16  # cells (or shared strings) a sheet may hold per budgeted row


def _chunks(zf, info, size=1 << 20):
    """The member's XML in pieces that each end before a '<', so no tag is cut in two."""
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(size):
            text = tail + chunk
            cut = text.rfind(b"<")
            cut = cut if cut > 0 else len(text)
            tail = text[cut:]
            yield text[:cut]
    if tail:
        yield tail


def _prescan(zf, budget, n_columns):
    """A Chinese reason when a worksheet (or the shared strings) is beyond the work an
    import may do, found before openpyxl parses anything: the declared <dimension>, then
    a count of <row> and <c> elements over the raw XML (openpyxl would otherwise parse a
    sheet without a dimension whole just to size it, 40 s for 2.6 million empty rows)."""
    cell_budget = budget * max(n_columns, CELLS_PER_ROW)
    for info in zf.infolist():
        name = info.filename
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml") or name == "xl/sharedStrings.xml"):
            continue
        rows = cells = 0
        for n, text in enumerate(_chunks(zf, info)):
            if n == 0:
                m = _DIMENSION.search(text, 0, 65536)
                declared = int(m.group(2) or m.group(1) or 0) if m else 0
                if declared > budget:
                    return (f"工作表的范围为 {declared} 行，超过上限 {budget} 行（含空行）。"
                            "请删除多余的空行（选中空行后“删除”），或拆分后再导入。")
            rows += len(_ROW.findall(text))
            cells += len(_CELL.findall(text))
            if rows > budget:
                return f"工作表超过 {budget} 行（含空行），请删除多余的空行，或拆分后再导入。"
            if cells > cell_budget:
                return f"工作表的单元格超过 {cell_budget} 个，请删除多余的行、列和格式后再导入。"
    return None


def _read_sheet(wb, columns, max_rows):
    """Rows of the first sheet, within a work budget: `_prescan` has bounded the XML, and
    here a count of rows read (empty ones too: openpyxl fills the gap up to a far row)
    and a time limit bound the parsing."""
    ws = wb.worksheets[0]
    budget = _row_budget(max_rows)
    seconds = current_app.config.get("XLSX_MAX_SECONDS", 5)
    ws.reset_dimensions()  # a declared range smaller than the data must not cut rows off
    try:
        return _check_rows(_bounded(ws.iter_rows(values_only=True, max_col=len(columns)), budget, seconds),
                           columns, max_rows)
    except _TooBig as exc:
        return [], [(0, "文件", str(exc))]


def _check_rows(rows_iter, columns, max_rows):
    header = [_text(v).rstrip("*") for v in (next(rows_iter, None) or [])]
    expected = [c.header for c in columns]
    if header[: len(expected)] != expected:
        return [], [(0, "表头", f"表头与模板不一致：应为「{'、'.join(expected)}」。请下载模板后填写。")]
    rows, errors = [], []
    for number, values in enumerate(rows_iter, start=2):
        values = list(values or [])[: len(columns)]
        if all(_text(v) == "" for v in values):
            continue
        if len(rows) >= max_rows:
            return [], [(0, "文件", f"行数超过上限 {max_rows} 行，请拆分后再导入。")]
        values += [None] * (len(columns) - len(values))
        parsed = {"_row": number}
        for column, raw in zip(columns, values):
            text = _text(raw)
            if len(text) > MAX_CELL or len(text) > column.max_length:
                errors.append((number, column.header, f"内容过长（最多 {column.max_length} 字）。"))
                continue
            if not text:
                if column.required:
                    errors.append((number, column.header, "必须填写。"))
                parsed[column.key] = None
                continue
            if any(ord(ch) < 32 for ch in text):
                errors.append((number, column.header, "包含不可见的控制字符。"))
                continue
            try:
                if column.choices:
                    if text not in column.choices:
                        raise ValueError("应为以下之一：" + "、".join(column.choices))
                    value = column.choices[text]
                else:
                    value = column.parse(text) if column.parse else text
            except ValueError as exc:
                errors.append((number, column.header, str(exc)))
                continue
            parsed[column.key] = value
        rows.append(parsed)
    if not rows and not errors:
        errors.append((0, "文件", "文件中没有数据行。"))
    return rows, errors


def parse_int(low=0, high=100000):
    def parse(text):
        try:
            value = int(float(text))
        except (ValueError, OverflowError):  # "abc"; "1e999" / "inf" (float infinity)
            raise ValueError("应为整数。") from None
        if not low <= value <= high:
            raise ValueError(f"应在 {low} 到 {high} 之间。")
        return value

    return parse


def parse_date(text):
    try:
        return date.fromisoformat(text[:10].replace("/", "-"))
    except ValueError:
        raise ValueError("日期格式应为 2026-01-31。") from None


def parse_bool(text):
    if text in ("是", "Y", "y", "1", "true", "TRUE"):
        return True
    if text in ("否", "N", "n", "0", "false", "FALSE"):
        return False
    raise ValueError("应填写“是”或“否”。")


def xlsx_stream(filename, sheet_title, headers, rows, chunk_size=64 * 1024):
    """Like `xlsx_response`, for lists too long to hold in memory: `rows` may be a
    generator (read in batches), openpyxl writes the sheet to a temporary file, and the
    finished file is streamed in chunks. The rows are consumed before this returns, so
    the caller knows how many were written."""
    import tempfile

    wb = _write_only(sheet_title, headers, rows)
    out = tempfile.TemporaryFile()
    wb.save(out)
    size = out.tell()
    out.seek(0)

    def chunks():
        with out:
            while True:
                data = out.read(chunk_size)
                if not data:
                    return
                yield data

    response = Response(chunks(), mimetype=XLSX_MIME, direct_passthrough=True,
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})
    response.content_length = size
    return response
