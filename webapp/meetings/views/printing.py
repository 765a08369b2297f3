"""/meetings/<id>.pdf: the A4 minutes (assembled in `meetings/printing.py`)."""
from flask import request

from ...pdf import pdf_response
from ...scope import roles_required
from .. import printing
from . import bp
from .common import READERS, _load


@bp.route("/<int:meeting_id>.pdf")
@roles_required(*READERS)
def pdf(meeting_id):
    """A4 minutes; `s` chooses sections (all when none given)."""
    return pdf_response(*printing.minutes_pdf(_load(meeting_id), request.args.getlist("s")))
