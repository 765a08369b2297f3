"""Residents' phones: in full for the staff responsible, masked (138****0003) for other
staff with a one-click audited unmask (HTMX, and a page without JavaScript), and never
shown to anyone else — on every page and export that shows one. Stewards' phones show to
others only when the steward agreed."""
import io

from openpyxl import load_workbook
from sqlalchemy import select

from conftest import AuthActions, csrf_from
from test_access_matrix import world  # noqa: F401  (the matrix's two-community world)
from webapp.audit.models import AuditLog
from webapp.extensions import db
from webapp.phones import mask

FULL_PA, MASKED_PA = "13800000003", "138****0003"  # 甲社区居民 (community 甲, no links)
FULL_PA1, MASKED_PA1 = "13800000001", "138****0001"  # 甲一管家, steward of 甲一1号楼, no consent
FULL_REQ, MASKED_REQ = "13805320001", "138****0001"


def _client(app, world, role):
    client = app.test_client()
    AuthActions(client).login(world.users[role].username)
    return client


def _xlsx(data):
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def test_mask_keeps_three_and_four_digits():
    assert mask("13800008000") == "138****8000"
    assert mask("0532-88881000") == "053****1000"
    assert mask("12345") == "*****" and mask("") == ""


def test_people_pages_and_export(app, world):
    pa = world.records["person"]["pa"]
    px = world.records["person"]["px"]
    staff = _client(app, world, "staff_a")  # responsible for 甲's people
    for html in (staff.get("/people/").get_data(as_text=True), staff.get(f"/people/{pa.id}").get_data(as_text=True)):
        assert FULL_PA in html
    assert FULL_PA in _xlsx(staff.get("/people/export.xlsx").data)
    # X经理 is read by 甲's staff (cross-appointed there) but is not theirs: masked.
    detail = staff.get(f"/people/{px.id}").get_data(as_text=True)
    assert "13800000005" not in detail and "138****0005" in detail
    assert "13800000005" not in _xlsx(staff.get("/people/export.xlsx").data)

    admin = _client(app, world, "admin")  # the street office: masked, unmask on request
    listing = admin.get("/people/").get_data(as_text=True)
    detail = admin.get(f"/people/{pa.id}").get_data(as_text=True)
    exported = _xlsx(admin.get("/people/export.xlsx").data)
    for text in (listing, detail, exported):
        assert FULL_PA not in text and MASKED_PA in text
    assert f'hx-post="/people/{pa.id}/phone"' in detail and f'action="/people/{pa.id}/phone"' in detail
    # Searching by the number cannot confirm a phone one sees masked; by name it finds them.
    assert "甲社区居民" not in admin.get(f"/people/?q={FULL_PA}").get_data(as_text=True).split("<tbody>")[1]
    assert "甲社区居民" in admin.get("/people/?q=甲社区居民").get_data(as_text=True).split("<tbody>")[1]
    assert "甲社区居民" in staff.get(f"/people/?q={FULL_PA}").get_data(as_text=True).split("<tbody>")[1]

    company = _client(app, world, "comp_x")  # its own staff in full, nobody else's
    assert "13800000005" in company.get("/people/").get_data(as_text=True)
    assert company.get(f"/people/{pa.id}").status_code == 404


def test_unmask_is_one_audited_click_with_a_no_js_fallback(app, world):
    pa = world.records["person"]["pa"]
    admin = _client(app, world, "admin")
    token = csrf_from(admin.get(f"/people/{pa.id}").get_data(as_text=True))
    r = admin.post(f"/people/{pa.id}/phone", data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and FULL_PA in r.get_data(as_text=True)
    assert "<html" not in r.get_data(as_text=True)  # a fragment for HTMX
    r = admin.post(f"/people/{pa.id}/phone", data={"csrf_token": token})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and FULL_PA in page and f"/people/{pa.id}" in page  # a page, with the way back
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action == "unmask", AuditLog.entity == "person",
                                                     AuditLog.entity_id == pa.id)).all()
    assert len(rows) == 2 and {row.username for row in rows} == {"m_admin"}
    # Where the phone already shows in full, or the person is out of reach, there is nothing to unmask.
    staff = _client(app, world, "staff_a")
    token = csrf_from(staff.get("/people/").get_data(as_text=True))
    assert staff.post(f"/people/{pa.id}/phone", data={"csrf_token": token}).status_code == 404
    other = _client(app, world, "staff_b")
    token = csrf_from(other.get("/people/").get_data(as_text=True))
    assert other.post(f"/people/{pa.id}/phone", data={"csrf_token": token}).status_code == 404
    assert admin.post(f"/people/{pa.id}/phone").status_code == 400  # CSRF still required


def test_request_phone(app, world):
    item = world.records["request"]["a1"]
    for role in ("staff_a", "grid_a1"):  # the community's staff and the compound's grid worker
        html = _client(app, world, role).get(f"/requests/{item.id}").get_data(as_text=True)
        assert FULL_REQ in html, role
    admin = _client(app, world, "admin")
    html = admin.get(f"/requests/{item.id}").get_data(as_text=True)
    assert FULL_REQ not in html and MASKED_REQ in html
    token = csrf_from(html)
    r = admin.post(f"/requests/{item.id}/phone", data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and FULL_REQ in r.get_data(as_text=True)
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "unmask",
                                                    AuditLog.entity == "resident_request")) is not None


def test_steward_phone_needs_consent_for_anyone_not_responsible(app, world):
    building = world.records["building"]["a1"]
    compound = world.records["compound"]["a1"]
    company = _client(app, world, "comp_x")  # serves 甲一小区, not responsible for its steward
    page = company.get(f"/compounds/{compound.id}").get_data(as_text=True)
    exported = _xlsx(company.get("/compounds/buildings.xlsx").data)
    for text in (page, exported):
        assert "甲一管家" in text and FULL_PA1 not in text and MASKED_PA1 not in text
    staff = _client(app, world, "staff_a")
    assert FULL_PA1 in staff.get(f"/compounds/{compound.id}").get_data(as_text=True)
    assert FULL_PA1 in _xlsx(staff.get("/compounds/buildings.xlsx").data)
    grid = _client(app, world, "grid_a1")
    assert FULL_PA1 in grid.get(f"/compounds/{compound.id}").get_data(as_text=True)
    admin = _client(app, world, "admin")
    page = admin.get(f"/compounds/{compound.id}").get_data(as_text=True)
    assert FULL_PA1 not in page and MASKED_PA1 in page
    assert FULL_PA1 not in _xlsx(admin.get("/compounds/buildings.xlsx").data)
    # The steward agrees: now every reader sees the number.
    building.steward_phone_public = True
    db.session.commit()
    assert FULL_PA1 in company.get(f"/compounds/{compound.id}").get_data(as_text=True)
    assert FULL_PA1 in _xlsx(company.get("/compounds/buildings.xlsx").data)


def test_steward_picker_masks_like_the_list(app, world):
    compound = world.records["compound"]["a1"]
    admin = _client(app, world, "admin")
    row = admin.get(f"/compounds/{compound.id}/buildings/new", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "甲社区居民" in row and FULL_PA not in row and MASKED_PA in row
