"""/meetings/<id>.pdf: the A4 minutes."""
from datetime import date

from flask import request

from ...pdf import pdf_response, render_pdf
from ...scope import roles_required
from . import bp
from .common import READERS, SECTIONS, _load


@bp.route("/<int:meeting_id>.pdf")
@roles_required(*READERS)
def pdf(meeting_id):
    """A4 minutes; `s` chooses sections (all when none given)."""
    meeting = _load(meeting_id)
    chosen = [s for s in request.args.getlist("s") if s in SECTIONS] or list(SECTIONS)
    data = render_pdf("meetings/pdf.html", meeting=meeting, sections=set(chosen), today=date.today())
    name = f"{meeting.starts_at:%Y%m%d}-{meeting.minutes_title[:44]}{'（草稿）' if not meeting.is_approved else ''}.pdf"
    return pdf_response(data, name.replace("/", "-"))
