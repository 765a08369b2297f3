"""The assessments' PDFs: blank and filled sheets (*.pdf under /templates/, /sheets/, /rounds/),
a round's sheets in one PDF or a zip, and the quarterly ranking (/assessments/ranking.pdf).
The documents are assembled in `assessments/printing.py`; these views choose and serve them."""
import io

from flask import send_file

from ...auth.models import RESIDENT_REP, STREET_ADMIN
from ...pdf import pdf_response
from ...scope import ALL_ROLES, STAFF_ROLES, roles_required
from .. import printing
from . import bp
from .common import may_see_result, scoped_sheet, visible_scores
from .ranking import _quarter_arg, _ranking_context
from .rounds import _round_or_404
from .templates import _template_or_404


@bp.route("/templates/<int:template_id>/blank.pdf")
@roles_required(*STAFF_ROLES, RESIDENT_REP)
def template_blank_pdf(template_id):
    return pdf_response(*printing.blank_template_pdf(_template_or_404(template_id)))


@bp.route("/rounds/<int:round_id>/sheets.pdf")
@roles_required(STREET_ADMIN)
def round_pdf(round_id):
    """Every sheet of the round, filled as far as it is, in one PDF (one HTML, page breaks)."""
    return pdf_response(*printing.round_pdf(_round_or_404(round_id)))


@bp.route("/rounds/<int:round_id>/sheets.zip")
@roles_required(STREET_ADMIN)
def round_zip(round_id):
    """One PDF per company in a zip."""
    data, name = printing.round_zip(_round_or_404(round_id))
    return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True, download_name=name)


@bp.route("/sheets/<int:sheet_id>/blank.pdf")
@roles_required(*STAFF_ROLES, RESIDENT_REP)
def sheet_blank_pdf(sheet_id):
    """A blank sheet pre-filled with the company and compound, to carry on the visit."""
    return pdf_response(*printing.blank_sheet_pdf(scoped_sheet(sheet_id)))


def sheet_print_args(sheet):
    """What of a sheet the signed-in user may see printed: scorer ids and whether the result shows."""
    return {s.id for s in visible_scores(sheet)}, may_see_result(sheet)


@bp.route("/sheets/<int:sheet_id>/sheet.pdf")
@roles_required(*ALL_ROLES)
def sheet_pdf(sheet_id):
    """The filled sheet: scores, findings and signature lines."""
    sheet = scoped_sheet(sheet_id)
    return pdf_response(*printing.sheet_pdf(sheet, *sheet_print_args(sheet)))


@bp.route("/ranking.pdf")
@roles_required(*STAFF_ROLES)
def ranking_pdf():
    quarter = _quarter_arg()
    return pdf_response(*printing.ranking_pdf(quarter, _ranking_context(quarter, svg_size=(150, 44))))
