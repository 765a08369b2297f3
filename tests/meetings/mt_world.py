"""A small street for meetings tests: two communities, compounds, a property company,
one user per role, the default kinds, and helpers to build meetings quickly."""
from datetime import datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

import conftest
from conftest import csrf_from
from webapp.clock import local_today
from webapp.extensions import db


@pytest.fixture
def world(factory):
    from webapp.meetings.services import seed_kinds

    a = factory.community("东风社区")
    b = factory.community("西岭社区")
    grid = factory.grid(a, "第一网格")
    company = factory.company("红旗物业服务有限公司")
    other_company = factory.company("蓝天物业服务有限公司")
    a1 = factory.compound(a, "东风小区", company=company, grid=grid)
    a2 = factory.compound(a, "东风花园", company=other_company)
    b1 = factory.compound(b, "西岭小区", company=company)
    users = dict(
        admin=factory.user("admin", "street_admin", display_name="街道 王主任"),
        staff=factory.user("staff", "community_staff", display_name="东风 李干事", community=a),
        staff2=factory.user("staff2", "community_staff", display_name="东风 赵干事", community=a),
        other=factory.user("other", "community_staff", display_name="西岭 陈干事", community=b),
        grid=factory.user("gridw", "grid_worker", grid=grid),
        company=factory.user("comp", "company_user", company=company),
        resident=factory.user("resident", "resident_rep"),
    )
    kinds = seed_kinds()
    db.session.commit()
    return SimpleNamespace(a=a, b=b, a1=a1, a2=a2, b1=b1, company=company, other_company=other_company,
                           users=users, kinds=kinds)


def make_meeting(world, title="东风小区说事议事会", community=None, compound=None, kind="说事议事会",
                 starts_at=datetime(2026, 11, 20, 9, 0), attendees=(), agenda=(), resolutions=(), tasks=(),
                 status="draft"):
    """A meeting built straight in the database (draft unless told), content included."""
    from webapp.meetings.models import AgendaItem, Attendee, FollowUpTask, Meeting, Resolution

    m = Meeting(kind=world.kinds[kind], title=title, starts_at=starts_at, ends_at=starts_at.replace(hour=11),
                community=community or world.a, compound=compound, place="红色议事厅", host="李书记",
                recorder="王记录")
    for i, (name, org, company) in enumerate(attendees, 1):
        m.attendees.append(Attendee(name=name, organisation=org, company=company, position=i))
    for i, (t, d) in enumerate(agenda, 1):
        m.agenda.append(AgendaItem(title=t, discussion=d, position=i))
    for i, (t, publish) in enumerate(resolutions, 1):
        m.resolutions.append(Resolution(text=t, publish=publish, position=i))
    for what, owner, company, due in tasks:
        m.tasks.append(FollowUpTask(what=what, owner=owner, owner_company=company, due_date=due))
    db.session.add(m)
    db.session.commit()
    if status in ("submitted", "approved"):
        from webapp.meetings import services

        m.status = "submitted"
        db.session.commit()
        if status == "approved":
            admin = world.users["admin"]
            m.status, m.approved_by, m.approved_by_id = "approved", admin.display_name, admin.id
            m.approved_at = datetime(2026, 11, 21, 10, 0)
            db.session.commit()
        assert services  # lifecycle exercised through HTTP in the lifecycle tests
    return m


def count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def forget_user():
    """Tests run inside one app context, so flask_login's cached user and Flask-WTF's CSRF token in `g` would leak
    from one test client to the next; drop it when switching clients."""
    from flask import g

    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def token(client, path="/meetings/"):
    forget_user()
    return csrf_from(client.get(path).get_data(as_text=True))


def post(client, url, data=None, htmx=True, csrf_path="/meetings/"):
    forget_user()
    return conftest.post(client, url, data, token_from=csrf_path, htmx=htmx)


def login(client, username):
    from conftest import AuthActions

    forget_user()
    client._cookies.clear()  # a clean sign-in, also when the client was signed in as someone else
    r = AuthActions(client).login(username)
    assert r.status_code == 303, f"{username} cannot sign in"


TODAY = local_today()
