"""The district's street-by-street page, its ranking and the 金牌红色物业 selection:
who sees which streets, figures equal to counts made here from the rows, a bounded
number of statements, and the selection reaching every street's public board."""
import re
from datetime import date, datetime, timedelta

from sqlalchemy import event, select

from webapp.extensions import db

from conftest import post
from district_world import geo  # noqa: F401


def _login(client, auth, username):
    r = auth.login(username)
    assert r.status_code in (302, 303), r.status_code


def _row(html, street_name):
    """The table row of a street on the district page, tags stripped."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if f">{street_name}<" in row:
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
    return None


def test_district_staff_reads_its_own_district_only(client, auth, geo):
    _login(client, auth, "d1_staff")
    html = client.get("/district/").get_data(as_text=True)
    html = html[html.index("<h1"):]  # the page, not the header's street switcher
    assert "东街道" in html and "西街道" in html
    assert "南街道" not in html and "北街道" not in html
    assert client.get(f"/district/{geo.d1.id}/").status_code == 200
    assert client.get(f"/district/{geo.d2.id}/").status_code == 404  # another district of the same city
    assert client.get(f"/district/{geo.d3.id}/").status_code == 404
    assert client.get(f"/district/{geo.d2.id}/ranking").status_code == 404
    assert client.get(f"/district/{geo.d3.id}/selections").status_code == 404


def test_city_staff_reads_every_district_of_its_city_in_turn(client, auth, geo):
    _login(client, auth, "a_city")
    html = client.get("/district/").get_data(as_text=True)
    html = html[html.index("<h1"):]  # the page, not the header's street switcher
    assert html.index("二区") < html.index("南街道")  # district by district …
    assert html.index("一区") < html.index("东街道") < html.index("西街道")  # … then street by street
    assert "北街道" not in html and "三区" not in html
    assert client.get(f"/district/{geo.d2.id}/").status_code == 200
    assert client.get(f"/district/{geo.d3.id}/").status_code == 404


def test_street_and_community_users_get_403(client, auth, geo):
    for username in ("dong_admin", "xingfu_staff"):
        _login(client, auth, username)
        assert client.get("/district/").status_code == 403
        assert client.get(f"/district/{geo.d1.id}/").status_code == 403
        assert client.get(f"/district/{geo.d1.id}/ranking").status_code == 403
        auth.logout()


def test_figures_equal_counts_made_from_the_rows(client, auth, geo):
    """东街道: 3 compounds, 2 covered (红旗苑 by its instructor company, 党员苑 by its
    committee's party members); 2 companies of which 1 red; 1 appointment in place today
    (the future-dated and the ended one do not count); November: the community-wide
    联席会议 meets the monthly requirement for all 3 compounds. 西街道: none covered, no
    requirement set."""
    _login(client, auth, "d1_staff")
    html = client.get(f"/district/{geo.d1.id}/?period=month&year=2026&n=11").get_data(as_text=True)
    east = _row(html, "东街道")
    assert "2 / 3" in east          # covered compounds
    assert "0 / 1" in east          # communities fully covered
    assert "1 / 2" in east          # red companies / companies
    assert "3 / 3" in east          # 三会三公开: compounds meeting every requirement
    assert re.search(r"\b1 / 2\b.*\b1\b", east)
    west = _row(html, "西街道")
    assert "0 / 1" in west and "未设要求" in west
    assert "—" in west              # requests: not yet counted
    # each figure links down into the street, through its view-street switch, to the list behind it
    for target in ("/", "/companies/", "/appointments/?status%3Dactive",
                   "/meetings/compliance?period%3Dmonth%26year%3D2026%26n%3D11"):
        assert f'href="/streets/view/{geo.s1.id}?next={target}"' in html, re.findall(r'href="/streets[^"]*"', html)
    r = client.get(f"/streets/view/{geo.s1.id}?next=%2Fappointments%2F%3Fstatus%3Dactive")
    assert r.status_code == 303 and r.headers["Location"].endswith("/appointments/?status=active")
    listing = client.get("/appointments/?status=active").get_data(as_text=True)
    assert "在任" in listing and "西街道在任" not in listing
    assert client.get(f"/streets/view/{geo.s3.id}?next=%2F").status_code == 404  # another district's street


def test_figures_use_the_same_rules_as_the_street_pages(app, geo):
    """The SQL aggregates agree with the street's own rules: the dashboard's coverage rule
    compound by compound, `meetings.services.compliance` and `CrossAppointment.active()`."""
    from webapp.appointments.models import CrossAppointment
    from webapp.compounds.coverage import compound_covered
    from webapp.compounds.models import Compound
    from webapp.district import figures
    from webapp.meetings import services as meetings_services

    rows, _ = figures.street_rows([geo.s1, geo.s2], "month", 2026, 11)
    by_street = {r["street"].id: r for r in rows}
    for street in (geo.s1, geo.s2):
        compounds = db.session.scalars(select(Compound).where(Compound.street_id == street.id)).all()
        covered = db.session.scalar(select(db.func.count()).select_from(Compound).where(
            Compound.street_id == street.id, compound_covered()))
        assert by_street[street.id]["covered"] == covered
        active = [a for a in db.session.scalars(select(CrossAppointment).where(
            CrossAppointment.street_id == street.id)) if a.active_on()]
        assert by_street[street.id]["appointments"] == len(active)
    compounds = db.session.scalars(select(Compound).where(Compound.street_id == geo.s1.id)).all()
    _, cells = meetings_services.compliance(compounds, "month", 2026, 11, street_id=geo.s1.id)
    met = sum(1 for _, cs in cells if cs and all(ok for _, _, ok, _ in cs))
    assert by_street[geo.s1.id]["compliance"]["compounds_met"] == met == 3
    # December: nothing held yet, so no compound meets it
    rows, _ = figures.street_rows([geo.s1], "month", 2026, 12)
    assert rows[0]["compliance"]["compounds_met"] == 0
    # a meeting of 普通苑 alone: that compound meets December, the others do not
    from webapp.meetings.models import Meeting

    db.session.add(Meeting(kind=geo.kind, title="普通苑联席会议", starts_at=datetime(2026, 12, 3, 9),
                           community=geo.c1, compound=geo.k2))
    db.session.commit()
    rows, _ = figures.street_rows([geo.s1], "month", 2026, 12)
    _, cells = meetings_services.compliance(compounds, "month", 2026, 12, street_id=geo.s1.id)
    met = [c.name for c, cs in cells if cs and all(ok for _, _, ok, _ in cs)]
    assert met == ["普通苑"]
    assert rows[0]["compliance"]["compounds_met"] == 1
    # by quarter the monthly requirement must hold in October too: nobody meets Q4
    rows, _ = figures.street_rows([geo.s1], "quarter", 2026, 4)
    _, cells = meetings_services.compliance(compounds, "quarter", 2026, 4, street_id=geo.s1.id)
    assert rows[0]["compliance"]["compounds_met"] == sum(
        1 for _, cs in cells if cs and all(ok for _, _, ok, _ in cs)) == 0


def test_statement_count_does_not_grow_with_streets(app, geo, factory):
    from webapp.compounds.models import Community, Compound, Street
    from webapp.district import figures

    def count(streets):
        seen = []
        listener = lambda *a, **k: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            figures.street_rows(streets, "quarter", 2026, 4)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    from webapp.district.access import streets_of

    few = count(streets_of([geo.d1.id]))  # the streets as the page loads them, in one statement
    assert len(streets_of([geo.d1.id])) == 2
    for i in range(6):
        s = Street(name=f"新街道{i}", slug=f"new{i}", region=geo.d1)
        c = Community(street=s, name=f"新社区{i}", slug=f"n{i}")
        db.session.add_all([s, c, Compound(community=c, name=f"新小区{i}", company=geo.red)])
    db.session.commit()
    streets = streets_of([geo.d1.id])
    assert len(streets) == 8
    assert count(streets) == few <= 8


def _closed_round(street, month, scores):
    """A closed round of `street` with frozen sheet results {(company, compound): score}."""
    from webapp.assessments.models import AssessmentRound, AssessmentSheet, AssessmentTemplate

    template = AssessmentTemplate(street=street, name=f"{street.name}考核表{month:%m}")
    rnd = AssessmentRound(street=street, month=month, template=template, status="closed")
    for (company, compound), score in scores.items():
        rnd.sheets.append(AssessmentSheet(company=company, compound=compound, final_score=score))
    db.session.add(rnd)
    db.session.commit()
    return rnd


def test_cross_street_ranking_puts_each_streets_scores_side_by_side(client, auth, geo):
    for m in (10, 11, 12):
        _closed_round(geo.s1, date(2026, m, 1), {(geo.red, geo.k1): 90.0, (geo.plain, geo.k2): 80.0})
        _closed_round(geo.s2, date(2026, m, 1), {(geo.plain, geo.k4): 70.0})
    _closed_round(geo.s3, date(2026, 12, 1), {(geo.red, geo.k5): 99.0})  # another district: not shown
    _login(client, auth, "d1_staff")
    html = client.get(f"/district/{geo.d1.id}/ranking?quarter=2026Q4").get_data(as_text=True)
    red = _row(html, "红旗物业")
    plain = _row(html, "普通物业")
    assert red.startswith("1 红旗物业 90.00")
    assert plain.startswith("2 普通物业 75.00")  # mean of 80 (东街道) and 70 (西街道)
    assert "80.00 第2名" in plain and "70.00 第1名" in plain
    assert "99.00" not in html


def test_selection_from_candidates_to_every_streets_board(client, auth, geo):
    for m in (10, 11, 12):
        _closed_round(geo.s1, date(2026, m, 1), {(geo.red, geo.k1): 90.0, (geo.plain, geo.k2): 80.0})
    _login(client, auth, "d1_staff")
    url = f"/district/{geo.d1.id}/selections"
    r = post(client, url, {"title": "2026年度金牌红色物业", "period": "2026q4", "criteria": "季度得分前列"}, token_from=url)
    assert r.status_code == 303
    sel_url = r.headers["Location"]
    html = client.get(sel_url).get_data(as_text=True)
    assert "红旗物业" in html and "普通物业" in html
    from webapp.district.models import GoldCandidate, GoldSelection

    db.session.rollback()
    selection = db.session.scalar(select(GoldSelection))
    red = db.session.scalar(select(GoldCandidate).where(GoldCandidate.company_id == geo.red.id))
    assert red.rank == 1 and red.street_scores == [{"street": "东街道", "score": 90.0, "rank": 1}]
    # the same quarter twice: refused with a message, nothing written
    r = post(client, url, {"title": "再来一次", "period": "2026Q4"}, token_from=url)
    assert r.status_code == 422 and "已有评选" in r.get_data(as_text=True)
    # nothing ticked: refused
    r = post(client, f"{sel_url}/decide", {"version": selection.version}, token_from=sel_url)
    assert r.status_code == 422 and "至少勾选" in r.get_data(as_text=True)
    # decide asks first, then decides
    r = post(client, f"{sel_url}/decide", {"chosen": str(red.id), "version": selection.version}, token_from=sel_url)
    assert r.status_code == 200 and "确认决定" in r.get_data(as_text=True)
    r = post(client, f"{sel_url}/decide", {"chosen_ids": str(red.id), "note": "得分第一", "version": selection.version,
                                            "confirm": "1"}, token_from=sel_url)
    assert r.status_code == 303
    # not on any board until published
    assert "金牌红色物业" not in client.get("/public/dong/").get_data(as_text=True)
    r = post(client, f"{sel_url}/publish", {"confirm": "1"}, token_from=sel_url)
    assert r.status_code == 303
    for path in ("/public/dong/", "/public/xi/", "/public/dong/xingfu/", "/public/xi/heping/"):
        page = client.get(path).get_data(as_text=True)
        assert "2026年度金牌红色物业" in page and "红旗物业" in page, path
    for path in ("/public/nan/", "/public/nan/xingfu/", "/public/bei/"):
        assert "2026年度金牌红色物业" not in client.get(path).get_data(as_text=True), path
    from webapp.audit.models import AuditLog

    db.session.rollback()
    actions = set(db.session.scalars(select(AuditLog.action).where(AuditLog.entity == "district_selection")))
    assert {"create", "decide", "publish"} <= actions


def test_city_staff_reads_selections_but_does_not_run_them(client, auth, geo):
    _login(client, auth, "a_city")
    url = f"/district/{geo.d1.id}/selections"
    assert client.get(url).status_code == 200
    assert "建立评选" not in client.get(url).get_data(as_text=True)
    r = post(client, url, {"title": "市里建的", "period": "2026Q4"}, token_from=url)
    assert r.status_code == 403


def test_junk_selection_input_gets_a_chinese_message(client, auth, geo):
    _login(client, auth, "d1_staff")
    url = f"/district/{geo.d1.id}/selections"
    for data in ({"title": "", "period": "2026Q4"}, {"title": "x", "period": "2026Q9"}, {"title": "x", "period": "abc"},
                 {"title": "x" * 500, "period": "2026Q4"}):
        r = post(client, url, data, token_from=url)
        assert r.status_code == 422
        assert "请填写" in r.get_data(as_text=True) or "季度格式" in r.get_data(as_text=True) or "不超过" in r.get_data(as_text=True)
    from webapp.district.models import GoldSelection

    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(GoldSelection)) == 0


def test_requests_column_fills_in_once_the_requests_hook_exists(client, auth, geo, monkeypatch):
    """Until `requests.stats.by_street` exists the column says 「—」; given figures in its
    shape, the page shows the on-time rate (on time among those done or overdue) and the
    satisfaction rate the requests domain computed."""
    from webapp.district import figures

    calls = []

    def by_street(street_ids, start, end):
        calls.append((sorted(street_ids), start, end))
        return {geo.s1.id: {"on_time": 6, "late": 1, "overdue": 1, "satisfied": 3, "basic": 1, "unsatisfied": 1,
                            "answered": 5, "satisfaction_rate": 0.8}}

    monkeypatch.setattr(figures, "requests_hook", lambda: by_street)
    _login(client, auth, "d1_staff")
    html = client.get(f"/district/{geo.d1.id}/?period=month&year=2026&n=11").get_data(as_text=True)
    east = _row(html, "东街道")
    assert "75%" in east and "80%" in east
    assert calls[0][0] == sorted([geo.s1.id, geo.s2.id])
    assert (calls[0][1], calls[0][2]) == (datetime(2026, 11, 1), datetime(2026, 12, 1))


def test_district_publishes_a_template_and_a_street_adopts_it(client, auth, geo):
    from webapp.assessments.models import AssessmentTemplate, TemplateItem, TemplateSection

    source = AssessmentTemplate(street=geo.s1, name="红色物业考核表")
    source.sections.append(TemplateSection(title="环境卫生", items=[TemplateItem(title="垃圾当日清", full_points=10),
                                                                 TemplateItem(title="楼道整洁", full_points=5)]))
    other = AssessmentTemplate(street=geo.s3, name="南街道考核表")  # another district's street
    db.session.add_all([source, other])
    db.session.commit()
    source_id, other_id = source.id, other.id
    _login(client, auth, "d1_staff")
    url = f"/district/{geo.d1.id}/templates"
    assert post(client, url, {"source": str(other_id)}, token_from=url).status_code == 422
    assert post(client, url, {"source": ""}, token_from=url).status_code == 422
    assert post(client, url, {"source": str(source_id)}, token_from=url).status_code == 303
    db.session.rollback()
    published = db.session.scalar(select(AssessmentTemplate).where(AssessmentTemplate.region_id == geo.d1.id))
    assert published.street_id is None and len(published.items) == 2 and published.total_points == 15
    auth.logout()
    # a city user reads the district's templates but publishes none
    _login(client, auth, "a_city")
    assert client.get(url).status_code == 200
    assert post(client, url, {"source": str(source_id)}, token_from=url).status_code == 403
    auth.logout()
    # 西街道's administrator adopts it: a copy in its own templates
    west_admin = factory_user("xi_admin", geo.s2)
    _login(client, auth, "xi_admin")
    page = client.get("/district/templates/offered").get_data(as_text=True)
    assert "红色物业考核表" in page
    r = post(client, f"/district/templates/{published.id}/adopt", {}, token_from="/district/templates/offered")
    assert r.status_code == 303
    db.session.rollback()
    adopted = db.session.scalar(select(AssessmentTemplate).where(AssessmentTemplate.street_id == geo.s2.id))
    assert adopted.previous_id == published.id and [i.title for i in adopted.items] == ["垃圾当日清", "楼道整洁"]
    assert client.get(f"/assessments/templates/{adopted.id}").status_code == 200
    assert "已采用" in client.get("/district/templates/offered").get_data(as_text=True)
    auth.logout()
    # a street of another district cannot adopt it
    factory_user("nan_admin", geo.s3)
    _login(client, auth, "nan_admin")
    assert "红色物业考核表" not in client.get("/district/templates/offered").get_data(as_text=True)
    r = post(client, f"/district/templates/{published.id}/adopt", {}, token_from="/district/templates/offered")
    assert r.status_code == 404
    assert west_admin


def factory_user(username, street):
    from conftest import DEMO_PASSWORD
    from webapp.auth.services import create_user

    user = create_user(username, DEMO_PASSWORD, "street_admin", street_id=street.id)
    db.session.commit()
    return user


def test_requests_column_counts_the_streets_requests(client, auth, geo, factory):
    """With the requests domain's figures: 东街道 got three requests this month — one
    resolved on time and answered 满意, one resolved late and answered 不满意, one open
    and overdue — so 1 of 3 on time (33%) and 1 of 2 answers satisfied (50%); 西街道's
    one request on time (100%), not answered (—)."""
    from webapp.models_base import utcnow

    now = utcnow()
    rows = [(geo.c1, True, False, "satisfied"), (geo.c1, True, True, "unsatisfied"), (geo.c1, False, None, ""),
            (geo.c2, True, False, "")]
    for community, resolved, late, satisfaction in rows:
        r = factory.resident_request("路灯坏了", community)
        r.status = "resolved" if resolved else "in_progress"
        r.resolved_at = now if resolved else None
        r.resolved_late = late
        r.satisfaction = satisfaction
        r.due_at = None if resolved else now - timedelta(days=1)
    db.session.commit()
    _login(client, auth, "d1_staff")
    html = client.get(f"/district/{geo.d1.id}/?period=month").get_data(as_text=True)
    east, west = _row(html, "东街道"), _row(html, "西街道")
    assert east.endswith("33% 50%"), east
    assert west.endswith("100% —"), west
