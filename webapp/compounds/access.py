"""Who may see and change compounds, their buildings and owners' committees, and how a
building's steward phone shows.

- Read: `compound_filter` (street admin all; community staff their community; grid
  worker its grid; company user the compounds its company serves). Buildings and
  committees follow their compound.
- Compounds and committees are changed by the street admin and community staff (their
  community); buildings also by a grid worker (its grid's compounds).
- A steward's phone: in full to the staff responsible for the steward (see
  `people/access.py`) and, when the steward agreed to publish it, to every reader;
  masked with an audited unmask for other staff; not shown to anyone else.
"""
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import COMMUNITY_STAFF, STREET_ADMIN
from ..extensions import db
from ..people import access as people_access
from ..people.models import Person
from ..scope import can_change_place, can_write_community, compound_filter, visible_communities
from .models import Compound, OwnersCommittee

COMPOUND_WRITERS = (STREET_ADMIN, COMMUNITY_STAFF)


def can_read(compound, user=None):
    user = user or current_user
    return db.session.scalar(select(Compound.id).where(Compound.id == compound.id, compound_filter(user))) is not None


def can_create(user=None):
    user = user or current_user
    return user.role in COMPOUND_WRITERS


def writable_communities(user=None):
    """Communities in which the user may create or import compounds."""
    user = user or current_user
    return [c for c in visible_communities(user) if can_create(user) and can_write_community(c.id, user)]


def can_edit(compound, user=None):
    """Changing the compound itself and its committees."""
    user = user or current_user
    return user.role in COMPOUND_WRITERS and can_write_community(compound.community_id, user)


def can_edit_committees(compound, user=None):
    return can_edit(compound, user)


def can_edit_buildings(compound, user=None):
    """Adding and changing buildings: compound writers, and a grid worker in its grid."""
    user = user or current_user
    return can_change_place(compound.community_id, compound.id, user)


def committee_filter(user=None):
    """SQL condition on OwnersCommittee (joined with Compound) for reading."""
    return compound_filter(user)


def linkable_committees(user=None):
    """Committees the user may put a position or a cross-appointment in: those of the
    compounds whose buildings they may change."""
    user = user or current_user
    committees = db.session.scalars(
        select(OwnersCommittee).join(Compound).where(compound_filter(user)).order_by(OwnersCommittee.name)).all()
    return [c for c in committees if can_change_place(c.compound.community_id, c.compound_id, user)]


def steward_choices(compound, user=None):
    """People the user may name as a building's steward: the compound's community's
    people that the user may read."""
    user = user or current_user
    return db.session.scalars(
        select(Person).where(Person.community_id == compound.community_id, people_access.person_filter(user))
        .order_by(Person.name, Person.id)).all()


def steward_phone(building, user=None):
    """The building's steward phone as the user may see it (a `PhoneView`)."""
    return people_access.phone_view(building.steward, user, consented=building.steward_phone_public)


def pick_stmt(user=None, purpose=None):
    """The compounds a picker may offer the user (webapp/picker.py): id, name and the
    community's name, scoped by `compound_filter`. `purpose="partner"`: the compounds a
    compound of the user's may be merged into or managed with (its writable communities)."""
    from .models import Community

    stmt = (select(Compound.id, Compound.name, Community.name.label("community_name"))
            .join(Community, Community.id == Compound.community_id).where(compound_filter(user)))
    if purpose == "partner":
        stmt = stmt.where(Compound.community_id.in_([c.id for c in writable_communities(user)]))
    return stmt


def pick_label(row):
    """A compound as a picker shows it: "社区 · 小区" (names repeat across communities)."""
    return f"{row.community_name} · {row.name}"
