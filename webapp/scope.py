"""Scoping: what the signed-in user may see, by their place in the tree.

Every list, detail, form and export goes through these functions. A record outside
the user's scope answers 404, for reads and writes alike (`get_scoped_or_404`).
"""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import false, select, true

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
    """Staff write inside their community; the street admin anywhere."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return True
    return user.role in (COMMUNITY_STAFF, GRID_WORKER) and community_id == user_community_id(user)


def get_scoped_or_404(stmt):
    """Run a select already filtered by scope; 404 when nothing matches."""
    obj = db.session.scalars(stmt).first()
    if obj is None:
        abort(404)
    return obj
