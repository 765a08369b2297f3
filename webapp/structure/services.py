"""Writes to the organisation tree, and the read helpers that decide what a user sees.

Visibility and permissions: `structure/access.py`.
"""

from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..appointments.models import CrossAppointment
from ..clock import local_today
from ..extensions import db
from ..people.models import Person, Position
from ..scope import current_street_id
from .access import unit_access
from .models import OrgTier, OrgUnit


class TreeError(ValueError):
    """A write the tree refuses; the message is Chinese and names the problem."""


def tiers_of(tree, street_id=None):
    """The tiers of `tree` in the current street (each street keeps its own)."""
    street_id = street_id or current_street_id()
    return db.session.scalars(select(OrgTier).where(OrgTier.tree == tree, OrgTier.street_id == street_id)
                              .order_by(OrgTier.level)).all()


def tier_at(tree, level, street_id=None):
    street_id = street_id or current_street_id()
    return db.session.scalar(select(OrgTier).where(OrgTier.tree == tree, OrgTier.level == level,
                                                   OrgTier.street_id == street_id))


class TreeView:
    """All units of one tree of the current street loaded at once, with what the user may
    see and change."""

    def __init__(self, tree, user=None):
        self.user = user or current_user
        self.tree = tree
        self.street_id = current_street_id(self.user)
        units = db.session.scalars(
            select(OrgUnit).join(OrgTier).where(OrgTier.tree == tree, OrgUnit.street_id == self.street_id)
            .options(selectinload(OrgUnit.tier), selectinload(OrgUnit.community))
            .order_by(OrgUnit.sort, OrgUnit.id)
        ).all()
        self.by_id = {u.id: u for u in units}
        self.children = {}
        for u in units:
            self.children.setdefault(u.parent_id, []).append(u)
        self.visible, self.writable = unit_access(units, self.user)

    def roots(self):
        return [u for u in self.children.get(None, []) if u.id in self.visible]

    def visible_children(self, unit_id):
        return [u for u in self.children.get(unit_id, []) if u.id in self.visible]

    def descendants(self, unit_id):
        out, stack = set(), [unit_id]
        while stack:
            for child in self.children.get(stack.pop(), []):
                if child.id not in out:
                    out.add(child.id)
                    stack.append(child.id)
        return out

    def subtree_height(self, unit_id):
        """Levels below `unit_id` (0 for a leaf)."""
        kids = self.children.get(unit_id, [])
        return 1 + max(self.subtree_height(k.id) for k in kids) if kids else 0

    def path(self, unit):
        names = []
        while unit is not None:
            names.append(unit.name)
            unit = self.by_id.get(unit.parent_id)
        return " / ".join(reversed(names))

    def facts(self, units, day=None):
        """Leader, member count and active cross-appointments for each unit shown."""
        day = day or local_today()
        ids = [u.id for u in units]
        out = {uid: {"leader": None, "members": 0, "appointments": 0} for uid in ids}
        if not ids:
            return out
        positions = db.session.execute(
            select(Position.org_unit_id, Position.is_leader, Position.role, Person.name)
            .join(Person, Person.id == Position.person_id)
            .where(Position.org_unit_id.in_(ids), Position.active(day))
            .order_by(Position.start_date)
        ).all()
        for unit_id, is_leader, role, name in positions:
            out[unit_id]["members"] += 1
            if is_leader and out[unit_id]["leader"] is None:
                out[unit_id]["leader"] = f"{name}（{role}）"
        counts = db.session.execute(
            select(CrossAppointment.org_unit_id, func.count())
            .where(CrossAppointment.org_unit_id.in_(ids), CrossAppointment.active(day))
            .group_by(CrossAppointment.org_unit_id)
        ).all()
        for unit_id, n in counts:
            out[unit_id]["appointments"] = n
        return out


def sibling_name_taken(tree_view, parent_id, name, exclude_id=None):
    """Names are unique among the children of one parent (all of them, seen or not)."""
    return any(u.name == name and u.id != exclude_id for u in tree_view.children.get(parent_id, []))


def add_unit(tree_view, parent, name, community_id=None):
    """Create a unit below `parent` (None: a top-level unit); its tier follows its depth."""
    level = parent.tier.level + 1 if parent is not None else 1
    tier = tier_at(tree_view.tree, level, tree_view.street_id)
    if tier is None:
        raise TreeError("已是最末一级，无法再添加下级单位。请街道管理员先增加层级。")
    if sibling_name_taken(tree_view, parent.id if parent else None, name):
        raise TreeError("同一上级下已有同名单位。")
    if parent is not None and parent.community_id is not None:
        community_id = parent.community_id
    unit = OrgUnit(tier=tier, parent=parent, name=name, community_id=community_id,
                   grid_id=None, compound_id=None, street_id=tree_view.street_id)
    db.session.add(unit)
    db.session.flush()
    return unit


def rename_unit(tree_view, unit, name):
    if sibling_name_taken(tree_view, unit.parent_id, name, exclude_id=unit.id):
        raise TreeError("同一上级下已有同名单位。")
    unit.name = name
    db.session.flush()
    return unit


def move_unit(tree_view, unit, new_parent):
    """Put `unit` (with its subtree) below `new_parent` (None: top level).

    Refuses cycles, a depth beyond the tree's last tier, and a duplicate name among the new
    siblings. The tiers of the subtree follow the new depth; a subtree moved into another
    community's unit follows that community."""
    if new_parent is not None and (new_parent.id == unit.id or new_parent.id in tree_view.descendants(unit.id)):
        raise TreeError("不能移动到该单位自身或其下级单位之下。")
    new_parent_id = new_parent.id if new_parent else None
    if new_parent_id == unit.parent_id:
        raise TreeError("该单位已在所选上级之下。")
    if sibling_name_taken(tree_view, new_parent_id, unit.name, exclude_id=unit.id):
        raise TreeError("新的上级下已有同名单位，请先改名。")
    level = new_parent.tier.level + 1 if new_parent else 1
    tiers = {t.level: t for t in tiers_of(tree_view.tree, tree_view.street_id)}
    if level + tree_view.subtree_height(unit.id) > max(tiers or [0]):
        raise TreeError("移动后层级超过本体系的最末一级。请选择更高一级的上级单位。")
    unit.parent = new_parent

    def retier(u, lvl):
        u.tier = tiers[lvl]
        if new_parent is not None and new_parent.community_id is not None:
            u.community_id = new_parent.community_id
        for child in tree_view.children.get(u.id, []):
            retier(child, lvl + 1)

    retier(unit, level)
    db.session.flush()
    return unit


def save_tier_names(tree, names, new_name=None):
    """Rename the tiers of `tree` level by level; append a new last level if given."""
    street_id = current_street_id()
    tiers = tiers_of(tree, street_id)
    for tier, name in zip(tiers, names):
        if tier.name != name:
            tier.name = name
    if new_name:
        db.session.add(OrgTier(tree=tree, level=len(tiers) + 1, name=new_name, street_id=street_id))
    db.session.flush()
