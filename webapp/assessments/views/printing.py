"""The assessments' PDFs: blank and filled sheets (*.pdf under /templates/, /sheets/, /rounds/),
a round's sheets in one PDF or a zip, and the quarterly ranking (/assessments/ranking.pdf).
The documents are assembled in `assessments/printing.py`; these views choose and serve them."""
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from ...auth.models import RESIDENT_REP, STREET_ADMIN
from ...documents import services as documents
from ...forms import BaseForm
from ...jobs import services as jobs
from ...pdf import pdf_response
from ...scope import ALL_ROLES, STAFF_ROLES, roles_required
from .. import printing, services
from ..services import template_in_use
from . import bp
from .common import may_see_result, scoped_sheet, visible_scores
from .ranking import _quarter_arg, _ranking_context
from .rounds import _round_or_404
from .templates import _template_or_404


@bp.route("/templates/<int:template_id>/blank.pdf")
@roles_required(*STAFF_ROLES, RESIDENT_REP)
def template_blank_pdf(template_id):
    """A template's blank sheet; once a round uses the template (frozen), the stored,
    verifiable document (printed once: webapp/documents/)."""
    template = _template_or_404(template_id)
    if template_in_use(template):
        return documents.serve(documents.issue("template", template.id))
    return pdf_response(*printing.blank_template_pdf(template))


def _batch_job(rnd, kind, what):
    """GET: the page offering the batch (one POST button); POST: start it as a background
    job (assessments/jobs.py) and go to its progress page."""
    total = len(rnd.sheets)
    if request.method == "GET":
        return render_template("jobs/offer.html", heading=f"{rnd.title} {what}", form=BaseForm(),
                               message=f"共 {total} 份考核表，将在后台生成。", action=request.path)
    if not BaseForm().validate_on_submit():
        abort(400)
    job = jobs.start(kind, f"{rnd.title} {what}", {"round_id": rnd.id}, user=current_user, total=total)
    return redirect(url_for("jobs.detail", job_id=job.id), code=303)


@bp.route("/rounds/<int:round_id>/sheets.pdf", methods=["GET", "POST"])
@roles_required(STREET_ADMIN)
def round_pdf(round_id):
    """Every sheet of the round, filled as far as it is, in one PDF — as a background job."""
    return _batch_job(_round_or_404(round_id), "assessment_round_pdf", "全部考核表（一个 PDF）")


@bp.route("/rounds/<int:round_id>/sheets.zip", methods=["GET", "POST"])
@roles_required(STREET_ADMIN)
def round_zip(round_id):
    """One PDF per company in a zip — as a background job."""
    return _batch_job(_round_or_404(round_id), "assessment_round_zip", "考核表（按企业分文件 ZIP）")


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
    visible, show_result = sheet_print_args(sheet)
    if sheet.round.is_closed and show_result and visible == {s.id for s in sheet.scores}:
        # A closed month's sheet, seen whole: the stored, verifiable document.
        return documents.serve(documents.issue("sheet", sheet.id))
    return pdf_response(*printing.sheet_pdf(sheet, visible, show_result))


@bp.route("/ranking.pdf")
@roles_required(*STAFF_ROLES)
def ranking_pdf():
    """The quarter's ranking; once published (and not asked for as interim figures), the
    stored, verifiable document."""
    quarter = _quarter_arg()
    published = services.published_quarter(quarter)
    if published is not None and request.args.get("interim") != "1":
        return documents.serve(documents.issue("ranking", published.id))
    return pdf_response(*printing.ranking_pdf(quarter, _ranking_context(quarter, svg_size=(150, 44))))
