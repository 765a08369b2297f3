"""The route walk's district and public cases, as the district and city staff of the demo.

`tests/test_route_walk.py` walks every case for the roles in its ROLES; until the
streets domain adds district_staff and city_staff there, this walks the cases of the
district's own routes (and the public board) for those two roles."""
import pytest

from test_route_walk import CASES, resolve

ABOVE_STREET = ("district_staff", "city_staff")
MINE = [c for c in CASES if c[1].startswith(("/district", "/public"))]


@pytest.fixture(scope="module")
def above(app, demo):
    from conftest import AuthActions

    clients = {}
    for role in ABOVE_STREET:
        c = app.test_client()
        assert AuthActions(c).login(role).status_code == 303, role
        clients[role] = c
    return clients


@pytest.mark.parametrize("role", ABOVE_STREET)
@pytest.mark.parametrize("case", MINE, ids=lambda c: f"{c[0]} {c[1]}")
def test_district_routes_as_above_street_roles(above, demo, role, case):
    from conftest import csrf_from

    method, path, expectations = case
    c = above[role]
    url = resolve(path)
    if method == "GET":
        r = c.get(url)
    else:
        token = csrf_from(c.get("/district/").get_data(as_text=True))
        r = c.post(url, data={"csrf_token": token}, headers={"X-CSRFToken": token})
    expected = expectations.get(role, expectations["street_admin"])  # public cases: the same for everyone
    assert r.status_code == expected, f"{role} {method} {url}: {r.status_code}"
