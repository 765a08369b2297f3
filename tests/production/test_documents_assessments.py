"""The assessments' final documents (issue 14): a closed month's filled sheets, a published
quarterly ranking and a frozen template's blank sheet are printed once, served from
storage (ETag, 304), verifiable at /verify/<code>; a month reopened and closed again gets
a new version of its sheets, and the old one says it is superseded."""
import hashlib
from datetime import date

from sqlalchemy import select

from conftest import AuthActions, csrf_from
from webapp.documents.models import StoredDocument
from webapp.extensions import db


def _closed_sheet():
    from webapp.assessments.models import AssessmentRound, AssessmentSheet

    return db.session.scalars(select(AssessmentSheet).join(AssessmentRound)
                              .where(AssessmentRound.status == "closed").order_by(AssessmentSheet.id)).first()


def _stored(kind, subject_id):
    db.session.expire_all()
    return db.session.scalars(select(StoredDocument).where(StoredDocument.kind == kind,
                                                           StoredDocument.subject_id == subject_id)
                              .order_by(StoredDocument.version)).all()


def test_a_closed_months_sheet_is_printed_once_and_served_from_storage(fresh_demo, client, monkeypatch):
    from webapp.assessments import printing

    calls = []
    original = printing.sheet_pdf
    monkeypatch.setattr(printing, "sheet_pdf", lambda *a, **k: (calls.append(1), original(*a, **k))[1])
    sheet = _closed_sheet()
    AuthActions(client).login("street_admin")
    first = client.get(f"/assessments/sheets/{sheet.id}/sheet.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    (doc,) = _stored("sheet", sheet.id)
    assert first.headers["ETag"].strip('"') == doc.sha256 == hashlib.sha256(first.data).hexdigest()
    again = client.get(f"/assessments/sheets/{sheet.id}/sheet.pdf")
    assert again.data == first.data and len(calls) == 1
    cached = client.get(f"/assessments/sheets/{sheet.id}/sheet.pdf", headers={"If-None-Match": first.headers["ETag"]})
    assert cached.status_code == 304
    verify = client.application.test_client().get(f"/verify/{doc.code}").get_data(as_text=True)
    assert doc.title in verify and doc.sha256 in verify


def test_reclosing_a_month_makes_a_new_version_and_supersedes_the_old(fresh_demo, client):
    sheet = _closed_sheet()
    rnd = sheet.round
    AuthActions(client).login("street_admin")
    client.get(f"/assessments/sheets/{sheet.id}/sheet.pdf")
    (old,) = _stored("sheet", sheet.id)
    page = client.get(f"/assessments/rounds/{rnd.id}").get_data(as_text=True)
    assert client.post(f"/assessments/rounds/{rnd.id}/reopen",
                       data={"csrf_token": csrf_from(page), "reason": "水景花苑评分录入有误，需更正"}).status_code == 303
    page = client.get(f"/assessments/rounds/{rnd.id}").get_data(as_text=True)
    r = client.post(f"/assessments/rounds/{rnd.id}/close", data={"csrf_token": csrf_from(page), "confirm": "1"})
    assert r.status_code == 303
    versions = _stored("sheet", sheet.id)  # the close started the job that printed the month (immediate in tests)
    assert [d.version for d in versions] == [1, 2]
    newer = client.get(f"/assessments/sheets/{sheet.id}/sheet.pdf")
    assert newer.headers["ETag"].strip('"') == versions[1].sha256
    verify = client.application.test_client().get(f"/verify/{old.code}").get_data(as_text=True)
    assert "第 2 版" in verify  # the old print names what supersedes it


def test_a_published_ranking_and_a_frozen_templates_blank_sheet_are_stored(fresh_demo, client):
    from webapp.assessments.models import AssessmentRound, AssessmentTemplate, QuarterRanking

    AuthActions(client).login("street_admin")
    qr = db.session.scalars(select(QuarterRanking).where(QuarterRanking.published_at.is_not(None))).first()
    r = client.get(f"/assessments/ranking.pdf?quarter={qr.quarter}")
    assert r.status_code == 200 and r.headers["ETag"].strip('"') == _stored("ranking", qr.id)[0].sha256
    assert client.get(f"/assessments/ranking.pdf?quarter={qr.quarter}").data == r.data
    used = db.session.scalar(select(AssessmentTemplate.id).join(AssessmentRound, AssessmentRound.template_id == AssessmentTemplate.id))
    r = client.get(f"/assessments/templates/{used}/blank.pdf")
    assert r.status_code == 200 and r.headers["ETag"].strip('"') == _stored("template", used)[0].sha256
