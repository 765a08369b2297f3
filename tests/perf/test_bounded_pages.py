"""Every list page does work bounded by what it shows (issue 13): the same number of SQL
statements with a few rows and with many; pickers offer at most picker.LIMIT options,
find the rest by name, stay inside the user's scope and work without JavaScript; pagers
count only as far as they need.

Timings are in bench/list_scaling.py; a statement count is not a time, so it is tested here.
"""
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest
from flask import g
from sqlalchemy import event, func, select

from conftest import AuthActions, csrf_from
from webapp import picker
from webapp.extensions import db


@contextmanager
def statements():
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _fresh():
    """Start a measured request like a real one: no user or rows cached in this context."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    db.session.remove()


@pytest.fixture
def street(factory):
    a, b = factory.community("甲社区"), factory.community("乙社区")
    company = factory.company("基准物业有限公司")
    home = factory.compound(a, "甲一小区", company=company)
    from webapp.compounds.models import CITY_LEVEL, DISTRICT_LEVEL, Region, RegionTier

    city = Region(tier=RegionTier(level=CITY_LEVEL, name="市"), name="测试市")
    district = Region(tier=RegionTier(level=DISTRICT_LEVEL, name="区"), parent=city, name="测试区")
    a.street.region = district
    db.session.add_all([city, district])
    rnd = factory.assessment_round()
    factory.user("boss", role="street_admin")
    factory.user("a_staff", role="community_staff", community=a)
    factory.user("sysadmin", role="system_admin")
    factory.user("district", role="district_staff", region_id=district.id)
    return dict(a=a, b=b, company=company, home=home, factory=factory, n=0, round=rnd.id, district=district.id,
                street_slug=a.street.slug)


def grow(street, n):
    """n more rows in each list's main table (and n/2 compounds and companies per
    community, each compound with a sheet in the assessment round)."""
    from webapp.appointments.models import CrossAppointment
    from webapp.assessments.models import AssessmentSheet
    from webapp.auth.models import User
    from webapp.companies.credit_code import make_code
    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import Compound
    from webapp.meetings.models import FollowUpTask, Meeting, MeetingKind, Resolution
    from webapp.meetings.services import seed_kinds
    from webapp.models_base import utcnow
    from webapp.notices.models import Notice
    from webapp.jobs.models import Job
    from webapp.people.models import Person
    from webapp.requests.models import ResidentRequest

    a, b = db.session.merge(street["a"]), db.session.merge(street["b"])
    kind = db.session.scalars(select(MeetingKind)).first() or next(iter(seed_kinds().values()))
    start = street["n"]
    street["n"] += n
    now = datetime.now()
    boss = db.session.scalar(select(User).where(User.username == "boss"))
    for i in range(start, start + n):
        community = a if i % 2 else b
        company = PropertyCompany(name=f"规模物业{i:04d}有限公司", credit_code=make_code(f"91370288MA{i:07d}"),
                                  party_members=i % 5)
        compound = Compound(community=community, name=f"规模小区{i:04d}", company=company)
        person = Person(name=f"规模人员{i:04d}", community=community)
        meeting = Meeting(kind=kind, title=f"规模会议{i}", starts_at=datetime(2026, 1, 1) + timedelta(days=i % 300),
                          community=community, compound=compound if i % 3 else None, status="approved",
                          approved_at=utcnow(), place="议事厅")
        meeting.tasks.append(FollowUpTask(what=f"任务{i}", owner="物业", due_date=date(2026, 1, 1) + timedelta(days=i)))
        meeting.resolutions.append(Resolution(position=1, text=f"决议{i}", publish=True))
        db.session.add_all([company, compound, person, meeting])
        db.session.add(Notice(title=f"规模公告{i}", body="正文", category=("notice", "service", "fees")[i % 3],
                              community=community, status="published", publish_at=now - timedelta(minutes=i + 1)))
        db.session.add(CrossAppointment(person=person, direction="company_in", company=company, community=community,
                                        home_role="经理", host_role="委员", start_date=date(2025, 1, 1),
                                        approval_document=f"文{i}号"))
        db.session.add(ResidentRequest(receipt_no=f"YJ20260101-G{i:04d}", community=community, compound=compound,
                                       text=f"规模诉求{i}"))
        db.session.add(AssessmentSheet(round_id=street["round"], company=company, compound=compound))
        db.session.add(Job(user_id=boss.id, kind="export", title=f"导出{i}", state="done"))
        db.session.add(User(username=f"scale{i:04d}", display_name=f"规模账号{i}", password_hash=boss.password_hash,
                            role="community_staff", community=community))
    db.session.commit()


PAGES = {  # the pages of bench/list_scaling.py, by who reads them
    "boss": [
        "/meetings/", "/meetings/?compound={home}", "/meetings/tasks", "/meetings/compliance", "/notices/", "/people/",
        "/compounds/", "/companies/", "/structure/", "/appointments/", "/appointments/gaps", "/requests/",
        "/assessments/", "/assessments/rounds/{round}", "/assessments/ranking", "/assessments/templates/", "/audit/",
        "/jobs/", "/", "/reports/", "/public/{street_slug}/", "/public/{slug}/", "/public/{slug}/{home}/",
        "/public/{slug}/archive",
    ],
    "sysadmin": ["/accounts/"],
    "district": ["/district/{district}/", "/district/{district}/ranking"],
}


def _counts(client, street, user):
    out = {}
    for path in PAGES[user]:
        url = path.format(home=street["home"].id, slug=street["a"].slug, round=street["round"],
                          district=street["district"], street_slug=street["street_slug"])
        r = client.get(url)  # warm
        if r.status_code == 301:  # an old public address: the board's own (with its street)
            url = r.headers["Location"]
            client.get(url)
        _fresh()
        with statements() as seen:
            r = client.get(url)
        assert r.status_code == 200, url
        out[path] = len(seen)
    return out


@pytest.mark.parametrize("user", PAGES)
def test_every_list_runs_the_same_statements_at_two_sizes(client, street, user):
    AuthActions(client).login(user)
    grow(street, 4)
    few = _counts(client, street, user)
    grow(street, 56)
    many = _counts(client, street, user)
    assert many == few
    assert max(many.values()) <= 20, many  # the dashboard is the most (18)


def _compound_picker(page):
    """The compound picker's <select> of a page."""
    return page.split('id="pick-compound"', 1)[1].split("</select>", 1)[0]


def _offered(select_html):
    """The options a picker offers (its disabled "more results" line left out)."""
    return select_html.count("<option value=\"") - select_html.count('value="" disabled')


def test_a_picker_offers_at_most_limit_and_finds_the_rest_by_name(client, street):
    AuthActions(client).login("boss")
    grow(street, picker.LIMIT + 15)
    page = client.get("/meetings/").get_data(as_text=True)
    select_html = _compound_picker(page)
    assert _offered(select_html) <= picker.LIMIT + 1
    assert "更多结果请输入名称查找" in select_html
    # As the clerk types (HTMX), and without JavaScript (the filter sends compound_q).
    typed = client.get("/compounds/pick?field=compound&compound_q=规模小区0030").get_data(as_text=True)
    assert "规模小区0030" in typed and "规模小区0031" not in typed
    plain = client.get("/meetings/?compound_q=规模小区0031").get_data(as_text=True)
    assert "规模小区0031" in _compound_picker(plain)


def test_a_picker_never_offers_what_the_user_may_not_see(client, street):
    AuthActions(client).login("a_staff")  # community staff of 甲社区
    grow(street, 6)
    answer = client.get("/compounds/pick?field=compound&q=规模小区").get_data(as_text=True)
    names = {f"规模小区{i:04d}" for i in range(6)}
    shown = {n for n in names if n in answer}
    assert shown == {f"规模小区{i:04d}" for i in range(6) if i % 2}  # 甲社区's only
    b_compound = db.session.scalar(select(func.min(db.text("id"))).select_from(db.text("compound"))
                                   .where(db.text("community_id = :b")).params(b=street["b"].id))
    outside = client.get(f"/compounds/pick?field=compound&compound={b_compound}").get_data(as_text=True)
    assert f'value="{b_compound}"' not in outside


def test_the_compound_forms_company_picker_searches_without_javascript_and_saves_nothing(client, street):
    from webapp.compounds.models import Compound

    AuthActions(client).login("boss")
    grow(street, picker.LIMIT + 5)
    html = client.get("/compounds/new").get_data(as_text=True)
    before = db.session.scalar(select(func.count(Compound.id)))
    r = client.post("/compounds/new", data={
        "csrf_token": csrf_from(html), "community_id": str(street["a"].id), "name": "新小区", "kind": "commodity",
        "management_mode": "company", "company_id": "0", "company_id_q": "规模物业0024", "_pick": "company_id"})
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "规模物业0024有限公司" in page and 'value="新小区"' in page  # what was typed comes back
    db.session.remove()
    assert db.session.scalar(select(func.count(Compound.id))) == before


def test_pagers_count_only_as_far_as_they_need(app, street):
    from webapp.meetings.models import Meeting
    from webapp.paging import bounded_count

    grow(street, 12)
    stmt = select(Meeting.id)
    assert bounded_count(stmt, Meeting.id, page=1, page_size=5, cap=100) == (12, False)
    assert bounded_count(stmt, Meeting.id, page=1, page_size=5, cap=5) == (6, True)  # "超过 5 条"
    assert bounded_count(stmt, Meeting.id, page=2, page_size=5, cap=5) == (11, True)


def test_the_party_rule_in_sql_agrees_with_the_rule_in_python(street):
    from webapp.companies.models import PropertyCompany

    f = street["factory"]
    for members, form in [(0, "none"), (2, "instructor"), (3, "none"), (4, "own"), (5, "instructor"), (1, "joint")]:
        f.company(party_members=members, party_org_form=form)
    db.session.expire_all()
    companies = db.session.scalars(select(PropertyCompany)).all()
    flagged = set(db.session.scalars(select(PropertyCompany.id).where(PropertyCompany.breaks_rule())))
    assert flagged == {c.id for c in companies if c.rule_problem}


def _statements_for(client, url):
    client.get(url)  # warm
    _fresh()
    with statements() as seen:
        r = client.get(url)
    assert r.status_code == 200, url
    return len(seen), r.get_data(as_text=True)


def test_compliance_reads_one_page_of_compounds_whatever_their_number(client, street):
    """With requirements to check (the bench's street has none): the same statements with 5
    compounds and with 61, and a page shows at most 50 of them."""
    from webapp.meetings.models import Requirement

    db.session.add(Requirement(label="每月议事协商", period="month", min_count=1))
    db.session.commit()
    AuthActions(client).login("boss")
    url = "/meetings/compliance?period=quarter&year=2026&n=1"  # the grown meetings' quarter
    grow(street, 4)
    few, _ = _statements_for(client, url)
    grow(street, 56)
    many, page = _statements_for(client, url)
    assert many == few
    assert page.count("<td>规模小区") + page.count("<td>甲一小区") == 50 and "第 1 / 2 页" in page


def test_the_requests_inbox_offers_compounds_through_the_picker(client, street):
    AuthActions(client).login("boss")
    grow(street, picker.LIMIT + 15)
    page = client.get("/requests/").get_data(as_text=True)
    select_html = _compound_picker(page)
    assert _offered(select_html) <= picker.LIMIT + 1
    plain = client.get("/requests/?compound_q=规模小区0031").get_data(as_text=True)  # without JavaScript
    assert "规模小区0031" in _compound_picker(plain)
