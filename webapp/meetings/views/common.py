"""What the meetings views share: who may read, loading a meeting in scope, the
companies for the owner selects."""
from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...auth.models import COMPANY_USER
from ...extensions import db
from ...scope import STAFF_ROLES, get_scoped_or_404
from .. import access, services
from ..models import Meeting


READERS = STAFF_ROLES + (COMPANY_USER,)
PAGE_SIZE = 20
LOCKED_MESSAGE = "纪要已提交审核或已审定，不能修改。如需更正已审定的纪要，请使用“更正”生成新版本。"


def _load(meeting_id):
    return get_scoped_or_404(
        select(Meeting).where(Meeting.id == meeting_id, access.meeting_filter())
        .options(joinedload(Meeting.kind), joinedload(Meeting.community), joinedload(Meeting.compound))
    )


def _load_for_write(meeting_id):
    meeting = _load(meeting_id)
    services.require_write(meeting)
    return meeting


def _child(model, meeting, child_id):
    obj = db.session.get(model, child_id)
    if obj is None or obj.meeting_id != meeting.id:
        abort(404)
    return obj


def _companies():
    return access.linkable_companies()


def _company_choices():
    return [("", "（无）")] + [(str(c.id), c.name) for c in _companies()]

