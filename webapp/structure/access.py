"""Who may see and change units of the organisation tree.

- Street admin: every unit of its street (the tree is loaded per street); district and
  city staff read the viewed street's units and change none.
- Community staff: their community's units (changes them), plus the ancestors of those
  units, read only, so the tree can be walked from its root.
- Grid worker: the units of its grid — a unit tied to the grid or to one of its compounds,
  and everything below such a unit — which it changes; its community's units that belong
  to no grid (the community's own committee, residents' groups), read only; and the
  ancestors, read only. Other grids' units are not shown.
A unit's place (grid) is its own grid or compound's grid, else its parent's.
"""
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import COMMUNITY_STAFF, GRID_WORKER, STREET_ADMIN
from ..compounds.models import Compound
from ..extensions import db
from ..scope import ABOVE_STREET, current_street_id, user_community_id


def _unit_grids(units, by_id):
    """unit id → the grid id the unit belongs to (own, via its compound, or inherited)."""
    compound_grid = dict(db.session.execute(select(Compound.id, Compound.grid_id)).all())
    out = {}

    def grid_of(u):
        if u.id in out:
            return out[u.id]
        own = u.grid_id or (compound_grid.get(u.compound_id) if u.compound_id else None)
        if own is None and u.parent_id in by_id:
            own = grid_of(by_id[u.parent_id])
        out[u.id] = own
        return own

    for u in units:
        grid_of(u)
    return out


def unit_access(units, user=None):
    """(visible ids, writable ids) among `units` (one whole tree) for the user."""
    user = user or current_user
    by_id = {u.id: u for u in units}
    if user.role == STREET_ADMIN:
        return set(by_id), set(by_id)
    if user.role in ABOVE_STREET:
        return set(by_id), set()
    community = user_community_id(user)
    mine = [u for u in units if community is not None and u.community_id == community]
    if user.role == COMMUNITY_STAFF:
        writable = {u.id for u in mine}
        visible = set(writable)
    elif user.role == GRID_WORKER:
        grids = _unit_grids(mine, by_id)
        writable = {u.id for u in mine if user.grid_id is not None and grids[u.id] == user.grid_id}
        visible = writable | {u.id for u in mine if grids[u.id] is None}
    else:
        return set(), set()
    for uid in list(visible):
        parent = by_id[uid].parent_id
        while parent is not None and parent in by_id and parent not in visible:
            visible.add(parent)
            parent = by_id[parent].parent_id
    return visible, writable


def can_add_root(user=None):
    user = user or current_user
    return user.role == STREET_ADMIN


def can_edit_tiers(user=None):
    user = user or current_user
    return user.role == STREET_ADMIN


def linkable_units(user=None):
    """Units the user may put a position or a cross-appointment in: the units they may
    change, in tree order."""
    from ..structure.models import OrgTier, OrgUnit

    user = user or current_user
    out = []
    street_id = current_street_id(user)
    for tree in ("party", "governance"):
        units = db.session.scalars(
            select(OrgUnit).join(OrgTier).where(OrgTier.tree == tree, OrgUnit.street_id == street_id)
            .order_by(OrgTier.level, OrgUnit.id)).all()
        _, writable = unit_access(units, user)
        out.extend(u for u in units if u.id in writable)
    return out
