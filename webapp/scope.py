"""The shared tree rules: what the signed-in user's place in the tree covers.

street → community → grid → compound; a company → the compounds it serves. Each domain's
`access.py` builds its visibility and permission rules from these functions and no domain
re-derives them. A record outside the user's scope answers 404, for reads and writes
alike (`get_scoped_or_404`).

Places of a record: most records sit at a community and, optionally, one of its compounds
(`place_filter`, `can_change_place`). A grid worker covers its grid's compounds; at most it
reads its community's community-wide records (no compound), and never changes them.
"""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import and_, false, or_, select, true

from .auth.models import COMMUNITY_STAFF, COMPANY_USER, GRID_WORKER, RESIDENT_REP, STREET_ADMIN
from .compounds.models import Community, Compound, Grid
from .extensions import db

STAFF_ROLES = (STREET_ADMIN, COMMUNITY_STAFF, GRID_WORKER)
ALL_ROLES = (STREET_ADMIN, COMMUNITY_STAFF, GRID_WORKER, COMPANY_USER, RESIDENT_REP)


def roles_required(*roles):
    """Sign-in required, and the user's role must be one of `roles`; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def user_community_id(user=None):
    """The single community a community-bound user belongs to, or None for the street."""
    user = user or current_user
    if user.role == COMMUNITY_STAFF:
        return user.community_id
    if user.role == GRID_WORKER:
        return user.grid.community_id if user.grid else None
    return None


def compound_filter(user=None):
    """SQL condition on Compound selecting the compounds the user may see."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return true()
    if user.role == COMMUNITY_STAFF:
        return Compound.community_id == user.community_id
    if user.role == GRID_WORKER:
        return Compound.grid_id == user.grid_id
    if user.role == COMPANY_USER:
        return Compound.company_id == user.company_id
    return false()


def grid_compound_ids(user=None):
    """SELECT of the ids of the compounds in a grid worker's grid (empty for others)."""
    user = user or current_user
    grid_id = user.grid_id if user.role == GRID_WORKER else None
    return select(Compound.id).where(Compound.grid_id == grid_id, Compound.grid_id.is_not(None))


def served_compound_ids(user=None):
    """SELECT of the ids of the compounds a company user's company serves."""
    user = user or current_user
    company_id = user.company_id if user.role == COMPANY_USER else None
    return select(Compound.id).where(Compound.company_id == company_id, Compound.company_id.is_not(None))


def place_filter(community_col, compound_col, user=None, community_wide=True, street_wide=False):
    """SQL condition on a record placed at a community and optionally a compound.

    Street admin: all. Community staff: their community. Grid worker: records of its
    grid's compounds, plus (`community_wide`) its community's records that name no
    compound. `street_wide` adds records that name no community at all. Company users
    and everyone else: nothing (a domain that shows them something says so itself).
    """
    user = user or current_user
    if user.role == STREET_ADMIN:
        return true()
    cond = false()
    if user.role == COMMUNITY_STAFF:
        cond = community_col == user.community_id
    elif user.role == GRID_WORKER:
        cond = compound_col.in_(grid_compound_ids(user))
        if community_wide:
            cond = or_(cond, and_(compound_col.is_(None), community_col == user_community_id(user)))
    if street_wide and user.role in (COMMUNITY_STAFF, GRID_WORKER):
        cond = or_(cond, community_col.is_(None))
    return cond


def compound_in_grid(compound_id, user=None):
    """Whether the compound lies in the grid worker's own grid."""
    user = user or current_user
    if compound_id is None or user.role != GRID_WORKER or user.grid_id is None:
        return False
    return db.session.scalar(select(Compound.grid_id).where(Compound.id == compound_id)) == user.grid_id


def can_change_place(community_id, compound_id, user=None):
    """Whether the user may change a record placed at (community, compound).

    Street admin: anything. Community staff: their community's records. Grid worker:
    only records of its grid's compounds (never community-wide ones)."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return True
    if user.role == COMMUNITY_STAFF:
        return community_id is not None and community_id == user.community_id
    if user.role == GRID_WORKER:
        return compound_in_grid(compound_id, user)
    return False


def community_filter(column, user=None):
    """SQL condition on any `community_id` column for the user's communities."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return true()
    if user.role in (COMMUNITY_STAFF, GRID_WORKER):
        return column == user_community_id(user)
    if user.role == COMPANY_USER:
        served = select(Compound.community_id).where(Compound.company_id == user.company_id)
        return column.in_(served)
    return false()


def visible_communities(user=None):
    """Communities the user may see, by name."""
    return db.session.scalars(
        select(Community).where(community_filter(Community.id, user)).order_by(Community.name)
    ).all()


def visible_compounds(user=None):
    return db.session.scalars(
        select(Compound).where(compound_filter(user)).order_by(Compound.name)
    ).all()


def visible_grids(user=None):
    user = user or current_user
    cond = community_filter(Grid.community_id, user)
    if user.role == GRID_WORKER:
        cond = Grid.id == user.grid_id
    return db.session.scalars(select(Grid).where(cond).order_by(Grid.name)).all()


def can_write_community(community_id, user=None):
    """Community-wide writes: community staff inside their community; the street admin
    anywhere. A grid worker never changes a community-wide record (see
    `can_change_place` for what it may change)."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return True
    return user.role == COMMUNITY_STAFF and community_id is not None and community_id == user.community_id


def current_street_id(user=None):
    """The street the signed-in user works in (street-owned records are confined to it).

    Interim for the many-streets issue: one street per deployment, so the first street.
    New street-owned tables carry `street_id` and set it from the record's community
    (`community.street_id`) or from this function; reads filter with `street_filter`."""
    from .compounds.models import Street

    return db.session.scalar(select(Street.id).order_by(Street.id).limit(1))


def street_filter(street_col, user=None):
    """SQL condition on a `street_id` column: the streets the user may read."""
    return street_col == current_street_id(user)


def get_scoped_or_404(stmt):
    """Run a select already filtered by scope; 404 when nothing matches."""
    obj = db.session.scalars(stmt).first()
    if obj is None:
        abort(404)
    return obj
