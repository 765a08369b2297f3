"""Approved minutes are rendered once, stored, served from storage (ETag, 304), carry a
verification code and QR code, and are checked at the public /verify/<code>; a correction
is a new version that supersedes the old one, which stays verifiable."""
import hashlib
import io

from pypdf import PdfReader
from sqlalchemy import select

from conftest import AuthActions
from webapp.documents import services as documents
from webapp.documents.models import StoredDocument
from webapp.extensions import db


def _approved_minutes():
    """Approved minutes of 隐珠街道, the street the street admin reads."""
    from webapp.auth.models import User
    from webapp.meetings.models import Meeting

    street_id = db.session.scalar(select(User.street_id).where(User.username == "street_admin"))
    meeting = db.session.scalars(select(Meeting).where(Meeting.status == "approved", Meeting.is_current.is_(True),
                                                       Meeting.street_id == street_id)
                                 .order_by(Meeting.id)).first()
    assert meeting is not None, "the demo has approved minutes"
    return meeting


def _text(data):
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "").replace("\n", "")


def test_approved_minutes_are_rendered_once_and_served_from_storage(fresh_demo, client, monkeypatch):
    from webapp.meetings import printing

    calls = []
    original = printing.minutes_pdf
    monkeypatch.setattr(printing, "minutes_pdf", lambda *a, **k: (calls.append(1), original(*a, **k))[1])
    meeting = _approved_minutes()
    AuthActions(client).login("street_admin")
    first = client.get(f"/meetings/{meeting.id}.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    doc = db.session.scalars(select(StoredDocument).where(StoredDocument.subject_id == meeting.id)).one()
    assert first.headers["ETag"].strip('"') == doc.sha256 == hashlib.sha256(first.data).hexdigest()
    pages = PdfReader(io.BytesIO(first.data)).pages
    assert len(pages) > 1
    for page in pages:  # every page carries the code and the QR beside it
        assert doc.code_label in page.extract_text().replace(" ", "").replace("\n", "")
        assert len(page["/Resources"]["/XObject"]) == 1
    # One rendering: each face embedded once for the whole file, one QR image.
    descendants = [f.get_object()["/DescendantFonts"][0].get_object()
                   for page in pages for f in page["/Resources"]["/Font"].values()]
    files = {d["/FontDescriptor"].get_object().raw_get("/FontFile3").idnum for d in descendants}
    assert len(files) == len({d["/BaseFont"] for d in descendants})
    assert len({page["/Resources"]["/XObject"].raw_get(name).idnum for page in pages
                for name in page["/Resources"]["/XObject"]}) == 1
    again = client.get(f"/meetings/{meeting.id}.pdf")
    assert again.data == first.data and len(calls) == 1  # never rendered twice
    cached = client.get(f"/meetings/{meeting.id}.pdf", headers={"If-None-Match": first.headers["ETag"]})
    assert cached.status_code == 304 and cached.data == b""
    # A chosen set of sections is a working print, not the stored document.
    assert client.get(f"/meetings/{meeting.id}.pdf?s=agenda").data != first.data


def test_the_public_verify_page(fresh_demo, app):
    meeting = _approved_minutes()
    doc = documents.issue("minutes", meeting.id)
    anonymous = app.test_client()
    r = anonymous.get(f"/verify/{doc.code_label.lower()}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Set-Cookie" not in r.headers
    assert doc.title in html and "第 1 版" in html and doc.sha256 in html and "目前为最新版本" in html
    assert anonymous.get("/verify/ZZZZ-ZZZZ").status_code == 404


def test_a_correction_is_a_new_version_that_supersedes(fresh_demo, app):
    from webapp.auth.models import User
    from webapp.meetings import services

    meeting = _approved_minutes()
    first = documents.issue("minutes", meeting.id)
    admin = db.session.scalar(select(User).where(User.username == "street_admin"))
    with app.test_request_context("/"):
        copy = services.correct(meeting, "更正出席人数")
        copy.status = "submitted"
        services.approve(copy, admin)
        db.session.commit()
    second = documents.issue("minutes", copy.id)
    assert (second.version, second.lineage) == (first.version + 1, first.lineage)
    assert second.code != first.code and second.sha256 != first.sha256
    assert documents.issue("minutes", meeting.id).sha256 == first.sha256  # the old file is not overwritten
    html = app.test_client().get(f"/verify/{first.code}").get_data(as_text=True)
    assert f"已被第 {second.version} 版更正取代" in html and second.code_label in html


def test_approval_issues_the_document_as_a_job(fresh_demo, client):
    from webapp.jobs.models import Job
    from webapp.meetings.models import Meeting

    meeting = db.session.scalars(select(Meeting).where(Meeting.status == "submitted")).first()
    if meeting is None:
        meeting = db.session.scalars(select(Meeting).where(Meeting.status == "draft")).first()
        meeting.status = "submitted"
        db.session.commit()
    auth = AuthActions(client)
    auth.login("street_admin")
    r = client.post(f"/meetings/{meeting.id}/approve", data={"csrf_token": auth.csrf(f"/meetings/{meeting.id}"), "confirm": "1"})
    assert r.status_code == 303, r.get_data(as_text=True)[:500]
    job = db.session.scalars(select(Job).where(Job.kind == "document")).one()
    assert job.state == "done" and job.params == {"kind": "minutes", "subject_id": meeting.id}
    assert documents.find("minutes", meeting.id) is not None
