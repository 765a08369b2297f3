"""Search-as-you-type pickers for long choice lists (compounds, people, companies).

A street grows into a city: a `<select>` listing every compound in scope was 4.9 MB at
100,000 meetings' worth of places. A picker instead offers at most `LIMIT` options: the
chosen one, then those whose name contains what the user typed (or the first ones by
name when nothing is typed). The rows always come from a statement the domain's
access module builds, so a picker never offers what the user may not see.

- With JavaScript, HTMX asks the kind's small view (e.g. `/compounds/pick`) for the
  options as the user types, and swaps them into the `<select>`.
- Without JavaScript, the search box is an ordinary field named `<field>_q`: in a GET
  filter form it is sent with the filter, in a POST form the "查找" button (name
  `_pick`) sends the form back, `BaseForm.validate_on_submit` treats that as "not yet
  submitted", and the page comes back with the matching options and everything typed.

A view fills a form field with `fill(field, kind, stmt, ...)`; the `field()` form macro
then renders it as a picker. A GET filter renders `picker()` from templates/_picker.html
with `options(...)`.
"""
from dataclasses import dataclass, field as dc_field

from flask import request, url_for
from .extensions import db
from .forms import bounded_id
from .search import matches

LIMIT = 20
QUERY_MAX = 50


@dataclass
class Picked:
    """What a picker shows: up to LIMIT (value, label) pairs, and whether more matched."""

    options: list = dc_field(default_factory=list)
    more: bool = False
    q: str = ""
    url: str = ""
    blank: str | None = None
    selected: str = ""


def finding():
    """Whether this POST is a picker's "查找" (no JavaScript): show the matches, save nothing."""
    return request.method == "POST" and bool(request.form.get("_pick"))


def query_text(name):
    """What the user typed into the picker `name` (its `<name>_q` field, or `q` as the
    HTMX view gets it), trimmed and bounded."""
    values = request.values
    return (values.get(f"{name}_q") or values.get("q") or "").strip()[:QUERY_MAX]


def options(stmt, id_col, name_col, q="", selected=None, label=None, limit=LIMIT, extra=()):
    """Up to `limit` (id, label) pairs from `stmt` (the access module's scoped select of
    whole rows or columns): the selected row first, then rows whose `name_col` (or one of
    `extra` columns) contains `q`, by name. Two statements at most, whatever the table size.

    `label(row)` makes an option's text (default: the row's name)."""
    label = label or (lambda row: getattr(row, name_col.key))
    found, chosen = [], None
    try:
        selected_id = bounded_id(selected) if selected not in (None, "", 0, "0") else None
    except (TypeError, ValueError):  # junk or out of range (a huge id would overflow the database)
        selected_id = None
    if selected_id is not None:
        chosen = db.session.execute(stmt.where(id_col == selected_id).limit(1)).first()
    search = stmt
    if q:
        search = search.where(matches(q, name_col, *extra, ignore_case=True))
    if chosen is not None:
        search = search.where(id_col != selected_id)
    rows = db.session.execute(search.order_by(name_col, id_col).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = ([chosen] if chosen is not None else []) + list(rows[:limit])
    return [(str(_row_id(r, id_col)), label(_row_obj(r))) for r in rows], more


def _row_obj(row):
    return row[0] if len(row) == 1 else row


def _row_id(row, id_col):
    obj = _row_obj(row)
    return getattr(obj, id_col.key) if hasattr(obj, id_col.key) else row[0]


def pick(endpoint, stmt, id_col, name_col, name, selected=None, blank="全部", label=None, extra=(), **url_args):
    """A `Picked` for a GET filter picker called `name` (options, url of the HTMX view)."""
    q = query_text(name)
    opts, more = options(stmt, id_col, name_col, q=q, selected=selected, label=label, extra=extra)
    return Picked(options=opts, more=more, q=q, blank=blank, selected=str(selected or ""),
                  url=url_for(endpoint, field=name, **url_args))


def fill(form_field, endpoint, stmt, id_col, name_col, blank=None, blank_value="", label=None, extra=(), **url_args):
    """Give a WTForms SelectField picker choices and mark it for the `field()` macro.

    The field keeps `validate_choice=False`: the view checks the chosen id against the
    access module (`exists(...)`), not against the LIMIT options shown."""
    q = query_text(form_field.name)
    selected = form_field.data if form_field.data not in (None, "", 0, blank_value) else None
    opts, more = options(stmt, id_col, name_col, q=q, selected=selected, label=label, extra=extra)
    blank_choice = [(blank_value, blank)] if blank is not None else []
    form_field.choices = blank_choice + [(_coerced(form_field, v), text) for v, text in opts]
    form_field.picker = Picked(options=opts, more=more, q=q, blank=blank, selected=str(selected or ""),
                               url=url_for(endpoint, field=form_field.name, **url_args))
    return form_field


def _coerced(form_field, value):
    try:
        return form_field.coerce(value)
    except (TypeError, ValueError):
        return value


def exists(stmt, id_col, value):
    """Whether `value` is the id of a row of the scoped `stmt` (one statement)."""
    try:
        ident = int(value)
    except (TypeError, ValueError):
        return False
    return db.session.execute(stmt.where(id_col == ident).limit(1)).first() is not None


def fragment(stmt, id_col, name_col, blank=None, label=None, extra=()):
    """The HTMX answer of a kind's pick view: the `<option>`s for `?field=…&q=…`."""
    from flask import render_template

    name = (request.args.get("field") or "q")[:64]
    selected = request.args.get(name) or request.args.get("selected")
    q = query_text(name)
    opts, more = options(stmt, id_col, name_col, q=q, selected=selected, label=label, extra=extra)
    blank = request.args.get("blank", blank)
    return render_template("_picker_options.html", picked=Picked(
        options=opts, more=more, q=q, blank=blank, selected=str(selected or "")))
