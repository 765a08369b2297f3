"""Who sees, scores and prints which assessment sheets.

- street admin: everything, including interim results of open rounds;
- community staff / grid workers: sheets of compounds in their place (`scope.compound_filter`:
  a grid worker its grid's compounds); they score them as cadres; results and rankings
  only once a round is closed;
- company users: their own company's sheets, only in closed rounds; never the ranking;
- resident representatives: only the sheets they are asked to fill.
"""
from flask_login import current_user
from sqlalchemy import and_, exists, select

from ..auth.models import COMPANY_USER, RESIDENT_REP, STREET_ADMIN
from ..compounds.models import Compound
from ..scope import STAFF_ROLES, compound_filter
from .models import AssessmentRound, AssessmentSheet, SheetScore


def sheet_filter(user=None):
    """SQL condition on AssessmentSheet for the sheets the user may open."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return AssessmentSheet.id.is_not(None)
    if user.role in STAFF_ROLES:
        return AssessmentSheet.compound_id.in_(select(Compound.id).where(compound_filter(user)))
    if user.role == COMPANY_USER:
        closed = select(AssessmentRound.id).where(AssessmentRound.status == "closed")
        return and_(AssessmentSheet.company_id == user.company_id, AssessmentSheet.round_id.in_(closed))
    if user.role == RESIDENT_REP:
        return exists().where(SheetScore.sheet_id == AssessmentSheet.id, SheetScore.scorer_id == user.id)
    return AssessmentSheet.id.is_(None)


def visible_scores(sheet, user=None):
    """The scorer fillings the user may read on a sheet they can open."""
    user = user or current_user
    if user.role == RESIDENT_REP:
        return [s for s in sheet.scores if s.scorer_id == user.id]
    if user.role == STREET_ADMIN or sheet.round.is_closed:
        return list(sheet.scores)
    return [s for s in sheet.scores if s.scorer_id == user.id]


def may_see_result(sheet, user=None):
    user = user or current_user
    if user.role == RESIDENT_REP:
        return False
    return user.role == STREET_ADMIN or sheet.round.is_closed


def scorer_kind_for(sheet, user=None):
    """'cadre' / 'rep' when the user may score this sheet now, else None."""
    user = user or current_user
    if sheet.round.is_closed:
        return None
    if user.role in STAFF_ROLES:
        return "cadre"
    if user.role == RESIDENT_REP and any(s.scorer_id == user.id for s in sheet.scores):
        return "rep"
    return None
