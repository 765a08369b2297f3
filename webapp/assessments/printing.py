"""The assessments' printed documents, assembled apart from the views that serve them.

Each function returns what a response needs: the PDF (or zip) bytes and a file name. Who
may see which scorers and results is decided by the caller and passed in, so a job or a
stored document can print the same sheet without a request."""
from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..compounds.models import Compound
from ..extensions import db
from ..pdf import html_to_pdf
from . import services
from .models import AssessmentSheet, SheetScore, quarter_label

SHEETS = "assessments/pdf/sheets.html"


def blank_entry(template, sheet=None):
    """A sheet with nothing filled in: the template's items, the places to write."""
    return {"template": template, "sheet": sheet, "score": None, "lines": {}, "result": None}


def sheet_entries(sheets, rnd, visible=None):
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


def round_sheets(rnd):
    """The round's sheets with their scorers and lines, in print order (company, compound)."""
    return db.session.scalars(
        select(AssessmentSheet).join(AssessmentSheet.company).join(AssessmentSheet.compound)
        .where(AssessmentSheet.round_id == rnd.id)
        .options(selectinload(AssessmentSheet.scores).selectinload(SheetScore.lines),
                 selectinload(AssessmentSheet.scores).selectinload(SheetScore.scorer))
        .order_by(AssessmentSheet.company_id, Compound.name)).all()


def round_html(rnd, sheets):
    return render_template(SHEETS, entries=sheet_entries(sheets, rnd), title=rnd.title, round=rnd, batch=True)


def _sheet_name(sheet, what):
    return f"{sheet.round.month:%Y-%m}-{sheet.company.name}-{sheet.compound.name}-{what}.pdf"


def blank_template_pdf(template):
    """A template's blank sheet, with no company or compound."""
    html = render_template(SHEETS, entries=[blank_entry(template)], title=template.label)
    return html_to_pdf(html), f"{template.name}-空白考核表.pdf"


def blank_sheet_pdf(sheet):
    """A blank sheet pre-filled with the company and compound, to carry on the visit."""
    html = render_template(SHEETS, entries=[blank_entry(sheet.round.template, sheet)],
                           title=sheet.round.title, round=sheet.round)
    return html_to_pdf(html), _sheet_name(sheet, "空白表")


def sheet_html(sheet, visible, show_result):
    """A filled sheet's HTML: the scorers whose ids are in `visible`, the result if shown."""
    rnd = sheet.round
    entry = sheet_entries([sheet], rnd, visible=visible)[0]
    if not show_result:
        entry["result"] = None
    return render_template(SHEETS, entries=[entry], title=rnd.title, round=rnd)


def sheet_pdf(sheet, visible, show_result):
    """The filled sheet: scores, findings and signature lines."""
    return html_to_pdf(sheet_html(sheet, visible, show_result)), _sheet_name(sheet, "考核表")


def ranking_pdf(quarter, context):
    """The quarter's ranking, from the same context the ranking page shows."""
    html = render_template("assessments/pdf/ranking.html", **context)
    return html_to_pdf(html), f"{quarter_label(quarter)}物业考核排名.pdf"
