"""What each kind of final document is: how to find its subject, its lineage and version,
and how to render it (the domain's own printing code).

A function here takes the subject's id and returns a `Final`; it raises LookupError when
the subject is not final (nothing is stored for a draft)."""
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from ..extensions import db


@dataclass
class Final:
    title: str
    lineage: str
    version: int
    final_at: datetime
    filename: str
    render: Callable[[], bytes]


def minutes(meeting_id):
    """Approved minutes: each approved version (a correction is a new meeting row whose
    `previous_id` points at the version it corrects) is its own document."""
    from ..meetings import printing
    from ..meetings.models import Meeting

    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not meeting.is_approved:
        raise LookupError("not approved minutes")
    root = meeting
    while root.previous is not None:
        root = root.previous
    return Final(title=meeting.minutes_title, lineage=f"minutes:{root.id}", version=meeting.revision,
                 final_at=meeting.approved_at, filename=printing.minutes_filename(meeting),
                 render=lambda: printing.minutes_pdf(meeting)[0])


def sheet(sheet_id):
    """A filled score sheet of a closed month, as its full print (every scorer's column
    and the result). Reopening and closing the month again makes a new version (its
    `final_at`, the closing time, moves)."""
    from ..assessments import printing
    from ..assessments.models import AssessmentSheet

    sheet = db.session.get(AssessmentSheet, sheet_id)
    if sheet is None or not sheet.round.is_closed or sheet.round.closed_at is None:
        raise LookupError("the month is not closed")
    return Final(title=f"{sheet.round.title} {sheet.company.name} {sheet.compound.name} 考核表",
                 lineage=f"sheet:{sheet.id}", version=1, final_at=sheet.round.closed_at,
                 filename=printing._sheet_name(sheet, "考核表"),
                 render=lambda: printing.sheet_pdf(sheet, {s.id for s in sheet.scores}, True)[0])


def ranking(quarter_ranking_id):
    """A published quarterly ranking (its frozen snapshot's quarter, rendered once)."""
    from ..assessments import printing
    from ..assessments.models import QuarterRanking
    from ..assessments.views.ranking import _ranking_context

    qr = db.session.get(QuarterRanking, quarter_ranking_id)
    if qr is None or not qr.is_published:
        raise LookupError("the ranking is not published")
    return Final(title=f"{qr.title}物业服务企业考核排名", lineage=f"ranking:{qr.street_id}:{qr.quarter}", version=1,
                 final_at=qr.published_at, filename=f"{qr.title}物业考核排名.pdf",
                 render=lambda: printing.ranking_pdf(qr.quarter, _ranking_context(
                     qr.quarter, svg_size=(150, 44), interim=False))[0])


def template(template_id):
    """The blank sheet of a template version a round uses (frozen: edits make a new
    revision, which is its own document)."""
    from ..assessments import printing
    from ..assessments.models import AssessmentTemplate
    from ..assessments.services import template_in_use

    tpl = db.session.get(AssessmentTemplate, template_id)
    if tpl is None or not template_in_use(tpl):
        raise LookupError("the template is not frozen")
    return Final(title=f"{tpl.label} 空白考核表", lineage=f"template:{tpl.street_id}:{tpl.name}", version=tpl.revision,
                 final_at=tpl.created_at, filename=f"{tpl.name}-空白考核表.pdf",
                 render=lambda: printing.blank_template_pdf(tpl)[0])
