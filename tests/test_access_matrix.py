"""The access matrix: for every role and every kind of record, the exact set each user can
list, read, export, print, open as a fragment and change — over the real routes.

The world: one street with two communities (甲 with grids 甲一 and 甲二, 乙 with grid 乙一),
three compounds (甲一小区 in grid 甲一 and 甲二小区 in grid 甲二, both in 甲; 乙一小区 in 乙), and
two companies (X serves 甲一小区 and 乙一小区, Y serves 甲二小区). Each kind of record has one
record per place, named by a key (a1, a2, b1 …; `a` is a community-wide record of 甲, `s` a
street-wide one).

Each row of KINDS is one kind of record: how to build its URLs from a record, and the
sets every role is expected to see and change, written out by hand (not derived from the
code under test). A new kind of record is one more row.

Reading a route: 200 means "yes"; 403 (the role never may) or 404 (outside the user's
place) mean "no"; anything else fails. Changing: a POST with a valid CSRF token and an
otherwise empty form; 404/403 mean "no", a validation answer (422), a conflict (409) or a
redirect mean the write was let through to the form's checks; a 500 fails.
Listing and exporting: which records' unique markers appear on the list page or in the
.xlsx export.
"""
import io
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable, Optional

import pytest
from openpyxl import load_workbook

from conftest import AuthActions, csrf_from
from webapp.extensions import db

ROLES = ("admin", "staff_a", "staff_b", "grid_a1", "comp_x", "comp_y", "rep", "district", "city")
# Above the street: the street's district's staff and its city's staff read what the
# street admin reads and change nothing (tests/streets/ walk two streets in two districts).
ABOVE_STREET = ("district", "city")
ACTIONS = ("list", "read", "export", "pdf", "fragment", "change", "name_by_id")


def S(keys=""):
    return frozenset(keys.split())


@dataclass
class Kind:
    """One kind of record: its records' keys, a marker each shows in lists and exports,
    URL builders per action, and the expected sets per role."""

    name: str
    keys: tuple
    marker: Callable
    reads: dict
    changes: dict
    list: Optional[str] = None
    export: Optional[str] = None
    read: Optional[Callable] = None
    pdf: Optional[Callable] = None
    fragment: Optional[Callable] = None
    change: Optional[Callable] = None
    # The appointments list filter (?person=<id> …) prints the record's name: who may.
    name_by_id: Optional[Callable] = None
    names: dict = field(default_factory=dict)
    # Lists and exports show the read set unless a kind says otherwise.
    lists: dict = field(default_factory=dict)


@pytest.fixture
def world(factory):
    from webapp.compounds.models import Region, RegionTier

    f = factory
    city = f.add(Region(tier=f.add(RegionTier(level=1, name="市")), name="矩阵市"))
    district = f.add(Region(tier=f.add(RegionTier(level=2, name="区/县")), parent=city, name="矩阵区"))
    street = f.street("矩阵街道")
    street.region = district
    db.session.commit()
    A = f.community("甲社区", street=street)
    B = f.community("乙社区", street=street)
    gA1, gA2, gB1 = f.grid(A, "甲一网格"), f.grid(A, "甲二网格"), f.grid(B, "乙一网格")
    X, Y = f.company("X物业有限公司"), f.company("Y物业有限公司")
    a1 = f.compound(A, "甲一小区", company=X, grid=gA1)
    a2 = f.compound(A, "甲二小区", company=Y, grid=gA2)
    b1 = f.compound(B, "乙一小区", company=X, grid=gB1)
    r = {}
    r["compound"] = dict(a1=a1, a2=a2, b1=b1)
    r["company"] = dict(X=X, Y=Y)
    people = dict(
        pa1=f.person("甲一管家", community=A), pa2=f.person("甲二管家", community=A), pa=f.person("甲社区居民", community=A),
        pb1=f.person("乙一管家", community=B), px=f.person("X经理", company=X), py=f.person("Y经理", company=Y),
    )
    for p, phone in zip(people.values(), ("13800000001", "13800000002", "13800000003", "13800000004",
                                          "13800000005", "13800000006")):
        p.phone = phone
    db.session.commit()
    r["person"] = people
    r["building"] = dict(a1=f.building(a1, "甲一1号楼", steward=people["pa1"]),
                         a2=f.building(a2, "甲二1号楼", steward=people["pa2"]),
                         b1=f.building(b1, "乙一1号楼", steward=people["pb1"]))
    r["committee"] = dict(a1=f.committee(a1, "甲一业委会"), a2=f.committee(a2, "甲二业委会"), b1=f.committee(b1, "乙一业委会"))
    us = f.org_unit("矩阵街道物业办")
    ua = f.org_unit("甲社区环物委", level=2, parent=us, community=A)
    r["unit"] = dict(s=us, a=ua,
                     a1=f.org_unit("甲一网格党支部", level=3, parent=ua, community=A, grid=gA1),
                     a2=f.org_unit("甲二网格党支部", level=3, parent=ua, community=A, grid=gA2),
                     b=f.org_unit("乙社区环物委", level=2, parent=us, community=B))
    r["position"] = dict(a1=f.position(people["pa1"], org_unit=r["unit"]["a1"]),
                         a=f.position(people["pa1"], org_unit=ua),
                         b=f.position(people["pb1"], org_unit=r["unit"]["b"]))
    r["appointment"] = dict(
        a1=f.appointment(people["px"], X, A, "甲一文〔2026〕1号", compound=a1, org_unit=r["unit"]["a1"]),
        a2=f.appointment(people["py"], Y, A, "甲二文〔2026〕2号", compound=a2, org_unit=r["unit"]["a2"]),
        a=f.appointment(people["pa"], X, A, "甲社区文〔2026〕3号", org_unit=ua),
        b1=f.appointment(people["pb1"], X, B, "乙一文〔2026〕4号", compound=b1, org_unit=r["unit"]["b"]),
    )
    r["notice"] = dict(s=f.notice("街道公告丙"), a=f.notice("甲社区公告丙", community=A),
                       a1=f.notice("甲一公告丙", compound=a1), a2=f.notice("甲二公告丙", compound=a2),
                       b1=f.notice("乙一公告丙", compound=b1))
    r["request"] = dict(a1=f.resident_request("甲一诉求丁", A, a1), a2=f.resident_request("甲二诉求丁", A, a2),
                        a=f.resident_request("甲社区诉求丁", A), b1=f.resident_request("乙一诉求丁", B, b1))
    r["meeting"] = dict(a1=f.meeting("甲一会议戊", A, a1, attending_company=X),
                        a2=f.meeting("甲二会议戊", A, a2, task_company=Y),
                        a=f.meeting("甲社区会议戊", A), b1=f.meeting("乙一会议戊", B, b1))
    users = dict(
        admin=f.user("m_admin", "street_admin"),
        staff_a=f.user("m_staff_a", "community_staff", community=A),
        staff_b=f.user("m_staff_b", "community_staff", community=B),
        grid_a1=f.user("m_grid_a1", "grid_worker", grid=gA1),
        comp_x=f.user("m_comp_x", "company_user", company=X),
        comp_y=f.user("m_comp_y", "company_user", company=Y),
        rep=f.user("m_rep", "resident_rep"),
        district=f.user("m_district", "district_staff", region=district),
        city=f.user("m_city", "city_staff", region=city),
    )
    rnd = f.assessment_round()
    sheets = {s.compound.name[:2]: s for s in rnd.sheets}
    r["sheet"] = dict(a1=sheets["甲一"], a2=sheets["甲二"], b1=sheets["乙一"])
    from webapp.assessments.models import SheetScore

    db.session.add(SheetScore(sheet=r["sheet"]["a1"], scorer_id=users["rep"].id, scorer_kind="rep"))
    db.session.commit()
    return SimpleNamespace(records=r, users=users, round=rnd)


def _id(rec):
    return rec.id


KINDS = [
    Kind(
        "compound", ("a1", "a2", "b1"), marker=lambda rec: rec.name,
        list="/compounds/", export="/compounds/export.xlsx",
        read=lambda rec: f"/compounds/{rec.id}", change=lambda rec: f"/compounds/{rec.id}/edit",
        name_by_id=lambda rec: f"/appointments/?compound={rec.id}",
        reads=dict(admin=S("a1 a2 b1"), staff_a=S("a1 a2"), staff_b=S("b1"), grid_a1=S("a1"),
                   comp_x=S("a1 b1"), comp_y=S("a2"), rep=S()),
        changes=dict(admin=S("a1 a2 b1"), staff_a=S("a1 a2"), staff_b=S("b1"), grid_a1=S(), comp_x=S(), comp_y=S(), rep=S()),
        names=dict(admin=S("a1 a2 b1"), staff_a=S("a1 a2"), staff_b=S("b1"), grid_a1=S("a1"),
                   comp_x=S(), comp_y=S(), rep=S()),
    ),
    Kind(
        "building", ("a1", "a2", "b1"), marker=lambda rec: f"{rec.name}",
        export="/compounds/buildings.xlsx",
        fragment=lambda rec: f"/compounds/{rec.compound_id}/buildings/{rec.id}",
        change=lambda rec: f"/compounds/{rec.compound_id}/buildings/{rec.id}/edit",
        reads=dict(admin=S("a1 a2 b1"), staff_a=S("a1 a2"), staff_b=S("b1"), grid_a1=S("a1"),
                   comp_x=S("a1 b1"), comp_y=S("a2"), rep=S()),
        changes=dict(admin=S("a1 a2 b1"), staff_a=S("a1 a2"), staff_b=S("b1"), grid_a1=S("a1"), comp_x=S(), comp_y=S(), rep=S()),
    ),
    Kind(
        "committee", ("a1", "a2", "b1"), marker=lambda rec: rec.name,
        fragment=lambda rec: f"/compounds/{rec.compound_id}/committees/{rec.id}",
        change=lambda rec: f"/compounds/{rec.compound_id}/committees/{rec.id}/edit",
        reads=dict(admin=S("a1 a2 b1"), staff_a=S("a1 a2"), staff_b=S("b1"), grid_a1=S("a1"),
                   comp_x=S("a1 b1"), comp_y=S("a2"), rep=S()),
        changes=dict(admin=S("a1 a2 b1"), staff_a=S("a1 a2"), staff_b=S("b1"), grid_a1=S(), comp_x=S(), comp_y=S(), rep=S()),
    ),
    Kind(
        "company", ("X", "Y"), marker=lambda rec: rec.name,
        list="/companies/", export="/companies/export.xlsx",
        read=lambda rec: f"/companies/{rec.id}", change=lambda rec: f"/companies/{rec.id}/edit",
        name_by_id=lambda rec: f"/appointments/?company={rec.id}",
        reads=dict(admin=S("X Y"), staff_a=S("X Y"), staff_b=S("X"), grid_a1=S("X"), comp_x=S("X"), comp_y=S("Y"), rep=S()),
        changes=dict(admin=S("X Y"), staff_a=S(), staff_b=S(), grid_a1=S(), comp_x=S(), comp_y=S(), rep=S()),
        names=dict(admin=S("X Y"), staff_a=S("X Y"), staff_b=S("X"), grid_a1=S("X"), comp_x=S(), comp_y=S(), rep=S()),
    ),
    Kind(
        "person", ("pa1", "pa2", "pa", "pb1", "px", "py"), marker=lambda rec: rec.name,
        list="/people/", export="/people/export.xlsx",
        read=lambda rec: f"/people/{rec.id}", change=lambda rec: f"/people/{rec.id}/edit",
        name_by_id=lambda rec: f"/appointments/?person={rec.id}",
        # People tied to one's place: its community's people (a grid: its buildings' stewards,
        # its organisations' members) and people cross-appointed there (X经理 for 甲一小区).
        reads=dict(admin=S("pa1 pa2 pa pb1 px py"), staff_a=S("pa1 pa2 pa px py"), staff_b=S("pb1"),
                   grid_a1=S("pa1 px"), comp_x=S("px"), comp_y=S("py"), rep=S()),
        changes=dict(admin=S("pa1 pa2 pa pb1 px py"), staff_a=S("pa1 pa2 pa"), staff_b=S("pb1"), grid_a1=S("pa1"),
                     comp_x=S(), comp_y=S(), rep=S()),
        # Whom an appointments filter may name: people one may read or appoint (staff of the
        # companies serving one's compounds), and those on appointments one may read.
        names=dict(admin=S("pa1 pa2 pa pb1 px py"), staff_a=S("pa1 pa2 pa px py"), staff_b=S("pb1 px"),
                   grid_a1=S("pa1 pa px"), comp_x=S(), comp_y=S(), rep=S()),
    ),
    Kind(
        "unit", ("s", "a", "a1", "a2", "b"), marker=lambda rec: rec.name,
        fragment=lambda rec: f"/structure/units/{rec.id}/children",
        change=lambda rec: f"/structure/units/{rec.id}/rename",
        name_by_id=lambda rec: f"/appointments/?unit={rec.id}",
        # The street's unit and a community's own units are read (not changed) below them.
        reads=dict(admin=S("s a a1 a2 b"), staff_a=S("s a a1 a2"), staff_b=S("s b"), grid_a1=S("s a a1"),
                   comp_x=S(), comp_y=S(), rep=S()),
        changes=dict(admin=S("s a a1 a2 b"), staff_a=S("a a1 a2"), staff_b=S("b"), grid_a1=S("a1"),
                     comp_x=S(), comp_y=S(), rep=S()),
        names=dict(admin=S("s a a1 a2 b"), staff_a=S("s a a1 a2"), staff_b=S("s b"), grid_a1=S("s a a1"),
                   comp_x=S(), comp_y=S(), rep=S()),
    ),
    Kind(
        "position", ("a1", "a", "b"), marker=lambda rec: rec.role,
        change=lambda rec: f"/people/{rec.person_id}/positions/{rec.id}/end",
        # 甲一管家 holds one position in the grid's branch and one in the community's committee:
        # the grid worker ends only the first.
        reads=dict(admin=S(), staff_a=S(), staff_b=S(), grid_a1=S(), comp_x=S(), comp_y=S(), rep=S()),
        changes=dict(admin=S("a1 a b"), staff_a=S("a1 a"), staff_b=S("b"), grid_a1=S("a1"),
                     comp_x=S(), comp_y=S(), rep=S()),
    ),
    Kind(
        "appointment", ("a1", "a2", "a", "b1"), marker=lambda rec: rec.approval_document,
        list="/appointments/", export="/appointments/export.xlsx",
        change=lambda rec: f"/appointments/{rec.id}/edit",
        reads=dict(admin=S("a1 a2 a b1"), staff_a=S("a1 a2 a"), staff_b=S("b1"), grid_a1=S("a1 a"),
                   comp_x=S(), comp_y=S(), rep=S()),
        changes=dict(admin=S("a1 a2 a b1"), staff_a=S("a1 a2 a"), staff_b=S("b1"), grid_a1=S("a1"),
                     comp_x=S(), comp_y=S(), rep=S()),
    ),
    Kind(
        "notice", ("s", "a", "a1", "a2", "b1"), marker=lambda rec: rec.title,
        list="/notices/", read=lambda rec: f"/notices/{rec.id}", change=lambda rec: f"/notices/{rec.id}/edit",
        reads=dict(admin=S("s a a1 a2 b1"), staff_a=S("s a a1 a2"), staff_b=S("s b1"), grid_a1=S("s a a1"),
                   comp_x=S(), comp_y=S(), rep=S()),
        changes=dict(admin=S("s a a1 a2 b1"), staff_a=S("a a1 a2"), staff_b=S("b1"), grid_a1=S("a1"),
                     comp_x=S(), comp_y=S(), rep=S()),
    ),
    Kind(
        "request", ("a1", "a2", "a", "b1"), marker=lambda rec: rec.receipt_no,
        list="/requests/", read=lambda rec: f"/requests/{rec.id}", change=lambda rec: f"/requests/{rec.id}/act/chase",
        reads=dict(admin=S("a1 a2 a b1"), staff_a=S("a1 a2 a"), staff_b=S("b1"), grid_a1=S("a1"),
                   comp_x=S(), comp_y=S(), rep=S()),
        changes=dict(admin=S("a1 a2 a b1"), staff_a=S("a1 a2 a"), staff_b=S("b1"), grid_a1=S("a1"),
                     comp_x=S(), comp_y=S(), rep=S()),
    ),
    Kind(
        "meeting", ("a1", "a2", "a", "b1"), marker=lambda rec: rec.title,
        list="/meetings/", read=lambda rec: f"/meetings/{rec.id}", pdf=lambda rec: f"/meetings/{rec.id}.pdf",
        fragment=lambda rec: f"/meetings/{rec.id}/header", change=lambda rec: f"/meetings/{rec.id}/edit",
        reads=dict(admin=S("a1 a2 a b1"), staff_a=S("a1 a2 a"), staff_b=S("b1"), grid_a1=S("a1 a"),
                   comp_x=S("a1"), comp_y=S("a2"), rep=S()),
        changes=dict(admin=S("a1 a2 a b1"), staff_a=S("a1 a2 a"), staff_b=S("b1"), grid_a1=S("a1"),
                     comp_x=S(), comp_y=S(), rep=S()),
    ),
    Kind(
        "sheet", ("a1", "a2", "b1"), marker=lambda rec: rec.compound.name,
        read=lambda rec: f"/assessments/sheets/{rec.id}", pdf=lambda rec: f"/assessments/sheets/{rec.id}/blank.pdf",
        change=lambda rec: f"/assessments/sheets/{rec.id}/score",
        # An open round: company users see no sheet yet; the representative only the one
        # assigned to them.
        reads=dict(admin=S("a1 a2 b1"), staff_a=S("a1 a2"), staff_b=S("b1"), grid_a1=S("a1"),
                   comp_x=S(), comp_y=S(), rep=S("a1")),
        changes=dict(admin=S("a1 a2 b1"), staff_a=S("a1 a2"), staff_b=S("b1"), grid_a1=S("a1"),
                     comp_x=S(), comp_y=S(), rep=S("a1")),
    ),
]

for _kind in KINDS:
    for _role in ABOVE_STREET:
        _kind.reads[_role] = _kind.reads["admin"]
        _kind.changes[_role] = S()
        if _kind.names:
            _kind.names[_role] = _kind.names["admin"]

YES, NO = (200,), (403, 404)
WRITE_THROUGH = (200, 303, 409, 422)


def _clients(app, world):
    out = {}
    for role, user in world.users.items():
        client = app.test_client()
        r = AuthActions(client).login(user.username)
        assert r.status_code in (302, 303), f"{role} could not sign in"
        out[role] = client
    return out


def _xlsx_text(data):
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def _present(text, kind, records):
    return frozenset(k for k in kind.keys if kind.marker(records[k]) in text)


def _answers(client, url, allowed, what):
    """True/False for a GET, failing on any answer that is neither."""
    r = client.get(url)
    if r.status_code in YES:
        return True
    assert r.status_code in NO, f"{what} {url}: HTTP {r.status_code}"
    return False


def _writes(client, url, token, what):
    r = client.post(url, data={"csrf_token": token}, headers={"X-CSRFToken": token})
    if r.status_code in WRITE_THROUGH:
        return True
    assert r.status_code in NO, f"{what} POST {url}: HTTP {r.status_code}"
    return False


def observed(kind, client, records, role):
    """What this role actually gets, action by action: {action: set of keys}."""
    got = {}
    if kind.list:
        r = client.get(kind.list)
        assert r.status_code in YES + NO, f"{role} {kind.list}: HTTP {r.status_code}"
        got["list"] = _present(r.get_data(as_text=True), kind, records) if r.status_code == 200 else S()
    if kind.export:
        r = client.get(kind.export)
        assert r.status_code in YES + NO, f"{role} {kind.export}: HTTP {r.status_code}"
        got["export"] = _present(_xlsx_text(r.data), kind, records) if r.status_code == 200 else S()
    for action in ("read", "pdf", "fragment", "name_by_id"):
        url_of = getattr(kind, action)
        if url_of:
            got[action] = frozenset(k for k in kind.keys
                                    if _answers(client, url_of(records[k]), True, f"{role} {action}"))
    if kind.change:
        token = csrf_from(client.get("/").get_data(as_text=True))
        got["change"] = frozenset(k for k in kind.keys
                                  if _writes(client, kind.change(records[k]), token, f"{role} change"))
    return got


def expected(kind, role):
    reads = kind.reads[role]
    out = {"read": reads, "pdf": reads, "fragment": reads, "change": kind.changes[role],
           "list": kind.lists.get(role, reads), "export": kind.lists.get(role, reads),
           "name_by_id": kind.names.get(role, S())}
    return out


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_access_matrix(app, world, kind):
    """Every role × every action on this kind of record: the exact set of records."""
    records = world.records[kind.name]
    clients = _clients(app, world)
    problems = []
    for role in ROLES:
        got = observed(kind, clients[role], records, role)
        want = expected(kind, role)
        for action, keys in got.items():
            if keys != want[action]:
                problems.append(f"{kind.name} {role} {action}: got {sorted(keys)}, expected {sorted(want[action])}")
    assert not problems, "\n".join(problems)


def test_every_kind_checks_every_role():
    """The table itself: each row names every role, so a new role cannot be forgotten."""
    for kind in KINDS:
        assert set(kind.reads) == set(ROLES) and set(kind.changes) == set(ROLES), kind.name
        if kind.name_by_id:
            assert set(kind.names) == set(ROLES), kind.name
