"""Every route, as every role: the answer each must get.

Expectations: 200 (or another 2xx/3xx code), "login" (redirect to sign-in), 403 (role
may not use the page), 404 (record outside the user's place in the tree). Paths name
demo records by name ("{compound:恒安福苑}"), resolved against the demo street.

Each domain keeps its cases in its own section of CASES. `test_every_route_is_walked`
fails when a route exists that no case covers, so a new page cannot skip the walk.
"""
import re

import pytest
from sqlalchemy import select

from webapp.extensions import db

ROLES = ("anonymous", "street_admin", "shuangzhu_staff", "jiyang_staff", "grid_worker", "company_manager", "resident_rep")


def _model(kind):
    from webapp.appointments.models import CrossAppointment
    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import Building, Community, Compound, OwnersCommittee
    from webapp.people.models import Person
    from webapp.structure.models import OrgUnit

    return {
        "community": (Community, Community.name),
        "compound": (Compound, Compound.name),
        "company": (PropertyCompany, PropertyCompany.name),
        "person": (Person, Person.name),
        "unit": (OrgUnit, OrgUnit.name),
        "committee": (OwnersCommittee, OwnersCommittee.name),
        "appointment": (CrossAppointment, CrossAppointment.approval_document),
        "building": (Building, None),
    }[kind]


# Extra resolvers a domain may register: kind -> function(name) returning an id.
RESOLVERS = {}


def resolve(path):
    def sub(m):
        kind, name = m.group(1), m.group(2)
        if kind in RESOLVERS:
            return str(RESOLVERS[kind](name))
        model, column = _model(kind)
        if kind == "building":  # "珠海一区/1号楼"
            from webapp.compounds.models import Building, Compound

            compound, building = name.split("/")
            obj = db.session.scalar(select(Building).join(Compound).where(Compound.name == compound, Building.name == building))
        elif kind == "community" and name.isascii():
            obj = db.session.scalar(select(model).where(model.slug == name))
        else:
            obj = db.session.scalar(select(model).where(column == name).limit(1))
        assert obj is not None, f"demo has no {kind} {name}"
        return str(getattr(obj, "slug", None) if kind == "community" and "slug:" in m.group(0) else obj.id)

    return re.sub(r"\{(\w+):([^}]+)\}", sub, path)


def expect(default, **per_role):
    """Expectation for every role: `default` unless named; 'anonymous' defaults to login."""
    out = {role: default for role in ROLES}
    out["anonymous"] = "login"
    out.update(per_role)
    return out


STAFF_ONLY = dict(company_manager=403, resident_rep=403)
ADMIN_ONLY = dict(shuangzhu_staff=403, jiyang_staff=403, grid_worker=403, company_manager=403, resident_rep=403)
ALL = expect(200)

CASES = [
    # --- foundation ---
    ("GET", "/", ALL),
    ("GET", "/login", expect(200, anonymous=200, street_admin=302, shuangzhu_staff=302, jiyang_staff=302,
                             grid_worker=302, company_manager=302, resident_rep=302)),
    ("GET", "/healthz", expect(200, anonymous=200)),
    ("POST", "/logout", expect(303)),
    ("GET", "/audit/", expect(200, **ADMIN_ONLY)),
    # --- structure ---
    ("GET", "/structure/", expect(200, **STAFF_ONLY)),
    # --- compounds ---
    ("GET", "/compounds/", expect(200, resident_rep=403)),
    ("GET", "/compounds/{compound:珠海一区}", expect(200, jiyang_staff=404, company_manager=404, resident_rep=403)),
    ("GET", "/compounds/{compound:福通小区}", expect(200, shuangzhu_staff=404, grid_worker=404, resident_rep=403)),
    # --- companies ---
    ("GET", "/companies/", expect(200, resident_rep=403)),
    ("GET", "/companies/{company:泛华物业服务有限公司}", expect(200, shuangzhu_staff=404, grid_worker=404, resident_rep=403)),
    ("GET", "/companies/{company:恒安物业服务有限公司}", expect(200, jiyang_staff=404, grid_worker=404, company_manager=404, resident_rep=403)),
    # --- people ---
    ("GET", "/people/", expect(200, resident_rep=403)),
    ("GET", "/people/{person:张英}", expect(200, jiyang_staff=404, company_manager=404, resident_rep=403)),
    ("GET", "/people/{person:孙立华}", expect(200, shuangzhu_staff=404, jiyang_staff=404, grid_worker=404, resident_rep=403)),
    # --- appointments ---
    ("GET", "/appointments/", expect(200, **STAFF_ONLY)),
    # --- meetings (issue 3) ---
    # --- assessments (issue 4) ---
    # --- notices and public pages (issue 5) ---
]

IGNORED_RULES = {"/static/<path:filename>"}


@pytest.fixture(scope="module")
def signed_in(app, demo):
    """One logged-in test client per role, reused across the walk."""
    from conftest import AuthActions

    clients = {}
    for role in ROLES:
        c = app.test_client()
        if role != "anonymous":
            r = AuthActions(c).login(role)
            assert r.status_code == 303, f"{role} cannot sign in"
        clients[role] = c
    return clients


def _case_id(case):
    return f"{case[0]} {case[1]}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_route_as_role(signed_in, demo, role, case):
    method, path, expectations = case
    expected = expectations[role]
    c = signed_in[role]
    url = resolve(path)
    if method == "GET":
        r = c.get(url)
    else:
        from conftest import csrf_from

        if role == "anonymous":
            token = csrf_from(c.get("/login").get_data(as_text=True))
        else:
            token = csrf_from(c.get("/").get_data(as_text=True))
        r = c.post(url, data={"csrf_token": token}, headers={"X-CSRFToken": token})
        if path == "/logout" and role != "anonymous":  # sign back in for the next case
            from conftest import AuthActions

            AuthActions(c).login(role)
    if expected == "login":
        assert r.status_code in (302, 303) and "/login" in r.headers["Location"], f"{role} {url}: {r.status_code}"
    else:
        assert r.status_code == expected, f"{role} {method} {url}: got {r.status_code}, expected {expected}"


def test_every_route_is_walked(app):
    """A route that no case covers fails here: extend CASES when adding a page."""
    walked = {re.sub(r"\{\w+:[^}]+\}", "<>", p) for _, p, _ in CASES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.rule in IGNORED_RULES:
            continue
        shape = re.sub(r"<[^>]+>", "<>", rule.rule)
        if shape not in walked:
            missing.append(rule.rule)
    assert not missing, f"routes not in the walk: {missing}"
