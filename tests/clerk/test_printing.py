"""Printed pages: the blank 5+3 sheet fits one A4 page; the minutes' signatures never
stand alone on a page (read back with pypdf)."""
import io

from pypdf import PdfReader
from sqlalchemy import select

from webapp.extensions import db


def _pages(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return ["".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages]


def test_blank_sheet_fits_one_a4_page(client, auth, demo):
    from webapp.assessments.models import AssessmentRound, AssessmentSheet, AssessmentTemplate

    auth.login()
    from webapp.auth.models import User

    street_id = db.session.scalar(select(User.street_id).where(User.username == "street_admin"))
    template = db.session.scalars(select(AssessmentTemplate).where(AssessmentTemplate.street_id == street_id)
                                  .order_by(AssessmentTemplate.id)).first()
    sheet = db.session.scalars(select(AssessmentSheet).join(AssessmentRound, AssessmentRound.id == AssessmentSheet.round_id)
                               .where(AssessmentRound.street_id == street_id).order_by(AssessmentSheet.id)).first()
    for url in (f"/assessments/templates/{template.id}/blank.pdf", f"/assessments/sheets/{sheet.id}/blank.pdf"):
        pages = _pages(client.get(url))
        assert len(pages) == 1, url
        assert "垃圾当日清" in pages[0] and "涵养社区文化" in pages[0]
        assert "合计" in pages[0] and "评分人签字" in pages[0] and "物业企业负责人签字" in pages[0]


def test_minutes_signatures_stay_with_what_they_sign(client, auth, demo, factory):
    """In every demo meeting's minutes the page with the signature lines also carries
    minutes text above them (a resolution or a task row), never the lines alone. Each
    street's minutes are printed by an administrator of that street."""
    from webapp.compounds.models import Street
    from webapp.meetings.models import Meeting

    for street in db.session.scalars(select(Street)):
        factory.user(f"printer_{street.slug}", "street_admin", street=street)
    checked = 0
    signed_in = None
    for meeting in db.session.scalars(select(Meeting).order_by(Meeting.street_id, Meeting.id)):
        if meeting.street_id != signed_in:
            if signed_in is not None:
                auth.logout()
            auth.login(f"printer_{meeting.street.slug}")
            signed_in = meeting.street_id
        pages = _pages(client.get(f"/meetings/{meeting.id}.pdf"))
        signed = [p for p in pages if "主持人（签字）" in p]
        assert len(signed) == 1, meeting.title
        above = signed[0].replace("草稿", "", 1).split("主持人（签字）")[0]
        assert len(above) > 10, f"{meeting.title}: signatures alone on page {pages.index(signed[0]) + 1}"
        checked += 1
    assert checked >= 5
