"""Who may see and change cross-appointments, and what their forms and filters offer.

A cross-appointment sits at a community and, optionally, one of its compounds.
- Read: street admin all of its street (district and city staff: the viewed street's); community staff their community's; a grid worker those of its
  grid's compounds, plus its community's community-wide ones (no compound), read only.
- Change (create, edit, end): `scope.can_change_place` — a grid worker only for its
  grid's compounds, so it must name one.
- Filter labels (`?person=`, `?unit=`, `?compound=`, `?company=`) name only records the
  user may pick; any other id answers 404.
"""
from flask_login import current_user
from sqlalchemy import or_, select

from ..auth.models import COMMUNITY_STAFF, GRID_WORKER, STREET_ADMIN
from ..companies.access import company_filter, linkable_companies, linkable_ids  # noqa: F401
from ..companies.models import PropertyCompany
from ..compounds.access import linkable_committees
from ..compounds.models import Compound
from ..extensions import db
from ..people.access import person_filter
from ..people.models import Person
from ..scope import can_change_place, compound_filter, current_street_id, place_filter
from ..structure.access import linkable_units, unit_access
from ..structure.models import OrgTier, OrgUnit
from .models import CrossAppointment

WRITERS = (STREET_ADMIN, COMMUNITY_STAFF, GRID_WORKER)


def appointment_filter(user=None):
    """SQL condition on CrossAppointment: what the user may read."""
    return place_filter(CrossAppointment.community_id, CrossAppointment.compound_id, user,
                        street_col=CrossAppointment.street_id)


def can_create(user=None):
    return (user or current_user).role in WRITERS


def can_edit(appointment, user=None):
    return can_change_place(appointment.community_id, appointment.compound_id, user)


def needs_compound(user=None):
    """A grid worker's appointments must name one of its grid's compounds."""
    return (user or current_user).role == GRID_WORKER


def eligible_condition(user=None):
    """SQL condition on Person: people the user may appoint — those they may read, plus
    staff of the companies they may link to (a company's party leader has no community)."""
    return or_(person_filter(user), Person.company_id.in_(linkable_ids(user)))


def eligible_people(user=None):
    return db.session.scalars(select(Person).where(eligible_condition(user)).order_by(Person.name, Person.id)).all()


def side_units(user=None):
    return linkable_units(user)


def side_committees(user=None):
    return linkable_committees(user)


FILTER_COLUMNS = {"company": CrossAppointment.company_id, "compound": CrossAppointment.compound_id,
                  "person": CrossAppointment.person_id, "unit": CrossAppointment.org_unit_id}


def filter_record(key, record_id, user=None):
    """The record a list filter names, if the user may see it — a record they may pick,
    or one named by an appointment they may read; None otherwise."""
    user = user or current_user
    model = {"company": PropertyCompany, "compound": Compound, "person": Person, "unit": OrgUnit}.get(key)
    if model is None:
        return None
    listed = db.session.scalar(select(CrossAppointment.id).where(
        FILTER_COLUMNS[key] == record_id, appointment_filter(user)).limit(1))
    if listed is not None:
        return db.session.get(model, record_id)
    if key == "company":
        stmt = select(PropertyCompany).where(PropertyCompany.id == record_id, company_filter(user))
    elif key == "compound":
        stmt = select(Compound).where(Compound.id == record_id, compound_filter(user))
    elif key == "person":
        stmt = select(Person).where(Person.id == record_id, eligible_condition(user))
    elif key == "unit":
        unit = db.session.get(OrgUnit, record_id)
        if unit is None:
            return None
        tree_units = db.session.scalars(
            select(OrgUnit).join(OrgTier).where(OrgTier.tree == unit.tier.tree,
                                                OrgUnit.street_id == current_street_id(user))).all()
        visible, _ = unit_access(tree_units, user)
        return unit if unit.id in visible else None
    else:
        return None
    return db.session.scalars(stmt).first()
