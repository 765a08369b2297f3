"""What the assessments views share: loading a sheet in scope. The rules themselves
(who sees, scores and prints which sheets) live in `assessments/access.py`."""
from flask import request
from sqlalchemy import select

from ...scope import get_scoped_or_404
from ..access import may_see_result, scorer_kind_for, sheet_filter, visible_scores  # noqa: F401
from ..models import AssessmentSheet


def _htmx():
    return request.headers.get("HX-Request") == "true"


def scoped_sheet(sheet_id):
    return get_scoped_or_404(select(AssessmentSheet).where(AssessmentSheet.id == sheet_id, sheet_filter()))
