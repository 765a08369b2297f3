"""The inbox's text search finds two-character words (漏水) and longer ones through the
trigram index, and a receipt number exactly; the results stay within the user's scope."""
import re

from sqlalchemy import select

from webapp.extensions import db
from webapp.requests.models import ResidentRequest


def _receipts(html):
    return set(re.findall(r">(YJ\d{8}-[0-9A-Z]+)<", html))


def test_search_finds_short_and_long_words(client, auth, fresh_demo):
    auth.login("street_admin")
    from rq_helpers import compound

    street = compound("珠海一区").street_id  # the street admin's street
    rows = db.session.scalars(select(ResidentRequest).where(ResidentRequest.street_id == street)).all()
    for term in ("漏水", "单元门禁", "救护车进不来"):
        expected = {r.receipt_no for r in rows if term in r.text}
        assert expected, term
        found = set()
        for page in range(1, 12):
            html = client.get("/requests/", query_string={"q": term, "page": page}).get_data(as_text=True)
            got = _receipts(html)
            if not got:
                break
            found |= got
        assert found == expected, term
    one = rows[5]  # of the admin's street
    assert _receipts(client.get("/requests/", query_string={"q": one.receipt_no.lower()}).get_data(as_text=True)) == {one.receipt_no}
    assert not _receipts(client.get("/requests/", query_string={"q": '"; DROP TABLE x; --'}).get_data(as_text=True))


def test_search_stays_in_scope(client, auth, fresh_demo):
    auth.login("company_manager")
    html = client.get("/requests/", query_string={"q": "下水主管道", "status": ""}).get_data(as_text=True)
    assert not _receipts(html)  # 宁华苑's sewer is not 泛华物业's


def test_common_term_plan_finds_the_same_requests_in_the_same_order(app, fresh_demo):
    """A term the pager found plenty of (`common`) is searched by walking the newest-first
    index instead of reading every match: the same requests, in the same order."""
    from webapp.requests import textsearch

    R = ResidentRequest
    order = (R.created_at.desc(), R.id.desc())
    for term in ("单元门禁", "救护车进不来", "漏水"):
        rare = db.session.scalars(textsearch.narrow(select(R.id), term).order_by(*order)).all()
        common = db.session.scalars(textsearch.narrow(select(R.id), term, common=True).order_by(*order)).all()
        assert rare and common == rare, term


def test_a_search_counts_up_to_its_cap(client, auth, fresh_demo, monkeypatch):
    """Past SEARCH_COUNT_CAP matches the pager says "超过 N 条" and still offers 下一页."""
    from webapp.requests.views import inbox

    monkeypatch.setattr(inbox, "SEARCH_COUNT_CAP", 2)
    monkeypatch.setattr(inbox, "PAGE_SIZE", 2)
    auth.login("street_admin")
    html = client.get("/requests/", query_string={"q": "漏水"}).get_data(as_text=True)
    assert "第 1 页，超过 2 条" in html and "下一页" in html
    assert len(_receipts(html)) == 2


def test_the_inbox_runs_the_same_statements_with_no_row_and_with_a_page(client, auth, fresh_demo):
    """The rows' places, category and assignee come joined and the list reads only the
    columns it shows: nothing is loaded row by row, so an empty page and a full one run
    the same statements (issue 11)."""
    from sqlalchemy import event

    auth.login("street_admin")
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    counts = {}
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for label, query in (("none", {"start": "2099-01-01"}), ("page", {})):
            client.get("/requests/", query_string=query)  # the login's reads out of the way
            seen.clear()
            html = client.get("/requests/", query_string=query).get_data(as_text=True)
            counts[label] = len(seen)
            if label == "page":
                assert len(_receipts(html)) == 30
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert counts["none"] == counts["page"], counts
