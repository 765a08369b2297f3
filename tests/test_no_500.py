"""No input ever produces an HTTP 500.

Every route in `app.url_map` (but /static), as every role and anonymously, is sent hostile
input: GETs with junk query strings, and POSTs with a valid CSRF token whose fields — every
field name found in the forms that post there, plus common ones — are filled with junk,
with and without HTMX headers, urlencoded and multipart (junk files in file fields).
The status must never be 500, and a refused POST (4xx) must write nothing.

Concrete URLs come from the route walk's cases (demo records named and resolved against
the demo street by querying the models), so every route has real ids. The junk values
are rotated over fields, roles and requests rather than crossed in full, to keep the
run short; each route × role gets at least one junk request per method it accepts.
"""
import io
import os
import re
import traceback
import zipfile
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from conftest import AuthActions, _restore, _wipe, csrf_from
from test_route_walk import CASES, IGNORED_RULES, ROLES, resolve
from webapp.extensions import db

JUNK = [
    "99999999999999999999",
    "-1",
    "-99999999999999999999",
    "abc",
    "x" * 5000,
    "<script>alert(1)</script>",
    "\x00",
    "1\x002",
    "2026-02-30",
    "2026Q9",
    "0",
    "",
    "1e309",
    "NaN",
    "１２",  # full-width digits
    "9" * 400,
    "2026-13-45T25:61",
    "../../etc/passwd",
    "-0.5",
    "' OR 1=1 --",
    "\u202e\ufeff",
    "2147483648",
    "1e999999999",
    "Infinity",
    "sNaN",
    '"><img src=x onerror=alert(1)>',
    "[链接](javascript:alert(1))",
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
]
# Markup a page must never carry as live markup (it may carry it escaped).
LIVE_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", 'href="javascript:alert(1)"')

# Query parameters the list pages read, plus anything a GET form names (added per page).
COMMON_QUERY = [
    "page", "q", "id", "community", "compound", "company", "kind", "status", "start", "end",
    "quarter", "year", "n", "month", "period", "s", "state", "owner", "sort", "next", "tree",
    "party", "grid", "round", "template", "sheet", "date", "from", "to", "per_page", "code",
    "unit", "parent", "action", "user", "target", "category", "order", "limit", "offset",
]
# Field names posted by forms the crawl may not see (and the usual suspects).
COMMON_FIELDS = [
    "version", "name", "title", "body", "reason", "note", "id", "parent_id", "community", "compound",
    "company", "grid", "person", "role", "start", "end", "start_date", "end_date", "date", "quarter",
    "month", "year", "score", "total", "households", "phone", "credit_code", "kind", "status",
    "username", "password", "next", "tree", "tiers", "file", "category", "content", "due", "due_date",
]

PAGE_SUFFIXES = (".pdf", ".zip", ".xlsx")
DENIED = (302, 401, 403, 404, 405)  # the role never reaches the code that reads the junk
FULL = os.environ.get("NO500_FULL") == "1"  # every junk value in every field (slow: minutes)
POST_ROUNDS = len(JUNK) if FULL else 6  # junk POSTs per URL for a role that may use it
GET_ROUNDS = len(JUNK) if FULL else 3
HONEYPOTS = {"website"}  # the opinion box's trap for bots
# Each POST comes from its own address, so the opinion box's and the sign-in's rate limits
# (per address) do not turn every later junk POST into a 429 before the form is read.


class _FormParser(HTMLParser):
    """Collects (method, action, field names, file field names) for every form on a page,
    and hx-post/hx-get targets with the names of inputs inside them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._stack = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" or any(k in a for k in ("hx-post", "hx-get")):
            if tag == "form":
                method = (a.get("method") or ("post" if "hx-post" in a else "get")).lower()
                action = a.get("hx-post") or a.get("action") or a.get("hx-get") or ""
                if "hx-post" in a:
                    method = "post"
            else:
                method = "post" if "hx-post" in a else "get"
                action = a.get("hx-post") or a.get("hx-get")
            form = {"method": method, "action": action, "fields": set(), "files": set(), "tag": tag}
            self.forms.append(form)
            if tag == "form":
                self._stack.append(form)
            return
        if tag in ("input", "select", "textarea", "button") and a.get("name") and self._stack:
            form = self._stack[-1]
            form["fields"].add(a["name"])
            if a.get("type") == "file":
                form["files"].add(a["name"])

    def handle_endtag(self, tag):
        if tag == "form" and self._stack:
            self._stack.pop()


def _forms(html):
    p = _FormParser()
    try:
        p.feed(html)
    except Exception:  # a broken fragment: take what was parsed
        pass
    return p.forms


def _shape(rule):
    return re.sub(r"<[^>]+>", "<>", rule)


def _rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if r.rule not in IGNORED_RULES),
        key=lambda r: r.rule,
    )


def _rule_ids(app_rules):
    return [r.rule for r in app_rules]


def _cases_by_shape():
    """Shape of each walk path -> the walk's paths (with {kind:name} placeholders)."""
    out = {}
    for _, path, _ in CASES:
        out.setdefault(_shape(re.sub(r"\{\w+:[^}]+\}", "<>", path.split("?")[0])), []).append(path.split("?")[0])
    return out


def _all_rules():
    from webapp import create_app
    from webapp.config import TestConfig

    return [(r.rule, sorted(r.methods - {"HEAD", "OPTIONS"})) for r in _rules(create_app(TestConfig))]


RULES = _all_rules()
GET_RULES = [rule for rule, methods in RULES if "GET" in methods]
POST_RULES = [rule for rule, methods in RULES if "POST" in methods]


@pytest.fixture(scope="module")
def signed_in(app, demo):
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        _sign_in(clients[role], role)
    return clients


def _sign_in(client, role):
    if role != "anonymous":
        r = AuthActions(client).login(role)
        assert r.status_code == 303, f"{role} cannot sign in"


def _sign_in_again(clients):
    """After the demo street is put back, a client whose session version moved on (it
    signed out and in, or an account junk reset) holds a cookie the restored account no
    longer accepts: sign it in afresh."""
    for role, client in clients.items():
        if role != "anonymous" and client.get("/password").status_code != 200:
            _sign_in(client, role)


@pytest.fixture(scope="module")
def urls(app, demo, _demo_rows):
    """Rule -> concrete URLs with demo ids (a path with a string parameter gets junk too)."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # start without the suite's dead rows (see _wipe)
            _wipe(truncate=True)
            _restore(_demo_rows)
        return _resolve_urls()


def _resolve_urls():
    by_shape = _cases_by_shape()
    out = {}
    for rule, _ in RULES:
        paths = by_shape.get(_shape(rule))
        assert paths, f"{rule}: no walk case names a demo record for it"
        resolved = []
        for p in dict.fromkeys(paths):
            try:
                u = resolve(p)
            except AssertionError:
                continue
            if u not in resolved:
                resolved.append(u)
        assert resolved, rule
        out[rule] = resolved[:3]
    return out


@pytest.fixture(scope="module")
def form_fields(app, demo, urls):
    """Crawl every GET page (as the street admin and a community clerk) and note the fields
    of each form: action path -> field names / file field names; page -> its GET fields."""
    with app.app_context():
        return _crawl(app, urls)


def _crawl(app, urls):
    posts, files, gets = {}, {}, {}
    for role in ("street_admin", "shuangzhu_staff", "anonymous"):
        c = app.test_client()
        _sign_in(c, role)
        for rule in GET_RULES:
            for u in urls[rule]:
                if u.endswith(PAGE_SUFFIXES) or "/files/" in u or "/photos/" in u:
                    continue
                r = c.get(u)
                if r.status_code != 200 or not r.mimetype.startswith("text/html"):
                    continue
                for form in _forms(r.get_data(as_text=True)):
                    action = urlsplit(form["action"]).path or urlsplit(u).path
                    if form["method"] == "post":
                        posts.setdefault(action, set()).update(form["fields"])
                        files.setdefault(action, set()).update(form["files"])
                    else:
                        gets.setdefault(urlsplit(u).path, set()).update(form["fields"])
    return {"posts": posts, "files": files, "gets": gets}


# Logs a refusal may write by design: the opinion box's rate limit, and on the sign-in
# pages the audit log's entry for a failed sign-in (等保 asks for it).
REFUSAL_LOGS = {"public_post"}
SIGN_IN_RULES = {"/login", "/login/totp", "/login/totp/enrol"}


def _counts(rule=None):
    """Row counts of every table but the refusal logs, in one statement."""
    db.session.rollback()
    skip = REFUSAL_LOGS | ({"audit_log"} if rule in SIGN_IN_RULES else set())
    tables = [t for t in db.metadata.sorted_tables if t.name not in skip]
    row = db.session.execute(select(*(select(func.count()).select_from(t).scalar_subquery().label(t.name)
                                      for t in tables))).one()
    return dict(row._mapping)


def _call(failures, label, fn):
    try:
        r = fn()
    except Exception:  # TESTING propagates exceptions: an uncaught one is a 500
        db.session.rollback()
        frames = [f for f in traceback.extract_tb(__import__("sys").exc_info()[2]) if "/webapp/" in f.filename]
        where = f"{frames[-1].filename.split('/webapp/')[-1]}:{frames[-1].lineno}" if frames else "?"
        failures.append(f"{label}: raised {traceback.format_exc(limit=-1).strip().splitlines()[-1]} at {where}")
        return None
    if r.status_code >= 500:
        failures.append(f"{label}: {r.status_code}")
    _check_inert(failures, label, r)
    return r


# WTForms' own English messages: a form must show its messages in Chinese.
ENGLISH = ("Not a valid", "This field is required", "Invalid Choice", "Invalid value", "Field must be",
           "Number must be", "Invalid input", "The CSRF token", "Bad Request", "Internal Server Error")


def _check_inert(failures, label, r):
    if r.mimetype == "text/html":
        body = r.get_data(as_text=True)
        english = [m for m in ENGLISH if m in body]
        if english:
            failures.append(f"{label}: English message {english}")
        live = [m for m in LIVE_MARKUP if m in body]
        if live:
            failures.append(f"{label}: markup rendered live: {live}")


def _junk_urls(rule, urls):
    """The walk's URLs, plus junk in any string path parameter (slug, tree)."""
    out = list(urls)
    if re.search(r"<(?!int)[^>]*>", rule):
        base = urls[0]
        for junk in ("<script>alert(1)</script>", "x" * 5000, "%00", "99999999999999999999", "..%2f"):
            out.append(re.sub(r"^(/public/)[^/]+", lambda m: m.group(1) + junk, base) if rule.startswith("/public/<slug>")
                       else re.sub(r"[^/]+$", junk, base))
    return out


def _rotate(names, offset):
    """Each name gets a junk value, shifted by `offset` so successive requests differ."""
    return {name: JUNK[(i + offset) % len(JUNK)] for i, name in enumerate(sorted(names))}


@pytest.mark.parametrize("rule", GET_RULES)
def test_get_with_junk_query_never_500(app, demo, signed_in, urls, form_fields, rule):
    failures = []
    heavy = any(s in rule for s in PAGE_SUFFIXES)  # PDFs and workbooks: one junk request per role
    for ri, role in enumerate(ROLES):
        c = signed_in[role]
        for ui, url in enumerate(_junk_urls(rule, urls[rule])):
            if heavy and ui:
                break
            names = set(COMMON_QUERY) | form_fields["gets"].get(urlsplit(url).path, set())
            k = 0
            while k < (1 if heavy else GET_ROUNDS):
                query = _rotate(names, ri * 3 + k + ui)
                headers = {"HX-Request": "true", "HX-Target": "<x>", "HX-Current-URL": JUNK[k % 6]} if k % 3 == 2 else {}
                r = _call(failures, f"{role} GET {url[:120]} k={k}",
                          lambda: c.get(url[:6000], query_string=query, headers=headers))
                k += 1
                if r is not None and r.status_code in DENIED:
                    break  # the role may not see the page: the junk is never read
            if not heavy and not (r is not None and r.status_code in DENIED):  # one value at a time for the parameters the page's own forms name
                for i, name in enumerate(sorted(form_fields["gets"].get(urlsplit(url).path, set()))):
                    value = JUNK[(i + ri) % len(JUNK)]
                    _call(failures, f"{role} GET {url[:120]} {name}={value[:30]!r}",
                          lambda: c.get(url, query_string={name: value}))
    assert not failures, "\n".join(failures)


def _post_fields(rule, url, form_fields):
    path = urlsplit(url).path
    fields = set(form_fields["posts"].get(path, set())) | set(form_fields["gets"].get(path, set())) | set(COMMON_FIELDS)
    fields.discard("csrf_token")
    files = set(form_fields["files"].get(path, set()))
    return fields, files


def _damaged_xlsx():
    """A real workbook whose sheet XML is cut off (openpyxl parses it lazily)."""
    from openpyxl import Workbook

    wb, raw, out = Workbook(), io.BytesIO(), io.BytesIO()
    wb.active.append(["社区", "小区", "楼栋名称", "户数"])
    wb.save(raw)
    src = zipfile.ZipFile(raw)
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info, b"<worksheet><sheetData><row" if info.filename.endswith("sheet1.xml") else src.read(info))
    return out.getvalue()


JUNK_FILES = [
    (_damaged_xlsx(), "damaged.xlsx"),
    (b"<script>alert(1)</script>", "../../<script>.png"),
    (b"PK\x03\x04 not really a workbook" * 10, "import.xlsx"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "x.png"),
    (b"%PDF-1.4 junk", "a\x00b.pdf"),
]


@pytest.mark.parametrize("rule", POST_RULES)
def test_post_with_junk_fields_never_500(app, demo, _demo_rows, signed_in, urls, form_fields, rule):
    failures = []
    dirty = False
    try:
        for ri, role in enumerate(ROLES):
            c = signed_in[role]
            # Each junk POST to /logout signs the client out, and signing a 三员 account in
            # again takes a fresh TOTP step (one code per 30 s): one round for them there.
            once = rule == "/logout" and role in ("system_admin", "security_admin", "audit_admin")
            for ui, url in enumerate(_junk_urls(rule, urls[rule])[:1 if once else 3]):
                fields, files = _post_fields(rule, url, form_fields)
                token = csrf_from(c.get("/login" if role == "anonymous" else "/").get_data(as_text=True))
                k = 0
                while k < (1 if once else POST_ROUNDS):
                    data = _rotate(fields, ri * 7 + k * 5 + ui)
                    if k % 3 == 1:  # the same names twice, one of them blank
                        data = {name: [value, ""] for name, value in data.items()}
                    headers = {"X-CSRFToken": token}
                    if k >= 1:
                        headers.update({"HX-Request": "true", "HX-Target": "<x>", "HX-Trigger": JUNK[(k + ri) % 6]})
                    content_type = None
                    if k % 3 == 2 or files:
                        content_type = "multipart/form-data"
                        for fi, name in enumerate(sorted(files | {"file"})):
                            blob, filename = JUNK_FILES[(fi + ri + k) % len(JUNK_FILES)]
                            data[name] = (io.BytesIO(blob), filename)
                    for name in HONEYPOTS & set(data):  # mostly empty, so the form behind it is reached
                        if k % 3:
                            data[name] = ""
                    data["csrf_token"] = token
                    before = _counts(rule)
                    r = _call(failures, f"{role} POST {url[:120]} k={k}",
                              lambda: c.post(url[:6000], data=data, headers=headers, content_type=content_type,
                                             environ_base={"REMOTE_ADDR": f"10.{ri}.{ui}.{k}"}))
                    after = _counts(rule)
                    if r is not None and 400 <= r.status_code < 500 and after != before:
                        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                        failures.append(f"{role} POST {url[:120]} k={k}: refused with {r.status_code} but wrote {changed}")
                    if after != before or (r is not None and r.status_code < 400):
                        dirty = True
                    if r is not None and r.status_code in (302, 303) and r.headers.get("Location", "").startswith("/"):
                        _call(failures, f"{role} GET {r.headers['Location'][:120]} after POST {url[:80]}",
                              lambda: c.get(r.headers["Location"]))
                    k += 1
                    if rule == "/logout" and role != "anonymous":
                        _sign_in(c, role)
                        token = csrf_from(c.get("/").get_data(as_text=True))
                    if r is not None and r.status_code in DENIED:
                        break
                else:  # the role reached the form: a JSON body too (numbers, lists, null for text)
                    body = {name: [1, None, {"x": JUNK[i % len(JUNK)]}] if i % 3 == 0 else (i if i % 3 == 1 else None)
                            for i, name in enumerate(sorted(fields))}
                    before = _counts(rule)
                    r = _call(failures, f"{role} POST {url[:120]} json",
                              lambda: c.post(url[:6000], json=body, headers={"X-CSRFToken": token, "HX-Request": "true"},
                                             environ_base={"REMOTE_ADDR": f"10.{ri}.{ui}.250"}))
                    after = _counts(rule)
                    if r is not None and 400 <= r.status_code < 500 and after != before:
                        failures.append(f"{role} POST {url[:120]} json: refused with {r.status_code} but wrote")
                    if rule == "/logout" and role != "anonymous":
                        _sign_in(c, role)
                    if after != before or (r is not None and r.status_code < 400):
                        dirty = True
    finally:
        if dirty:  # a junk POST that was accepted changed the demo street: put it back
            _wipe(truncate=True)
            _restore(_demo_rows)
            _sign_in_again(signed_in)
    assert not failures, "\n".join(failures)


def test_every_route_is_covered():
    """Every rule but /static is walked with junk, GET or POST, whichever it accepts."""
    assert {rule for rule, _ in RULES} == set(GET_RULES) | set(POST_RULES)
    assert all(rule not in IGNORED_RULES for rule, _ in RULES)


ONE_FIELD_JUNK = ["99999999999999999999", "2147483648", "-1", "0", "9999-12-31", "0001-01-01", "9999-12-31T23:59",
                  "0001-01-01T00:00", "x" * 5000, "\x00", "sNaN", "1e999999999", "<script>alert(1)</script>",
                  "2026-02-30", "abc", ""]


@pytest.mark.skipif(not FULL, reason="slow (minutes): NO500_FULL=1")
def test_valid_forms_with_one_junk_field_never_500(app, demo, _demo_rows, urls):
    """Every POST form as the page prefills it (valid), with one field at a time replaced
    by junk: the junk reaches the code after validation, which all-junk forms never do."""
    from test_qa_limits import _FormValues

    class _Prefilled(_FormValues):
        def __init__(self):
            super().__init__("")
            self.forms = []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.data = {}
                self._in = True
                self.forms.append((a.get("hx-post") or a.get("action") or "",
                                   (a.get("method") or ("post" if "hx-post" in a else "get")).lower(), self.data))
                return
            super().handle_starttag(tag, attrs)

    pages = [u for rule in GET_RULES for u in urls[rule]
             if not u.endswith(PAGE_SUFFIXES) and "/files/" not in u and "/photos/" not in u]
    failures, n = [], 0
    try:
        for role in ("street_admin", "shuangzhu_staff", "company_manager", "resident_rep"):
            c = app.test_client()
            _sign_in(c, role)
            for page in pages:
                r = c.get(page)
                if r.status_code != 200 or r.mimetype != "text/html":
                    continue
                parser = _Prefilled()
                parser.feed(r.get_data(as_text=True))
                for action, method, values in parser.forms:
                    action = action or page
                    if method != "post" or action == "/logout":
                        continue
                    for name in sorted(set(values) - {"csrf_token"}):
                        for junk in ONE_FIELD_JUNK:
                            n += 1
                            _call(failures, f"{role} POST {action} {name}={junk[:20]!r}",
                                  lambda: c.post(action, data={**values, name: junk},
                                                 environ_base={"REMOTE_ADDR": f"10.200.{n // 250 % 250}.{n % 250}"}))
    finally:
        _wipe()
        _restore(_demo_rows)
    assert n > 1000
    assert not failures, "\n".join(failures)
