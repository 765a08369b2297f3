import pytest
from contextlib import contextmanager
from sqlalchemy import event
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

@pytest.mark.parametrize("role", ["street_admin", "shuangzhu_staff", "grid_worker", "company_manager", "resident_rep"])
def test_smoke(client, auth, demo, role):
    auth.login(role)
    with statements() as seen:
        r = client.get("/")
    html = r.get_data(as_text=True)
    open(f"/tmp/dash_{role}.html", "w").write(html)
    print(role, r.status_code, len(seen))
    assert r.status_code == 200


def test_report_tmp(client, auth, demo):
    from conftest import post
    auth.login("street_admin")
    for slug in ("2026-11", "2026-12", "2026-Q4", "2026-Q3"):
        r = client.get(f"/reports/{slug}.pdf")
        assert r.status_code == 200, slug
        r = post(client, f"/reports/{slug}.pdf")
        assert r.status_code == 303, r.status_code
        job = client.get(r.headers["Location"]).get_data(as_text=True)
        import re
        m = re.search(r'href="(/jobs/\d+/download)"', job)
        assert m, job[-2000:]
        pdf = client.get(m.group(1)).data
        open(f"/tmp/report_{slug}.pdf", "wb").write(pdf)
        r = post(client, f"/reports/{slug}.xlsx")
        job = client.get(r.headers["Location"]).get_data(as_text=True)
        m = re.search(r'href="(/jobs/\d+/download)"', job)
        open(f"/tmp/report_{slug}.xlsx", "wb").write(client.get(m.group(1)).data)
    r = client.get("/reports/2026-11.pdf")
    assert r.mimetype == "application/pdf"
    r = client.get("/reports/")
    open("/tmp/reports_page.html", "w").write(r.get_data(as_text=True))
