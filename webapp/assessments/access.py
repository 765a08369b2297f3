"""Who sees, scores and prints which assessment sheets.

Rounds, templates and rankings are per street (`round_filter`, `template_filter`).
- street admin: everything of its street, including interim results of open rounds;
  district and city staff read the same of the street they view, and score nothing;
- community staff / grid workers: sheets of compounds in their place (`scope.compound_filter`:
  a grid worker its grid's compounds); they score them as cadres; results and rankings
  only once a round is closed;
- company users: their own company's sheets, only in closed rounds; never the ranking;
- resident representatives: only the sheets they are asked to fill.
"""
from flask_login import current_user
from sqlalchemy import and_, exists, select

from ..auth.models import COMPANY_USER, RESIDENT_REP
from ..compounds.models import Compound
from ..scope import STAFF_ROLES, STREET_READERS, compound_filter, current_street_id, street_filter
from .models import AssessmentRound, AssessmentSheet, AssessmentTemplate, QuarterRanking, SheetScore


def round_filter(user=None):
    """SQL condition on AssessmentRound: the rounds of the streets the user reads (a
    company user: of the streets its company serves compounds in)."""
    return street_filter(AssessmentRound.street_id, user)


def template_filter(user=None):
    """SQL condition on AssessmentTemplate: the current street's own templates."""
    return AssessmentTemplate.street_id == current_street_id(user)


def quarter_filter(user=None):
    """SQL condition on QuarterRanking: the current street's quarters."""
    return QuarterRanking.street_id == current_street_id(user)


def reads_interim(user=None):
    """Interim results of open rounds: the street admin and the staff above it."""
    return (user or current_user).role in STREET_READERS


def sheet_filter(user=None):
    """SQL condition on AssessmentSheet for the sheets the user may open."""
    user = user or current_user
    if user.role in STREET_READERS:
        return AssessmentSheet.round_id.in_(select(AssessmentRound.id).where(round_filter(user)))
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
    if user.role in STREET_READERS or sheet.round.is_closed:
        return list(sheet.scores)
    return [s for s in sheet.scores if s.scorer_id == user.id]


def may_see_result(sheet, user=None):
    user = user or current_user
    if user.role == RESIDENT_REP:
        return False
    return user.role in STREET_READERS or sheet.round.is_closed


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
