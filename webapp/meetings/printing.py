"""The meetings' printed documents, assembled apart from the views that serve them."""

from ..clock import local_today
from ..pdf import render_pdf

# The parts of the minutes a clerk may choose to print, in print order.
SECTIONS = {
    "attendees": "出席与缺席",
    "agenda": "议题与讨论",
    "resolutions": "会议决议",
    "tasks": "跟进任务",
    "signatures": "签字栏",
    "signin": "签到表（单独一页）",
}


def minutes_pdf(meeting, sections=None):
    """The A4 minutes with the chosen `sections` (all when none): PDF bytes and a file name."""
    chosen = [s for s in (sections or ()) if s in SECTIONS] or list(SECTIONS)
    data = render_pdf("meetings/pdf.html", meeting=meeting, sections=set(chosen), today=local_today())
    return data, minutes_filename(meeting)


def minutes_filename(meeting):
    name = f"{meeting.starts_at:%Y%m%d}-{meeting.minutes_title[:44]}{'（草稿）' if not meeting.is_approved else ''}.pdf"
    return name.replace("/", "-")
