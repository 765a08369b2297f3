"""The assessments' PDFs: blank and filled sheets (*.pdf under /templates/, /sheets/, /rounds/),
a round's sheets in one PDF or a zip, and the quarterly ranking (/assessments/ranking.pdf)."""
import io
import zipfile

from flask import render_template, send_file
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...auth.models import RESIDENT_REP, STREET_ADMIN
from ...compounds.models import Compound
from ...extensions import db
from ...pdf import html_to_pdf, pdf_response
from ...scope import ALL_ROLES, STAFF_ROLES, roles_required
from .. import batch, services
from ..models import AssessmentSheet, SheetScore, quarter_label
from . import bp
from .common import may_see_result, scoped_sheet, visible_scores
from .ranking import _quarter_arg, _ranking_context
from .rounds import _round_or_404
from .templates import _template_or_404


@bp.route("/templates/<int:template_id>/blank.pdf")
@roles_required(*STAFF_ROLES, RESIDENT_REP)
def template_blank_pdf(template_id):
    template = _template_or_404(template_id)
    html = render_template("assessments/pdf/sheets.html", entries=[_blank_entry(template)], title=template.label)
    return pdf_response(html_to_pdf(html), f"{template.name}-空白考核表.pdf")


def _blank_entry(template, sheet=None):
    return {"template": template, "sheet": sheet, "score": None, "lines": {}, "result": None}


def _sheet_entries(sheets, rnd, visible=None):
    """What the PDF template needs for each sheet: template, sheet, scorers' lines, result.

    `visible` limits the scorers shown (ids); None shows every submitted scorer."""
    entries = []
    for sheet in sheets:
        lines = {}
        submitted = [s for s in sheet.scores if s.is_submitted and (visible is None or s.id in visible)]
        for s in submitted:
            for line in s.lines:
                lines[(s.id, line.item_id)] = line
        entries.append({"template": rnd.template, "sheet": sheet, "score": submitted, "lines": lines,
                        "result": services.sheet_result(sheet, rnd)})
    return entries


def _round_sheets(rnd):
    return db.session.scalars(
        select(AssessmentSheet).join(AssessmentSheet.company).join(AssessmentSheet.compound)
        .where(AssessmentSheet.round_id == rnd.id)
        .options(selectinload(AssessmentSheet.scores).selectinload(SheetScore.lines),
                 selectinload(AssessmentSheet.scores).selectinload(SheetScore.scorer))
        .order_by(AssessmentSheet.company_id, Compound.name)).all()


def _round_html(rnd, sheets):
    return render_template("assessments/pdf/sheets.html", entries=_sheet_entries(sheets, rnd), title=rnd.title,
                           round=rnd, batch=True)


def render_round_pdf(rnd, sheets=None):
    """Every sheet of the round in one PDF: chunks of sheets rendered apart, then joined."""
    sheets = sheets if sheets is not None else _round_sheets(rnd)
    return batch.join_pdfs(batch.render_many([_round_html(rnd, chunk) for chunk in batch.chunks(sheets)]))


@bp.route("/rounds/<int:round_id>/sheets.pdf")
@roles_required(STREET_ADMIN)
def round_pdf(round_id):
    """Every sheet of the round, filled as far as it is, in one PDF (one HTML, page breaks)."""
    rnd = _round_or_404(round_id)
    return pdf_response(render_round_pdf(rnd), f"{rnd.title}-全部考核表.pdf")


@bp.route("/rounds/<int:round_id>/sheets.zip")
@roles_required(STREET_ADMIN)
def round_zip(round_id):
    """One PDF per company in a zip."""
    rnd = _round_or_404(round_id)
    by_company = {}
    for sheet in _round_sheets(rnd):
        by_company.setdefault(sheet.company.name, []).append(sheet)
    # One HTML per company (chunked if a company has many sheets), rendered side by side.
    jobs = [(name, chunk) for name, sheets in by_company.items() for chunk in batch.chunks(sheets)]
    rendered = batch.render_many([_round_html(rnd, chunk) for _, chunk in jobs])
    parts = {}
    for (name, _), data in zip(jobs, rendered):
        parts.setdefault(name, []).append(data)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, pdfs in parts.items():
            zf.writestr(f"{rnd.month:%Y-%m}-{name}.pdf", batch.join_pdfs(pdfs))
    buf.seek(0)
    return send_file(buf, mimetype="application/zip", as_attachment=True,
                     download_name=f"{rnd.month:%Y-%m}-考核表.zip")


@bp.route("/sheets/<int:sheet_id>/blank.pdf")
@roles_required(*STAFF_ROLES, RESIDENT_REP)
def sheet_blank_pdf(sheet_id):
    """A blank sheet pre-filled with the company and compound, to carry on the visit."""
    sheet = scoped_sheet(sheet_id)
    html = render_template("assessments/pdf/sheets.html", entries=[_blank_entry(sheet.round.template, sheet)],
                           title=sheet.round.title, round=sheet.round)
    return pdf_response(html_to_pdf(html), f"{sheet.round.month:%Y-%m}-{sheet.company.name}-{sheet.compound.name}-空白表.pdf")


def render_sheet_pdf(sheet):
    rnd = sheet.round
    entry = _sheet_entries([sheet], rnd, visible={s.id for s in visible_scores(sheet)})[0]
    if not may_see_result(sheet):
        entry["result"] = None
    html = render_template("assessments/pdf/sheets.html", entries=[entry], title=rnd.title, round=rnd)
    return html, html_to_pdf(html)


@bp.route("/sheets/<int:sheet_id>/sheet.pdf")
@roles_required(*ALL_ROLES)
def sheet_pdf(sheet_id):
    """The filled sheet: scores, findings and signature lines."""
    sheet = scoped_sheet(sheet_id)
    _, data = render_sheet_pdf(sheet)
    return pdf_response(data, f"{sheet.round.month:%Y-%m}-{sheet.company.name}-{sheet.compound.name}-考核表.pdf")


@bp.route("/ranking.pdf")
@roles_required(*STAFF_ROLES)
def ranking_pdf():
    quarter = _quarter_arg()
    ctx = _ranking_context(quarter, svg_size=(150, 44))
    html = render_template("assessments/pdf/ranking.html", **ctx)
    return pdf_response(html_to_pdf(html), f"{quarter_label(quarter)}物业考核排名.pdf")
