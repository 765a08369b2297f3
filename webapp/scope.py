"""The shared tree rules: what the signed-in user's place in the tree covers.

city → district → street → community → grid → compound; a company → the compounds it
serves (in whichever streets they lie). Each domain's
`access.py` builds its visibility and permission rules from these functions and no domain
re-derives them. A record outside the user's scope answers 404, for reads and writes
alike (`get_scoped_or_404`).

Places of a record: most records sit at a community and, optionally, one of its compounds
(`place_filter`, `can_change_place`). A grid worker covers its grid's compounds; at most it
reads its community's community-wide records (no compound), and never changes them.

Streets (many in one deployment): every street-owned record is confined to its street.
- A street administrator reads and changes everything *of its street* (`current_street_id`).
- District staff read every street of their district, city staff every street of every
  district of their city, like a street administrator who may not write: a route open to
  the street admin is open to them for GET/HEAD (`roles_required`), never for a write,
  and every write rule (`can_change_place`, `can_write_community`, each domain's
  `can_edit`) refuses them. They may narrow what they read to one street, the "viewing
  street" kept in their session (`streets.views.view`); then `current_street_id` is it.
- Company users keep company-based scope across streets (their compounds, wherever).
`street_filter(col)` is the condition on any `street_id` column; `place_filter`,
`compound_filter` and `community_filter` include it.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from flask import abort, has_request_context, request, session
from flask_login import current_user, login_required
from sqlalchemy import and_, false, or_, select

from .auth.models import (CITY_STAFF, COMMUNITY_STAFF, COMPANY_USER, DISTRICT_STAFF, GRID_WORKER, RESIDENT_REP,
                          STREET_ADMIN)
from .compounds.models import Community, Compound, Grid, Region, Street
from .extensions import db

STAFF_ROLES = (STREET_ADMIN, COMMUNITY_STAFF, GRID_WORKER)
ALL_ROLES = (STREET_ADMIN, COMMUNITY_STAFF, GRID_WORKER, COMPANY_USER, RESIDENT_REP)
# Above the street: they read what a street admin reads, in every street of their region.
ABOVE_STREET = (DISTRICT_STAFF, CITY_STAFF)
# Whoever reads a whole street (or several): the street admin and the staff above it.
STREET_READERS = (STREET_ADMIN,) + ABOVE_STREET
READ_METHODS = ("GET", "HEAD")
# The session key of the street a district or city user is viewing.
VIEWING_KEY = "viewing_street_id"


def roles_required(*roles, above_street=True, read_page=False):
    """Sign-in required, and the user's role must be one of `roles`; others get 403.

    A route open to the street admin is also open, for reading, to district and city
    staff (they read like a street admin and write nothing): a GET/HEAD of a route that
    takes only GET. A form page (its route also takes POST: create, edit, a batch offer)
    refuses them too, unless `read_page=True` says the GET is a read page that merely
    carries a form for those who may write (a request's detail). `above_street=False`
    keeps them out of a route altogether."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            role = current_user.role
            allowed = role in roles or (
                above_street and role in ABOVE_STREET and STREET_ADMIN in roles and request.method in READ_METHODS
                and (read_page or "POST" not in (request.url_rule.methods if request.url_rule else ())))
            if not allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _user(user):
    """`user` or the signed-in user; None outside a request or when nobody signed in."""
    if user is not None:
        return user
    if not has_request_context():
        return None
    user = current_user._get_current_object() if current_user else None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


# A command or the demo loader working on one street of several (`working_in`).
_working_street = ContextVar("working_street", default=None)


@contextmanager
def working_in(street_id):
    """Outside a request (the demo loader, a command, a job setting up data): records
    created inside the block that name no community belong to this street, and street
    settings read inside it are this street's (`current_street_id` answers it)."""
    token = _working_street.set(street_id)
    try:
        yield
    finally:
        _working_street.reset(token)


def only_street_id():
    """The id of the only street, in a deployment that has exactly one; else None.

    What a user bound to no street yet (an account created before streets existed, a
    command run outside any request) works in when there is no choice to make."""
    ids = db.session.scalars(select(Street.id).order_by(Street.id).limit(2)).all()
    return ids[0] if len(ids) == 1 else None


def is_above_street(user=None):
    user = _user(user)
    return user is not None and user.role in ABOVE_STREET


def reads_streets(user=None):
    """Whether the user reads whole streets: the street admin (its own) and district and
    city staff (theirs). Domains use this where they said `role == STREET_ADMIN` for reads."""
    user = _user(user)
    return user is not None and user.role in STREET_READERS


def region_streets(user=None):
    """SELECT of the ids of the streets under a district or city user's region (empty for
    everyone else). A city's streets are those of its districts (and any placed straight
    under the city)."""
    user = _user(user)
    region_id = user.region_id if user is not None and user.role in ABOVE_STREET else None
    if user is not None and user.role == CITY_STAFF:
        districts = select(Region.id).where(Region.parent_id == region_id)
        return select(Street.id).where(or_(Street.region_id == region_id, Street.region_id.in_(districts)))
    return select(Street.id).where(Street.region_id == region_id, Street.region_id.is_not(None))


def can_view_street(street_id, user=None):
    """Whether a district or city user may read the street (it lies in their region)."""
    user = _user(user)
    if user is None or user.role not in ABOVE_STREET or street_id is None:
        return False
    return db.session.scalar(region_streets(user).where(Street.id == street_id)) is not None


def viewing_street_id(user=None):
    """The street a district or city user is viewing: the one chosen in the session
    (`streets.views.view`, checked against their region on every request), else the
    first street of their region; None when their region holds no street.

    Every street page (lists, details, the tree, settings) works street by street for
    them; the district's own cross-street pages read `region_streets()` instead."""
    user = _user(user)
    if user is None or user.role not in ABOVE_STREET:
        return None
    wanted = session.get(VIEWING_KEY) if has_request_context() else None
    cached = getattr(user, "_viewing_street", None)
    if cached is not None and cached[0] == wanted:
        return cached[1]
    street_id = wanted if isinstance(wanted, int) and can_view_street(wanted, user) else None
    if street_id is None:
        street_id = db.session.scalar(region_streets(user).order_by(Street.id).limit(1))
    user._viewing_street = (wanted, street_id)
    return street_id


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
    if user.role in STREET_READERS:
        return street_filter(Compound.street_id, user)
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


def place_filter(community_col, compound_col, user=None, community_wide=True, street_wide=False, street_col=None):
    """SQL condition on a record placed at a community and optionally a compound.

    Street admin (and district/city staff): the records of their street(s) — by the
    record's own `street_col` when given (it also covers records that name no community),
    else by its community's street. Community staff: their community. Grid worker:
    records of its grid's compounds, plus (`community_wide`) its community's records
    that name no compound. `street_wide` adds records that name no community at all (of
    the user's street, when `street_col` is given). Company users and everyone else:
    nothing (a domain that shows them something says so itself).
    """
    user = user or current_user
    if user.role in STREET_READERS:
        if street_col is not None:
            return street_filter(street_col, user)
        return community_col.in_(street_communities(user))
    cond = false()
    if user.role == COMMUNITY_STAFF:
        cond = community_col == user.community_id
    elif user.role == GRID_WORKER:
        cond = compound_col.in_(grid_compound_ids(user))
        if community_wide:
            cond = or_(cond, and_(compound_col.is_(None), community_col == user_community_id(user)))
    if street_wide and user.role in (COMMUNITY_STAFF, GRID_WORKER):
        wide = community_col.is_(None)
        if street_col is not None:
            wide = and_(wide, street_filter(street_col, user))
        cond = or_(cond, wide)
    return cond


def street_communities(user=None):
    """SELECT of the ids of the communities of the streets the user reads."""
    return select(Community.id).where(street_filter(Community.street_id, user))


def in_own_street(community_id=None, compound_id=None, user=None):
    """Whether the community (or the compound's community) lies in the user's own street:
    what a street admin's writes are confined to."""
    user = user or current_user
    street_id = current_street_id(user)
    if street_id is None:
        return False
    # session.get: a list that loaded its rows' communities (or compounds) asks no query
    # per row (the identity map answers); otherwise one small SELECT, as before.
    if community_id is not None:
        community = db.session.get(Community, community_id)
        return community is not None and community.street_id == street_id
    if compound_id is not None:
        compound = db.session.get(Compound, compound_id)
        return compound is not None and compound.street_id == street_id
    return True


def compound_in_grid(compound_id, user=None):
    """Whether the compound lies in the grid worker's own grid."""
    user = user or current_user
    if compound_id is None or user.role != GRID_WORKER or user.grid_id is None:
        return False
    return db.session.scalar(select(Compound.grid_id).where(Compound.id == compound_id)) == user.grid_id


def can_change_place(community_id, compound_id, user=None):
    """Whether the user may change a record placed at (community, compound).

    Street admin: anything in its street (a record naming no place was already read
    through the street filter). Community staff: their community's records. Grid worker:
    only records of its grid's compounds (never community-wide ones). District and city
    staff: nothing."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return in_own_street(community_id, compound_id, user)
    if user.role == COMMUNITY_STAFF:
        return community_id is not None and community_id == user.community_id
    if user.role == GRID_WORKER:
        return compound_in_grid(compound_id, user)
    return False


def community_filter(column, user=None):
    """SQL condition on any `community_id` column for the user's communities."""
    user = user or current_user
    if user.role in STREET_READERS:
        return column.in_(street_communities(user))
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
    anywhere in its street. A grid worker never changes a community-wide record (see
    `can_change_place` for what it may change); district and city staff write nothing."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return community_id is None or in_own_street(community_id, None, user)
    return user.role == COMMUNITY_STAFF and community_id is not None and community_id == user.community_id


def current_street_id(user=None):
    """The street the user works in: street-owned records it creates go there, and the
    street settings it edits are that street's.

    Street admin and resident representative: their `street_id`; community staff and
    grid workers: their community's street; district and city staff: the street they are
    viewing (`viewing_street_id`). Anyone without a street of their own
    (a company user, the separated roles, a command outside any request, an account made
    before streets existed) works in the only street of a single-street deployment, else
    in none (None); a command inside `working_in(street_id)` works in that street. New street-owned tables set `street_id` from the record's community
    or from this function (see streets/ownership.py); reads filter with `street_filter`."""
    user = _user(user)
    if user is None:
        working = _working_street.get()
        return working if working is not None else only_street_id()
    role = user.role
    if role in ABOVE_STREET:
        return viewing_street_id(user)
    if role in (COMMUNITY_STAFF, GRID_WORKER):
        if getattr(user, "street_id", None) is not None:  # stored from the community on flush
            return user.street_id
        community_id = user_community_id(user)
        if community_id is not None:
            return db.session.scalar(select(Community.street_id).where(Community.id == community_id))
        return None
    if getattr(user, "street_id", None) is not None:
        return user.street_id
    return only_street_id()


def street_filter(street_col, user=None, across=False):
    """SQL condition on a `street_id` column: the streets the user may read.

    Street admin, resident representative, community and grid users: their street.
    District and city staff: the street they are viewing (`viewing_street_id`), or with
    `across=True` (the district's cross-street pages) every street of their region.
    Company users: the streets of the compounds their company serves. Anyone else: the
    only street of a single-street deployment, else none."""
    user = _user(user)
    if user is not None and user.role in ABOVE_STREET:
        if across:
            return street_col.in_(region_streets(user))
        viewing = viewing_street_id(user)
        return street_col == viewing if viewing is not None else false()
    if user is not None and user.role == COMPANY_USER:
        return street_col.in_(select(Compound.street_id).where(Compound.company_id == user.company_id,
                                                               Compound.company_id.is_not(None)))
    street_id = current_street_id(user)
    return street_col == street_id if street_id is not None else false()


def visible_streets(user=None):
    """The streets the user may read, by name: for district and city staff every street of
    their region (the header's switcher), for others their street(s)."""
    from sqlalchemy.orm import selectinload

    return db.session.scalars(select(Street).where(street_filter(Street.id, user, across=True))
                              .options(selectinload(Street.region)).order_by(Street.region_id, Street.name)).all()


def get_scoped_or_404(stmt):
    """Run a select already filtered by scope; 404 when nothing matches."""
    obj = db.session.scalars(stmt).first()
    if obj is None:
        abort(404)
    return obj
