"""Who may see and change people, and how their phone numbers show.

- Street admin: everyone of its street (district and city staff: of the street they
  view, read only, phones masked with no unmask). Community staff: the people of their community, and people
  cross-appointed in it (a company's party leader); they change their community's people.
- Grid worker: the people tied to its grid's compounds — their buildings' stewards, the
  members of their committees and of the org units of the grid or its compounds, and
  people cross-appointed for those compounds. It changes those of them who belong to its
  community, adds positions in
  its grid's organisations only, and creates or imports no one (people are community
  records).
- Company user: its own company's staff, read only.

Phones (a resident's number is personal data): the staff responsible for a person see it
in full — community staff for their community's people, a grid worker for its grid's
people, a company user for its own staff, the street admin for people outside any
community. Every other reader sees it masked (138****8000) and may unmask it with one
audited click (`can_unmask`).
"""
from flask import url_for
from flask_login import current_user
from sqlalchemy import and_, false, or_, select, union

from ..appointments.models import CrossAppointment
from ..auth.models import COMMUNITY_STAFF, COMPANY_USER, GRID_WORKER, STREET_ADMIN
from ..compounds.models import Building, OwnersCommittee
from ..extensions import db
from ..phones import FULL, HIDDEN, MASKED, PhoneView
from ..scope import (ABOVE_STREET, STAFF_ROLES, STREET_READERS, community_filter, current_street_id, grid_compound_ids,
                     street_filter, user_community_id)
from ..structure.models import OrgUnit
from .models import Person, Position


def grid_people_ids(user=None):
    """SELECT of the ids of the people tied to a grid worker's grid."""
    user = user or current_user
    compounds = grid_compound_ids(user)
    return union(
        select(Building.steward_id).where(Building.compound_id.in_(compounds), Building.steward_id.is_not(None)),
        select(Position.person_id).join(OwnersCommittee, Position.committee_id == OwnersCommittee.id)
        .where(OwnersCommittee.compound_id.in_(compounds)),
        select(Position.person_id).join(OrgUnit, Position.org_unit_id == OrgUnit.id)
        .where(or_(OrgUnit.grid_id == user.grid_id, OrgUnit.compound_id.in_(compounds))),
        select(CrossAppointment.person_id).where(CrossAppointment.compound_id.in_(compounds)),
    )


def person_filter(user=None):
    """SQL condition on Person: the people the user may read."""
    user = user or current_user
    if user.role in STREET_READERS:
        return street_filter(Person.street_id, user)
    if user.role == COMPANY_USER:
        return Person.company_id == user.company_id
    if user.role == COMMUNITY_STAFF:
        appointees = select(CrossAppointment.person_id).where(CrossAppointment.community_id == user.community_id)
        return or_(community_filter(Person.community_id, user), Person.id.in_(appointees))
    if user.role == GRID_WORKER:
        return Person.id.in_(grid_people_ids(user))
    return false()


def can_read(person, user=None):
    """`person_filter` for one person (in Python where the rule needs no query)."""
    user = user or current_user
    if user.role in STREET_READERS:
        return person.street_id is not None and person.street_id == current_street_id(user)
    if user.role == COMPANY_USER:
        return person.company_id is not None and person.company_id == user.company_id
    if user.role not in (COMMUNITY_STAFF, GRID_WORKER):
        return False
    if user.role == COMMUNITY_STAFF and person.community_id is not None:
        return person.community_id == user.community_id
    return db.session.scalar(select(Person.id).where(Person.id == person.id, person_filter(user))) is not None


def can_create(user=None):
    """Adding or importing people: the street admin and community staff."""
    user = user or current_user
    return user.role in (STREET_ADMIN, COMMUNITY_STAFF)


def can_edit(person, user=None):
    """Changing a person and their positions."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return person.street_id is not None and person.street_id == current_street_id(user)
    if user.role == COMMUNITY_STAFF:
        return person.community_id is not None and person.community_id == user.community_id
    if user.role == GRID_WORKER:
        return person.community_id == user_community_id(user) and can_read(person, user)
    return False


def can_end_position(position, user=None):
    """Ending a position: who may change the person, and for a grid worker only a
    position in one of its grid's organisations."""
    user = user or current_user
    if not can_edit(position.person, user):
        return False
    if user.role != GRID_WORKER:
        return True
    from ..compounds.access import linkable_committees
    from ..structure.access import linkable_units

    if position.org_unit_id is not None:
        return position.org_unit_id in {u.id for u in linkable_units(user)}
    if position.committee_id is not None:
        return position.committee_id in {c.id for c in linkable_committees(user)}
    return False


def responsible_filter(user=None):
    """SQL condition on Person: the people whose phone the user sees in full (so a phone
    search cannot confirm a number the user sees masked)."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return and_(Person.community_id.is_(None), Person.street_id == current_street_id(user))
    if user.role == COMMUNITY_STAFF:
        return Person.community_id == user.community_id
    if user.role == GRID_WORKER:
        return person_filter(user)
    if user.role == COMPANY_USER:
        return Person.company_id == user.company_id
    return false()


def is_responsible(person, user=None):
    """Whether the user is the staff responsible for the person (sees the phone in full)."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return person.community_id is None and person.street_id == current_street_id(user)
    if user.role == COMMUNITY_STAFF:
        return person.community_id is not None and person.community_id == user.community_id
    if user.role == GRID_WORKER:
        return can_read(person, user)
    if user.role == COMPANY_USER:
        return person.company_id is not None and person.company_id == user.company_id
    return False


def can_unmask(person, user=None):
    """Staff who may read the person may reveal a masked phone (each time audited)."""
    user = user or current_user
    return user.role in STAFF_ROLES and can_read(person, user)


def phone_view(person, user=None, consented=False):
    """The person's phone as the user may see it. `consented`: the person agreed to
    show it (a red steward's public phone), so every reader sees it in full."""
    user = user or current_user
    if person is None:
        return PhoneView(HIDDEN, "")
    if consented or is_responsible(person, user):
        return PhoneView(FULL, person.phone or "")
    if can_unmask(person, user):
        return PhoneView(MASKED, person.phone or "", url_for("people.phone", person_id=person.id))
    if user.role in ABOVE_STREET and can_read(person, user):
        return PhoneView(MASKED, person.phone or "")  # read-only: masked, never revealed
    return PhoneView(HIDDEN, person.phone or "")


def export_phone(person, user=None, consented=False):
    """The text an export writes for the person's phone: full, masked or empty."""
    return phone_view(person, user, consented).text


def pick_stmt(user=None, condition=None):
    """The people a picker may offer (webapp/picker.py): id, name and where they belong,
    scoped by `person_filter` (or the caller's `condition`, e.g. who may be appointed)."""
    from ..companies.models import PropertyCompany
    from ..compounds.models import Community

    return (select(Person.id, Person.name, PropertyCompany.name.label("company_name"),
                   Community.name.label("community_name"))
            .outerjoin(PropertyCompany, PropertyCompany.id == Person.company_id)
            .outerjoin(Community, Community.id == Person.community_id)
            .where(condition if condition is not None else person_filter(user)))


def pick_label(row):
    """A person as a picker shows them: the name, then their company or community."""
    where = row.company_name or row.community_name
    return f"{row.name}（{where}）" if where else row.name
