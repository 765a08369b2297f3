"""Three promises checked across domains: an upload over the limit gets the Chinese
"文件过大" page (413) on every upload route; a stale CSRF token gets "页面已过期" and writes
nothing; two clerks editing the same record get a conflict message, not a silent overwrite."""
import io
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from conftest import AuthActions, csrf_from
from webapp.audit.models import AuditLog
from webapp.extensions import db

TWELVE_MB = 12 * 1024 * 1024


def audit_count():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AuditLog))


def _id(model, **where):
    return db.session.scalar(select(model.id).filter_by(**where).limit(1))


def upload_routes():
    """(role, url, file field) for every route that takes a file."""
    from webapp.assessments.models import AssessmentRound, AssessmentSheet
    from webapp.compounds.models import Compound
    from webapp.notices.models import Notice
    from datetime import date

    sheet = db.session.scalar(select(AssessmentSheet.id).join(AssessmentRound)
                              .join(Compound, Compound.id == AssessmentSheet.compound_id)
                              .where(AssessmentRound.month == date(2026, 11, 1), Compound.name == "珠海一区"))
    notice = _id(Notice, title="珠海一区物业服务收费标准")
    return [
        ("street_admin", f"/assessments/sheets/{sheet}/score", "photo_1"),
        ("shuangzhu_staff", "/notices/new", "attachments"),
        ("shuangzhu_staff", f"/notices/{notice}/edit", "attachments"),
        ("street_admin", "/compounds/import", "file"),
        ("street_admin", "/compounds/buildings/import", "file"),
        ("shuangzhu_staff", "/people/import", "file"),
    ]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_twelve_megabytes_to_every_upload_route_is_413_in_chinese(app, fresh_demo, htmx):
    for role, url, field in upload_routes():
        c = app.test_client()
        AuthActions(c).login(role)
        token = csrf_from(c.get("/").get_data(as_text=True))
        before = audit_count()
        r = c.post(url, data={"csrf_token": token, "title": "大文件", field: (io.BytesIO(b"\x00" * TWELVE_MB), "big.xlsx")},
                   content_type="multipart/form-data", headers={"HX-Request": "true"} if htmx else {})
        html = r.get_data(as_text=True)
        assert r.status_code == 413, (url, r.status_code)
        assert "文件过大" in html and "10 MB" in html, url
        assert ("<html" in html) is (not htmx), url  # HTMX gets a fragment, a page gets a page
        assert audit_count() == before, url


STALE_CASES = [
    ("shuangzhu_staff", "/companies/new", {"name": "过期物业"}),
    ("shuangzhu_staff", "/people/new", {"name": "过期人员"}),
    ("shuangzhu_staff", "/meetings/new", {"title": "过期会议"}),
    ("shuangzhu_staff", "/notices/new", {"title": "过期公告"}),
    ("street_admin", "/structure/new", {"name": "过期组织"}),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_stale_csrf_token_says_the_page_expired_and_writes_nothing(app, fresh_demo, htmx):
    old = app.test_client()
    AuthActions(old).login("shuangzhu_staff")
    stale = csrf_from(old.get("/").get_data(as_text=True))  # a token from another (now gone) session
    for role, url, data in STALE_CASES:
        c = app.test_client()
        AuthActions(c).login(role)
        for token in (stale, stale[:-4] + "AAAA", ""):
            before = audit_count()
            r = c.post(url, data={"csrf_token": token, **data}, headers={"HX-Request": "true"} if htmx else {})
            html = r.get_data(as_text=True)
            assert r.status_code == 400, (url, r.status_code)
            assert "页面已过期" in html and "请刷新页面" in html, url
            assert audit_count() == before, url


class _FormValues(HTMLParser):
    """The values a browser would submit for the first form posting to `action`."""

    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action, self.data, self._in, self._select, self._textarea = action, {}, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in = (a.get("action") or a.get("hx-post") or "") in (self.action, "") and not self.data
        elif not self._in:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[a["name"]] = a.get("value", "y")
            elif kind not in ("file", "submit", "button"):
                self.data[a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.data.setdefault(self._select, "")
        elif tag == "option" and self._select and ("selected" in a):
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.data[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_values(html, action):
    p = _FormValues(action)
    p.feed(html)
    return p.data


def _edit_twice(app, role, url, field, first, second):
    """Two clerks open the same edit form; the first saves, then the second."""
    a, b = app.test_client(), app.test_client()
    AuthActions(a).login(role)
    AuthActions(b).login(role)
    form_a = form_values(a.get(url).get_data(as_text=True), url)
    form_b = form_values(b.get(url).get_data(as_text=True), url)
    same = {k: v for k, v in form_a.items() if k != "csrf_token"}
    assert form_a.get("version") and same == {k: v for k, v in form_b.items() if k != "csrf_token"}, form_a
    r1 = a.post(url, data={**form_a, field: first})
    assert r1.status_code in (200, 303), (url, r1.status_code, r1.get_data(as_text=True)[:2000])
    before = audit_count()
    r2 = b.post(url, data={**form_b, field: second})
    return r2, before


@pytest.mark.parametrize("domain", ["companies", "compounds", "people"])
def test_concurrent_edits_conflict_instead_of_overwriting(app, fresh_demo, domain):
    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import Compound
    from webapp.people.models import Person

    model, name, role, prefix = {
        "companies": (PropertyCompany, "隐珠安居物业管理有限公司", "street_admin", "/companies"),  # serves 隐珠
        "compounds": (Compound, "珠海一区", "shuangzhu_staff", "/compounds"),
        "people": (Person, "张英", "shuangzhu_staff", "/people"),
    }[domain]
    obj_id = _id(model, name=name)
    r2, before = _edit_twice(app, role, f"{prefix}/{obj_id}/edit", "name", f"{name}（甲改）", f"{name}（乙改）")
    html = r2.get_data(as_text=True)
    assert r2.status_code == 409, (domain, r2.status_code)
    assert "已被他人修改" in html
    db.session.expire_all()
    assert db.session.get(model, obj_id).name == f"{name}（甲改）"  # the first save stands
    assert audit_count() == before
