"""No silent or unhelpful defaults: a new round starts like last month's, units name their
community, the grid list follows the community, the gaps page's 登记 fills the community,
the community side of an appointment is asked for, a correction carries its tasks."""
import re

from sqlalchemy import select

from conftest import csrf_from
from webapp.extensions import db


def _selected(html, name):
    """(value, text) of the selected option of <select name=...>."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    m = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"[^>]*>([^<]*)<|<option[^>]*value="([^"]*)"[^>]*selected[^>]*>([^<]*)<',
                  select_html)
    if m is None:
        return None
    return (m.group(1) or m.group(3) or "", m.group(2) or m.group(4) or "")


def _options(html, name):
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)<', select_html)


def test_new_round_defaults_to_last_months_template(client, auth, fresh_demo):
    from webapp.assessments.models import AssessmentRound

    last = db.session.scalars(select(AssessmentRound).order_by(AssessmentRound.month.desc())).first()
    auth.login()
    html = client.get("/assessments/").get_data(as_text=True)
    options = _options(html, "template_id")
    assert options[0][0] != str(last.template_id)  # the first template is another one
    assert _selected(html, "template_id")[0] == str(last.template_id)


def test_unit_choices_name_their_community(client, auth, fresh_demo):
    from webapp.people.models import Person

    from webapp.compounds.models import Community

    # 济阳 has three communities, each with a 第一网格党支部.
    person = db.session.scalars(select(Person).join(Community).where(Community.name == "济阳示例一社区")
                                .order_by(Person.id)).first()
    auth.login("jiyang_admin")
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    groups = [text for _, text in _options(html, "organisation") if "第一网格党支部" in text] if 'name="organisation"' in html else []
    if not groups:
        groups = [t for t in re.findall(r"<option[^>]*>([^<]*第一网格党支部[^<]*)<", html)]
    assert len(groups) == 3
    assert len(set(groups)) == len(groups), groups  # each names its community
    assert all("社区" in g for g in groups), groups


def test_grid_list_follows_the_chosen_community(client, auth, fresh_demo):
    from webapp.compounds.models import Community, Grid

    a, b = db.session.scalars(select(Community).order_by(Community.id)).all()[:2]
    auth.login()
    html = client.get("/compounds/new", query_string={"community_id": a.id}).get_data(as_text=True)
    shown = {text for value, text in _options(html, "grid_id") if value != "0"}
    a_grids = {g.name for g in db.session.scalars(select(Grid).where(Grid.community_id == a.id))}
    assert shown == a_grids
    assert _selected(html, "community_id")[0] == str(a.id)
    # HTMX swaps the grid field on change; without JS a GET button reloads the form.
    assert 'data-hx-get="/compounds/new"' in html and 'data-hx-select="#grid-field"' in html
    assert re.search(r'<noscript><button type="submit" formmethod="get"', html)
    # A grid of another community is still refused on save.
    other = db.session.scalars(select(Grid).where(Grid.community_id == b.id)).first()
    token = csrf_from(html)
    r = client.post("/compounds/new", data={"csrf_token": token, "community_id": a.id, "grid_id": other.id,
                                           "name": "新小区", "kind": "commodity", "management_mode": "self"})
    assert r.status_code == 422 and "所选网格不属于所选社区" in r.get_data(as_text=True)


def test_gaps_register_link_fills_the_community(client, auth, fresh_demo):
    auth.login()
    gaps = client.get("/appointments/gaps").get_data(as_text=True)
    link = re.search(r'href="(/appointments/new\?[^"]+)">登记', gaps).group(1).replace("&amp;", "&")
    html = client.get(link).get_data(as_text=True)
    assert _selected(html, "community_id") is not None and _selected(html, "community_id")[0] != ""
    assert _selected(html, "compound_id")[0] != ""


def test_community_side_is_asked_not_defaulted(client, auth, fresh_demo):
    auth.login()
    html = client.get("/appointments/new").get_data(as_text=True)
    first_value, first_text = _options(html, "community_side")[0]
    assert first_value == "" and "请选择" in first_text
    r = client.post("/appointments/new", data={"csrf_token": csrf_from(html)})
    assert "请选择社区侧组织" in r.get_data(as_text=True)


def test_a_correction_carries_the_follow_up_tasks(client, auth, fresh_demo):
    from webapp.meetings.models import Meeting

    from webapp.compounds.models import Street

    yinzhu = db.session.scalar(select(Street.id).where(Street.name == "隐珠街道"))  # the street admin's
    meeting = next(m for m in db.session.scalars(select(Meeting).where(Meeting.status == "approved",
                                                                       Meeting.is_current.is_(True),
                                                                       Meeting.street_id == yinzhu))
                   if m.tasks)
    tasks = [t.what for t in meeting.tasks]
    auth.login()
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    r = client.post(f"/meetings/{meeting.id}/correct", data={"csrf_token": csrf_from(page), "reason": "更正参会人员"})
    assert r.status_code in (302, 303)
    copy = db.session.scalar(select(Meeting).where(Meeting.previous_id == meeting.id))
    html = client.get(f"/meetings/{copy.id}").get_data(as_text=True)
    for what in tasks:
        assert what in html
    assert f"/ {len(tasks)}" in html
    listing = client.get("/meetings/", query_string={"q": copy.title}).get_data(as_text=True)
    row = listing[listing.index(f"/meetings/{copy.id}\""):].split("</tr>")[0]
    assert f"/ {len(tasks)}</td>" in row and "—</td>" not in row
