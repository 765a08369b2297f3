"""Who may use the district's pages, and which districts and streets they read.

- district staff (区住建局 / 行业党委): their own district (`User.region_id`), every street
  in it; they run the district's selection;
- city staff: every district of their city (`User.region_id` is the city), read only;
- street administrators: only the templates their district published, to adopt;
- everyone else: 403 on every district page.
A district or street outside the user's reach answers 404.
"""
from flask import abort
from flask_login import current_user
from sqlalchemy import false, select

from ..auth.models import CITY_STAFF, DISTRICT_STAFF, STREET_ADMIN
from ..compounds.models import Region, Street
from ..extensions import db

READERS = (DISTRICT_STAFF, CITY_STAFF)
WRITERS = (DISTRICT_STAFF,)
ADOPTERS = (STREET_ADMIN,)  # a street adopts its district's assessment templates


def district_filter(user=None):
    """SQL condition on Region: the districts the user reads."""
    user = user or current_user
    if user.role == DISTRICT_STAFF and user.region_id is not None:
        return Region.id == user.region_id
    if user.role == CITY_STAFF and user.region_id is not None:
        return Region.parent_id == user.region_id
    return false()


def visible_districts(user=None):
    """The user's districts, by name (one for district staff, the city's for city staff)."""
    return db.session.scalars(select(Region).where(district_filter(user)).order_by(Region.name, Region.id)).all()


def district_or_404(region_id, user=None):
    """The district if the user reads it, else 404."""
    region = db.session.scalar(select(Region).where(Region.id == region_id, district_filter(user)))
    if region is None:
        abort(404)
    return region


def street_filter(user=None):
    """SQL condition on Street: the streets of the user's districts."""
    return Street.region_id.in_(select(Region.id).where(district_filter(user)))


def streets_of(region_ids):
    """The streets of the given districts, by district then name."""
    if not region_ids:
        return []
    return db.session.scalars(
        select(Street).where(Street.region_id.in_(region_ids)).order_by(Street.region_id, Street.name)
    ).all()


def selection_filter(user=None):
    """SQL condition on GoldSelection: the selections of the user's districts."""
    from .models import GoldSelection

    return GoldSelection.region_id.in_(select(Region.id).where(district_filter(user)))


def district_templates(region_id):
    """SELECT of the assessment templates a district published (newest first)."""
    from ..assessments.models import AssessmentTemplate

    return (select(AssessmentTemplate).where(AssessmentTemplate.region_id == region_id,
                                             AssessmentTemplate.street_id.is_(None))
            .order_by(AssessmentTemplate.name, AssessmentTemplate.revision.desc()))


def street_templates(region_id):
    """SELECT of the templates of the district's streets a district may publish from."""
    from ..assessments.models import AssessmentTemplate

    return (select(AssessmentTemplate).join(Street, Street.id == AssessmentTemplate.street_id)
            .where(Street.region_id == region_id, AssessmentTemplate.retired.is_(False))
            .order_by(Street.name, AssessmentTemplate.name, AssessmentTemplate.revision))


def can_adopt(user=None):
    """A street administrator adopts its district's templates into its own street."""
    user = user or current_user
    return user.role == STREET_ADMIN and user.street_id is not None


def can_run_selection(region, user=None):
    """District staff run their own district's selection; city staff only read it."""
    user = user or current_user
    return user.role in WRITERS and user.region_id == region.id
