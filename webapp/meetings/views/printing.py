"""/meetings/<id>.pdf: the A4 minutes (assembled in `meetings/printing.py`)."""
from flask import request

from ...documents import services as documents
from ...pdf import pdf_response
from ...scope import roles_required
from .. import printing
from . import bp
from .common import READERS, _load


@bp.route("/<int:meeting_id>.pdf")
@roles_required(*READERS)
def pdf(meeting_id):
    """A4 minutes; `s` chooses sections (all when none given). Approved minutes in full are
    the stored, verifiable document (rendered once: webapp/documents/)."""
    meeting = _load(meeting_id)
    if meeting.is_approved and not request.args.getlist("s"):
        return documents.serve(documents.issue("minutes", meeting.id))
    return pdf_response(*printing.minutes_pdf(meeting, request.args.getlist("s")))
