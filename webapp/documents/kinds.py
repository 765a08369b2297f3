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
