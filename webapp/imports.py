"""Excel import in two steps, the same for every list: upload → preview → confirm.

The upload is read and checked whole (`excel.read_rows` + the domain's checks) and
matched against what exists by natural key; nothing is written. The page shows
"新增 N，更新 M，不变 K，错误 E" and what each row will do. The uploaded file waits under
UPLOAD_DIR/imports/, named by a random token and the user's id, for one hour; the
confirmation posts that token, and the file is read and checked again against the
database as it is then, and written in one transaction (all rows or none).

A domain describes its import with `plan(rows) -> (changes, errors)` and
`apply(changes)`; `Change` says what one row does."""
import io
import os
import re
import secrets
import time
from dataclasses import dataclass, field

from flask import current_app, flash, redirect, render_template, request
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from .confirm import confirmed
from .excel import read_rows
from .extensions import db
from .forms import BaseForm, save_or_conflict

AREA = "imports"
KEEP_SECONDS = 3600
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
NEW, UPDATE, SAME = "new", "update", "same"


@dataclass
class Change:
    """What one row of the file does: NEW (obj None), UPDATE (the `fields` labels that
    change on `obj`) or SAME."""

    kind: str
    row: dict
    obj: object = None
    fields: list = field(default_factory=list)
    label: str = ""


def counts(changes, errors):
    """新增/更新/不变 over the rows without errors, and the number of rows with errors."""
    bad = {e[0] for e in errors}
    good = [c for c in changes if c.row["_row"] not in bad]
    return {"new": sum(c.kind == NEW for c in good), "update": sum(c.kind == UPDATE for c in good),
            "same": sum(c.kind == SAME for c in good), "errors": len(bad)}


def summary(c):
    return f"新增 {c['new']}，更新 {c['update']}，不变 {c['same']}，错误 {c['errors']}"


def differences(obj, row, fields):
    """Labels of `fields` (attribute → (row key, label)) whose value on obj differs."""
    return [label for attr, (key, label) in fields.items() if (getattr(obj, attr) or None) != (row.get(key) or None)]


# --- the uploaded file, kept between preview and confirmation ---------------------------

def _folder():
    path = os.path.join(current_app.config["UPLOAD_DIR"], AREA)
    os.makedirs(path, exist_ok=True)
    return path


def _path(token):
    return os.path.join(_folder(), f"{current_user.id}-{token}.xlsx")


def stage(data):
    """Keep the upload for the confirmation; returns its token. Old ones are removed."""
    now = time.time()
    for name in os.listdir(_folder()):
        try:
            if now - os.path.getmtime(os.path.join(_folder(), name)) > KEEP_SECONDS:
                os.remove(os.path.join(_folder(), name))
        except OSError:
            pass
    token = secrets.token_hex(16)
    with open(_path(token), "wb") as fh:
        fh.write(data)
    return token


def staged(token):
    """The kept upload's bytes (this user's, not expired), or None."""
    if not TOKEN_RE.match(token or ""):
        return None
    path = _path(token)
    try:
        if time.time() - os.path.getmtime(path) > KEEP_SECONDS:
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def drop(token):
    try:
        os.remove(_path(token))
    except OSError:
        pass


# --- the view ------------------------------------------------------------------------

def handle(page, columns, plan, apply, done_url, what, **context):
    """GET: the upload page. POST a file: the preview (or every error, 422). POST the
    preview's token with confirm=1: check again and write everything, or nothing."""
    def show(status=200, **extra):
        values = {"form": form, "errors": [], "preview": None, **context, **extra}
        return render_template(page, **values), status

    form = BaseForm()
    if request.method == "GET":
        return show()
    if not form.validate():
        return show(400, errors=[(0, "表单", "页面已过期，请刷新后重新上传。")])
    token = request.form.get("token") or ""
    if token:
        data = staged(token)
        if data is None:
            return show(422, errors=[(0, "文件", "预览已失效（超过 1 小时或已经导入），请重新上传文件。")])
        upload = FileStorage(io.BytesIO(data), filename="import.xlsx")
    else:
        upload = request.files.get("file")
        data = upload.read() if upload is not None and upload.filename else b""
        if upload is not None:
            upload = FileStorage(io.BytesIO(data), filename=upload.filename)
    rows, errors = read_rows(upload, columns)
    changes = []
    if not any(row == 0 for row, _, _ in errors):
        changes, more = plan(rows)
        errors = sorted(errors + more, key=lambda e: e[0])
    tally = counts(changes, errors)
    if errors:
        return show(422, errors=errors, tally=tally, summary=summary(tally))
    if not (token and confirmed()):
        token = stage(data)
        return show(200, preview=changes, tally=tally, summary=summary(tally), token=token)
    problems = []
    if save_or_conflict(lambda: apply(changes), problems) is None:  # someone saved a same key meanwhile
        return show(409, errors=[(0, "文件", problems[0] + "（未导入任何数据）")])
    drop(token)
    flash(f"{what}已导入：{summary(tally)}。", "success")
    return redirect(done_url, 303)
