"""Two streets in two districts of one city, over the real routes: each street
administrator, the district user and the city user see exactly their own street; a URL
into another street answers 404 (lists, details, exports, pickers, PDFs, settings); the
district and city staff write nothing; a company serving both streets is seen by each
with its own compounds and its own scores; the two streets have a community of the same
name.

The world: 测试市 → 东区 → 东街道 and 测试市 → 西区 → 西街道. Each street has 甲社区 (same
name, same slug) with 甲一小区 (same name) served by X物业, plus a compound, a person, a
notice, a meeting, a request, an appointment, an organisation unit, a meeting kind and a
closed assessment round of its own, marked 东… or 西…. X物业 scores 91 in 东街道 and 77 in
西街道. Users: admin_e (东街道), admin_w (西街道), staff_e (东街道's 甲社区), district_e (东区),
city (测试市), comp_x (X物业).
"""
import io
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from conftest import AuthActions, csrf_from
from webapp.extensions import db

E, W = "东", "西"


def _street_world(f, street, mark, X, extra_company):
    """One street's records, every name marked with `mark` except the shared ones."""
    from webapp.appointments.models import CrossAppointment
    from webapp.assessments.models import (AssessmentRound, AssessmentSheet, AssessmentTemplate, TemplateItem,
                                           TemplateSection)
    from webapp.compounds.models import Community
    from webapp.meetings.models import Meeting, MeetingKind
    from webapp.notices.models import Notice
    from webapp.people.models import Person
    from webapp.requests.models import ResidentRequest
    from webapp.structure.models import OrgTier, OrgUnit

    community = f.add(Community(name="甲社区", slug="jia", street=street))
    shared = f.compound(community, "甲一小区", company=X)
    own = f.compound(community, f"{mark}小区", company=extra_company or X)
    own.address = f"{mark}小区地址"
    person = f.add(Person(name=f"{mark}居民", phone="13800001111", community=community))
    manager = f.add(Person(name=f"{mark}X经理", company=X, street=street))
    tier = f.add(OrgTier(street=street, tree="party", level=1, name=f"{mark}一级"))
    f.add(OrgTier(street=street, tree="party", level=2, name=f"{mark}二级"))
    unit = f.add(OrgUnit(street=street, tier=tier, name=f"{mark}街道物业办"))
    kind = f.add(MeetingKind(street=street, name=f"{mark}类型", sort_order=10))
    meeting = f.add(Meeting(kind=kind, title=f"{mark}会议", starts_at=datetime(2026, 11, 20, 9), community=community,
                            place="议事厅"))
    notice = f.add(Notice(title=f"{mark}街道公告", body="正文", street=street))
    req = f.add(ResidentRequest(receipt_no=f"YJ20261120-{'E' if mark == E else 'W'}01", community=community,
                                compound=shared, text=f"{mark}诉求", name="王女士", phone="13805320001"))
    appointment = f.add(CrossAppointment(
        person=manager, direction="company_in", company=X, community=community, compound=shared, org_unit=unit,
        home_role="项目经理", host_role="兼职委员", start_date=date(2025, 1, 1),
        approval_document=f"{mark}党字〔2026〕1号"))
    template = AssessmentTemplate(name=f"{mark}考核表", street=street)
    template.sections.append(TemplateSection(title="垃圾当日清", items=[TemplateItem(title="清运", full_points=100)]))
    rnd = AssessmentRound(street=street, month=date(2026, 11, 1), template=template, status="closed")
    score = 91.0 if mark == E else 77.0
    rnd.sheets.append(AssessmentSheet(company=X, compound=shared, final_score=score))
    f.add(rnd)
    return SimpleNamespace(street=street, community=community, shared=shared, own=own, person=person, unit=unit,
                           kind=kind, meeting=meeting, notice=notice, request=req, appointment=appointment,
                           template=template, round=rnd, score=score)


@pytest.fixture
def two(factory):
    from webapp.compounds.models import Region, RegionTier, Street

    f = factory
    city_tier, district_tier = f.add(RegionTier(level=1, name="市")), f.add(RegionTier(level=2, name="区/县"))
    city = f.add(Region(tier=city_tier, name="测试市", code="990100000000"))
    d_e = f.add(Region(tier=district_tier, parent=city, name="东区"))
    d_w = f.add(Region(tier=district_tier, parent=city, name="西区"))
    s_e = f.add(Street(name="东街道", region=d_e, slug="dong"))
    s_w = f.add(Street(name="西街道", region=d_w, slug="xi"))
    X, Y = f.company("X物业有限公司"), f.company("Y物业有限公司")
    east = _street_world(f, s_e, E, X, None)
    west = _street_world(f, s_w, W, X, Y)
    users = dict(
        admin_e=f.user("admin_e", "street_admin", street=s_e),
        admin_w=f.user("admin_w", "street_admin", street=s_w),
        staff_e=f.user("staff_e", "community_staff", community=east.community),
        district_e=f.user("district_e", "district_staff", region=d_e),
        city=f.user("city_c", "city_staff", region=city),
        comp_x=f.user("comp_x", "company_user", company=X),
    )
    return SimpleNamespace(east=east, west=west, X=X, Y=Y, users=users, city=city)


def _client(app, username):
    client = app.test_client()
    assert AuthActions(client).login(username).status_code in (302, 303)
    return client


def _xlsx_text(data):
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)


# Lists and exports: a marker each street's record shows there.
LISTS = [
    ("/compounds/", lambda s: s.own.name),
    ("/people/", lambda s: s.person.name),
    ("/notices/", lambda s: s.notice.title),
    ("/meetings/", lambda s: s.meeting.title),
    ("/appointments/", lambda s: s.appointment.approval_document),
    ("/requests/", lambda s: s.request.receipt_no),
    ("/structure/", lambda s: s.unit.name),
    ("/meetings/settings", lambda s: s.kind.name),
    ("/assessments/", lambda s: f"/assessments/rounds/{s.round.id}"),
    ("/assessments/templates/", lambda s: s.template.name),
]
EXPORTS = [
    ("/compounds/export.xlsx", lambda s: s.own.name),
    ("/people/export.xlsx", lambda s: s.person.name),
    ("/appointments/export.xlsx", lambda s: s.appointment.approval_document),
]
# Details, PDFs, fragments: one URL per street's record.
DETAILS = [
    lambda s: f"/compounds/{s.shared.id}",
    lambda s: f"/compounds/{s.own.id}",
    lambda s: f"/people/{s.person.id}",
    lambda s: f"/notices/{s.notice.id}",
    lambda s: f"/meetings/{s.meeting.id}",
    lambda s: f"/meetings/{s.meeting.id}.pdf",
    lambda s: f"/requests/{s.request.id}",
    lambda s: f"/structure/units/{s.unit.id}/children",
    lambda s: f"/assessments/rounds/{s.round.id}",
    lambda s: f"/assessments/templates/{s.template.id}",
    lambda s: f"/assessments/templates/{s.template.id}/blank.pdf",
    lambda s: f"/assessments/sheets/{s.round.sheets[0].id}",
    lambda s: f"/appointments/?compound={s.shared.id}",
]


def _seen(client, two):
    """Which streets' records the client sees, per list/export/detail: {what: {'东', '西'}}."""
    out = {}
    for url, marker in LISTS:
        r = client.get(url)
        assert r.status_code in (200, 403), f"{url}: {r.status_code}"
        text = r.get_data(as_text=True) if r.status_code == 200 else ""
        out[url] = {m for m, s in ((E, two.east), (W, two.west)) if marker(s) in text}
    for url, marker in EXPORTS:
        r = client.get(url)
        assert r.status_code == 200, url
        text = _xlsx_text(r.data)
        out[url] = {m for m, s in ((E, two.east), (W, two.west)) if marker(s) in text}
    for i, url_of in enumerate(DETAILS):
        seen = set()
        for m, s in ((E, two.east), (W, two.west)):
            r = client.get(url_of(s))
            assert r.status_code in (200, 404), f"{url_of(s)}: {r.status_code}"
            if r.status_code == 200:
                seen.add(m)
        out[url_of(two.east)] = seen
    return out


def _only(seen, streets):
    wrong = {what: got for what, got in seen.items() if got != streets}
    assert not wrong, f"expected only {streets}: {wrong}"


def test_each_street_admin_sees_exactly_its_own_street(app, two):
    _only(_seen(_client(app, "admin_e"), two), {E})
    _only(_seen(_client(app, "admin_w"), two), {W})


def test_district_user_sees_its_district_street_and_cannot_view_another(app, two):
    client = _client(app, "district_e")
    _only(_seen(client, two), {E})
    assert client.get(f"/streets/view/{two.west.street.id}?next=/compounds/").status_code == 404
    _only(_seen(client, two), {E})
    page = client.get("/compounds/").get_data(as_text=True)
    assert "正在查看：东街道" in page


def test_city_user_views_each_street_of_its_city_in_turn(app, two):
    client = _client(app, "city_c")
    _only(_seen(client, two), {E})  # the first street of the city, until it chooses
    r = client.get(f"/streets/view/{two.west.street.id}?next=/compounds/")
    assert r.status_code == 303 and r.headers["Location"] == "/compounds/"
    _only(_seen(client, two), {W})
    page = client.get("/compounds/").get_data(as_text=True)
    assert "正在查看：西街道" in page and "东区 · 东街道" in page  # the switcher offers the other
    assert client.get("/streets/view/2147483000").status_code == 404
    assert client.get(f"/streets/view/{two.east.street.id}?next=https://evil.example/").headers["Location"] == "/"


def test_street_users_cannot_choose_a_street(app, two):
    for username in ("admin_e", "staff_e", "comp_x"):
        assert _client(app, username).get(f"/streets/view/{two.east.street.id}").status_code == 404, username


def test_district_and_city_staff_write_nothing(app, two):
    for username in ("district_e", "city_c"):
        client = _client(app, username)
        token = csrf_from(client.get("/").get_data(as_text=True))
        s = two.east
        for url in (f"/compounds/{s.shared.id}/edit", "/compounds/new", f"/people/{s.person.id}/edit",
                    f"/notices/{s.notice.id}/edit", f"/meetings/{s.meeting.id}/edit", "/meetings/settings/kinds",
                    f"/requests/{s.request.id}/phone", f"/requests/{s.request.id}/act/accept",
                    f"/requests/{s.request.id}/escalate", f"/structure/units/{s.unit.id}/rename",
                    "/companies/new", f"/companies/{two.X.id}/edit", f"/people/{s.person.id}/phone"):
            r = client.post(url, data={"csrf_token": token, "name": "改名"}, headers={"X-CSRFToken": token})
            assert r.status_code in (403, 404), f"{username} POST {url}: {r.status_code}"
        for url in (f"/compounds/{s.shared.id}/edit", "/compounds/new", f"/people/{s.person.id}/edit",
                    "/notices/new", "/meetings/new", f"/structure/units/{s.unit.id}/add"):
            assert client.get(url).status_code in (403, 404), f"{username} GET {url}"
        # A resident's phone: masked, with no way to reveal it.
        page = client.get(f"/people/{s.person.id}").get_data(as_text=True)
        assert "138****1111" in page and "13800001111" not in page and "显示完整号码" not in page
        page = client.get(f"/requests/{s.request.id}").get_data(as_text=True)
        assert "138****0001" in page and "13805320001" not in page and "显示完整号码" not in page
        assert client.get("/audit/").status_code == 403


def test_a_street_admin_cannot_reach_into_another_street(app, two):
    client = _client(app, "admin_e")
    token = csrf_from(client.get("/").get_data(as_text=True))
    w = two.west
    for url in (f"/compounds/{w.shared.id}/edit", f"/people/{w.person.id}/edit", f"/notices/{w.notice.id}/edit",
                f"/meetings/{w.meeting.id}/edit", f"/meetings/settings/kinds/{w.kind.id}/toggle",
                f"/requests/{w.request.id}/phone", f"/requests/{w.request.id}/act/accept",
                f"/requests/{w.request.id}/escalate", f"/structure/units/{w.unit.id}/rename",
                f"/assessments/templates/{w.template.id}/revise", f"/assessments/rounds/{w.round.id}/reopen"):
        r = client.post(url, data={"csrf_token": token, "active": "0", "name": "改名"}, headers={"X-CSRFToken": token})
        assert r.status_code == 404, f"POST {url}: {r.status_code}"
    # Pickers offer only its own street's communities, compounds and kinds.
    form = client.get("/meetings/new").get_data(as_text=True)
    assert _options(form, "community_id") == {str(two.east.community.id)}
    assert _options(form, "compound_id") - {""} == {str(two.east.shared.id), str(two.east.own.id)}
    assert _options(form, "kind_id") == {str(two.east.kind.id)}
    assert _options(client.get("/compounds/new").get_data(as_text=True), "community_id") - {"0"} == {
        str(two.east.community.id)}


def _options(html, name):
    """The option values of the <select name=…> in a page."""
    import re

    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return set(re.findall(r'<option[^>]*value="([^"]*)"', select_html))


def test_same_named_communities_in_two_streets(app, two):
    from webapp.compounds.models import Community

    assert two.east.community.name == two.west.community.name == "甲社区"
    assert two.east.community.slug == two.west.community.slug
    db.session.add(Community(name="甲社区", slug="jia2", street=two.east.street))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # Each admin's compound list filtered by "its" 甲社区 shows its own compounds only.
    for username, s, other in (("admin_e", two.east, two.west), ("admin_w", two.west, two.east)):
        page = _client(app, username).get(f"/compounds/?community={s.community.id}").get_data(as_text=True)
        assert s.own.name in page and other.own.name not in page


def test_a_company_serving_two_streets_is_seen_by_each_with_its_own_compounds_and_scores(app, two):
    east, west = _client(app, "admin_e"), _client(app, "admin_w")
    # Each street lists X; only 西街道 (whose compound it serves) lists Y.
    assert "X物业有限公司" in east.get("/companies/").get_data(as_text=True)
    assert "Y物业有限公司" not in east.get("/companies/").get_data(as_text=True)
    assert east.get(f"/companies/{two.Y.id}").status_code == 404
    assert "Y物业有限公司" in west.get("/companies/").get_data(as_text=True)
    # X's page: each street sees the compounds X serves in it.
    page_e = east.get(f"/companies/{two.X.id}").get_data(as_text=True)
    page_w = west.get(f"/companies/{two.X.id}").get_data(as_text=True)
    assert f"/compounds/{two.east.shared.id}" in page_e and f"/compounds/{two.west.shared.id}" not in page_e
    assert f"/compounds/{two.west.shared.id}" in page_w and f"/compounds/{two.east.shared.id}" not in page_w
    # Its own scores: the quarter's ranking of each street shows its own month's score of X.
    ranking_e = east.get("/assessments/ranking?quarter=2026Q4").get_data(as_text=True)
    ranking_w = west.get("/assessments/ranking?quarter=2026Q4").get_data(as_text=True)
    assert "91.00" in ranking_e and "77.00" not in ranking_e
    assert "77.00" in ranking_w and "91.00" not in ranking_w
    district = _client(app, "district_e").get("/assessments/ranking?quarter=2026Q4").get_data(as_text=True)
    assert "91.00" in district and "77.00" not in district
    # The company's own user sees its compounds in both streets.
    comp = _client(app, "comp_x")
    for compound in (two.east.shared, two.west.shared):
        assert comp.get(f"/compounds/{compound.id}").status_code == 200


def test_a_street_admin_reads_only_its_own_streets_audit_entries(app, two):
    from webapp.audit.models import AuditLog

    for username, name in (("admin_e", "东新类型"), ("admin_w", "西新类型")):
        client = _client(app, username)
        token = csrf_from(client.get("/").get_data(as_text=True))
        r = client.post("/meetings/settings/kinds", data={"csrf_token": token, "name": name},
                        headers={"X-CSRFToken": token})
        assert r.status_code == 303
    db.session.expire_all()
    entries = db.session.scalars(select(AuditLog).where(AuditLog.entity == "meeting_kind", AuditLog.action == "create",
                                                        AuditLog.username.in_(("admin_e", "admin_w")))).all()
    by_user = {e.username: e.street_id for e in entries}
    assert by_user == {"admin_e": two.east.street.id, "admin_w": two.west.street.id}
    log_e = _client(app, "admin_e").get("/audit/?kind=meeting_kind").get_data(as_text=True)
    assert "东新类型" in log_e and "西新类型" not in log_e
    # Each street keeps its own kinds: the same name may exist in both.
    client = _client(app, "admin_w")
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.post("/meetings/settings/kinds", data={"csrf_token": token, "name": "东新类型"},
                       headers={"X-CSRFToken": token}).status_code == 303


def test_the_system_admin_places_new_accounts_in_a_street_or_a_region(app, two):
    from webapp.auth.models import User

    from webapp.auth.services import create_user

    create_user("sys_admin", "hongye-demo", "system_admin", "系统管理员")
    db.session.commit()
    admin = _client(app, "sys_admin")
    page = admin.get("/accounts/new").get_data(as_text=True)
    assert "东街道 · 甲社区" in page and "西街道 · 甲社区" in page  # same-named communities told apart
    good = "Qd-Wuye-7781"
    form = {"csrf_token": csrf_from(page), "username": "w_admin2", "display_name": "西街道 新管理员",
            "role": "street_admin", "community_id": "", "grid_id": "", "company_id": "", "street_id": "",
            "region_id": "", "password": good}
    r = admin.post("/accounts/new", data=form)
    assert r.status_code == 422 and "请选择所属街道" in r.get_data(as_text=True)  # two streets: say which
    assert admin.post("/accounts/new", data=dict(form, street_id=str(two.west.street.id))).status_code == 303
    r = admin.post("/accounts/new", data=dict(form, username="d_wrong", role="district_staff",
                                              region_id=str(two.city.id)))
    assert r.status_code == 422 and "区级工作人员请选择区县" in r.get_data(as_text=True)
    assert admin.post("/accounts/new", data=dict(form, username="c_ok", role="city_staff",
                                                 region_id=str(two.city.id))).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(User.street_id).where(User.username == "w_admin2")) == two.west.street.id
    assert db.session.scalar(select(User.region_id).where(User.username == "c_ok")) == two.city.id


def test_a_new_street_gets_its_own_default_settings_and_codes_are_twelve_digits(app, two):
    from webapp.compounds.models import Community, Street
    from webapp.meetings.models import MeetingKind
    from webapp.streets import services

    district = services.region("东区", 2, two.city)
    assert district.id == two.east.street.region_id  # found, not made again
    north = services.create_street("北街道", district, "bei", code="990101003000")
    db.session.commit()
    kinds = db.session.scalars(select(MeetingKind.name).where(MeetingKind.street_id == north.id)).all()
    assert "物业联席会议" in kinds and two.east.kind.name not in kinds
    assert north.district_name == "东区" and north.city_name == "测试市"
    for bad in ("12345", "99010100300a", "9901010030001"):
        with pytest.raises(ValueError, match="12位数字"):
            Street(name="坏街道", slug="bad", code=bad)
        with pytest.raises(ValueError, match="12位数字"):
            Community(name="坏社区", slug="bad", code=bad)
    assert Street(name="空代码街道", slug="empty", code="  ").code is None


def test_a_command_working_in_one_of_several_streets_creates_there(app, two):
    from webapp.meetings.models import MeetingKind
    from webapp.meetings.services import seed_kinds
    from webapp.scope import current_street_id, working_in

    assert current_street_id() is None  # two streets, no user: no street to guess
    with working_in(two.west.street.id):
        kinds = seed_kinds()
        db.session.add(MeetingKind(name="西命令类型"))
        db.session.commit()
    assert {k.street_id for k in kinds.values()} == {two.west.street.id}
    assert db.session.scalar(select(MeetingKind.street_id).where(MeetingKind.name == "西命令类型")) == two.west.street.id
    db.session.add(MeetingKind(name="无街道类型"))
    with pytest.raises(IntegrityError):  # outside: refused rather than put in a wrong street
        db.session.commit()
    db.session.rollback()
