"""/counts/: the figures the street records per community and month — saved, shown with
their history, quoted on the dashboard; junk and stale saves write nothing."""
import re

import webapp.models  # noqa: F401  (every mapper before a domain module is imported)
from conftest import post
from webapp.dashboard.models import RecordedCount
from webapp.dashboard.periods import add_months
from webapp.extensions import db

from dashboard_world import street_world  # noqa: F401  (the fixture)


def save(client, kind, month, values, versions=None, token_from=None):
    data = {"kind": kind, "month": month}
    for community_id, value in values.items():
        data[f"value_{community_id}"] = value
        data[f"version_{community_id}"] = (versions or {}).get(community_id, 0)
    return post(client, "/counts/", data, token_from=token_from or f"/counts/?kind={kind}")


def recorded(kind):
    db.session.rollback()
    return {(r.community_id, r.month): r.value for r in db.session.query(RecordedCount).filter_by(kind=kind)}


def test_a_month_saved_shows_in_the_history_and_on_the_dashboard(client, auth, street_world):
    a, b = street_world["a"].id, street_world["b"].id
    this_month, last = street_world["this_month"], street_world["last_month"]
    auth.login("dash_admin")
    r = save(client, "charging_piles", f"{last:%Y-%m}", {a: "20", b: "27"})
    assert r.status_code == 303
    r = save(client, "activities", f"{last:%Y-%m}", {a: "6", b: "4"})
    r = save(client, "activities", f"{this_month:%Y-%m}", {a: "5", b: ""})
    assert recorded("charging_piles") == {(a, last): 20, (b, last): 27}
    assert recorded("activities") == {(a, last): 6, (b, last): 4, (a, this_month): 5}
    page = client.get(f"/counts/?kind=charging_piles&month={last:%Y-%m}").get_data(as_text=True)
    assert '<td class="num">20</td>' in page and '<td class="num">27</td>' in page
    home = client.get("/").get_data(as_text=True)
    piles = re.search(r"充电桩</a></th>\s*<td class=\"num\">(.*?)</td>\s*<td class=\"num\">(.*?)</td>", home)
    assert ">47</a>" in piles.group(1) and "47" in piles.group(2)  # a standing count carries forward
    acts = re.search(r"志愿服务活动</a></th>\s*<td class=\"num\">(.*?)</td>\s*<td class=\"num\">(.*?)</td>", home)
    assert ">5</a>" in acts.group(1) and "10" in acts.group(2)  # a flow adds the month's figures


def test_blank_removes_a_figure_and_junk_writes_nothing(client, auth, street_world):
    a = street_world["a"].id
    month = f"{street_world['last_month']:%Y-%m}"
    auth.login("dash_admin")
    save(client, "social_orgs", month, {a: "34"})
    row = db.session.query(RecordedCount).filter_by(kind="social_orgs").one()
    for junk in ("abc", "-1", "1e9", "3.5", "99999999999"):
        r = save(client, "social_orgs", month, {a: junk}, {a: row.version})
        assert r.status_code == 422, junk
        assert "整数" in r.get_data(as_text=True) or "之间" in r.get_data(as_text=True)
    assert recorded("social_orgs") == {(a, street_world["last_month"]): 34}
    future = add_months(street_world["this_month"], 1)
    assert save(client, "social_orgs", f"{future:%Y-%m}", {a: "1"}).status_code == 422
    assert save(client, "social_orgs", month, {a: ""}, {a: row.version}).status_code == 303
    assert recorded("social_orgs") == {}


def test_a_stale_save_is_refused_with_a_conflict(client, auth, street_world):
    a = street_world["a"].id
    month = f"{street_world['last_month']:%Y-%m}"
    auth.login("dash_admin")
    save(client, "volunteers", month, {a: "100"})  # someone saved after the page was opened (version 0)
    r = save(client, "volunteers", month, {a: "120"}, {a: 0})
    assert r.status_code == 409 and "刚有他人修改" in r.get_data(as_text=True)
    assert recorded("volunteers") == {(a, street_world["last_month"]): 100}


def test_community_staff_record_their_own_community_only(client, auth, street_world, factory):
    a, b = street_world["a"].id, street_world["b"].id
    month = f"{street_world['last_month']:%Y-%m}"
    auth.login("dash_staff")  # 乙社区
    page = client.get("/counts/").get_data(as_text=True)
    assert f'name="value_{b}"' in page and f'name="value_{a}"' not in page and "甲社区" not in page
    assert save(client, "activities", month, {a: "3"}).status_code == 404
    assert save(client, "activities", month, {b: "3"}).status_code == 303
    grid = factory.grid(street_world["b"], "乙一网格")
    factory.user("dash_grid", role="grid_worker", grid=grid)
    auth.logout()
    auth.login("dash_grid")
    page = client.get("/counts/").get_data(as_text=True)
    assert "<form method=\"post\"" not in page.split("<main")[1] and '<td class="num">3</td>' in page
    assert save(client, "activities", month, {b: "9"}).status_code == 403
    assert recorded("activities") == {(b, street_world["last_month"]): 3}
