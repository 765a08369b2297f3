"""Writes for people and positions, and the choices their forms offer.

Who may see and change whom: `people/access.py`. Organisation choices for a position are
the units, companies and committees the user may link to (each domain's `access.py`).
"""
from flask import abort
from flask_login import current_user

from ..audit.services import record
from ..auth.models import GRID_WORKER
from ..companies.access import linkable_companies
from ..compounds.access import linkable_committees
from ..extensions import db
from ..scope import visible_communities
from ..structure.access import linkable_units
from .models import Person, Position


def unit_label(unit):
    """How a unit reads in a list of choices: its tier, its name and — unless the name
    already says it — its community ("居民小组｜第一居民小组（双珠路社区）"): the same
    name recurs in every community."""
    label = f"{unit.tier.name}｜{unit.name}"
    if unit.community is not None and not unit.name.startswith(unit.community.name):
        label += f"（{unit.community.name}）"
    return label


def community_choices(allow_blank):
    items = [(str(c.id), c.name) for c in visible_communities()]
    return ([("", "（不属于具体社区）")] if allow_blank else []) + items


def can_link_company(user=None):
    """A grid worker adds positions in its grid's organisations only, not in companies."""
    return (user or current_user).role != GRID_WORKER


def company_choices():
    return [("", "（无）")] + [(str(c.id), c.name) for c in linkable_companies()]


def organisation_choices():
    """Grouped choices 'unit:ID', 'company:ID', 'committee:ID' for a position."""
    return {
        "组织架构单位": [(f"unit:{u.id}", unit_label(u)) for u in linkable_units()],
        "物业企业": [(f"company:{c.id}", c.name) for c in linkable_companies() if can_link_company()],
        "业委会 / 自管会": [(f"committee:{c.id}", c.name) for c in linkable_committees()],
    }


def pick(value, choices):
    """The id chosen in a select limited to `choices`: None for blank, 404 for an id the
    user may not use (outside their place), ValueError for garbage."""
    if not value:
        return None
    allowed = {v for v, _ in choices}
    if value in allowed:
        return int(value)
    try:
        int(value)
    except (TypeError, ValueError):
        raise ValueError("请从列表中选择。") from None
    abort(404)


def pick_organisation(value):
    """('unit'|'company'|'committee', id) for a grouped choice; 404 outside scope."""
    kind, _, raw = (value or "").partition(":")
    if kind not in ("unit", "company", "committee") or not raw.isdigit():
        raise ValueError("请从列表中选择任职组织。")
    allowed = {v for group in organisation_choices().values() for v, _ in group}
    if value not in allowed:
        abort(404)
    return kind, int(raw)


def save_person(person, data):
    """Create (person None) or update a person from cleaned form data."""
    if person is None:
        person = Person()
        db.session.add(person)
    person.name = data["name"]
    person.phone = data.get("phone") or ""
    person.community_id = data.get("community_id")
    person.company_id = data.get("company_id")
    person.is_party_member = bool(data.get("is_party_member"))
    person.membership_kind = data.get("membership_kind") if person.is_party_member else None
    person.note = data.get("note") or ""
    db.session.flush()
    return person


def add_position(person, role, organisation, start_date, end_date=None, is_leader=False):
    kind, org_id = organisation
    position = Position(person=person, role=role, start_date=start_date, end_date=end_date, is_leader=is_leader,
                        org_unit_id=org_id if kind == "unit" else None,
                        company_id=org_id if kind == "company" else None,
                        committee_id=org_id if kind == "committee" else None)
    db.session.add(position)
    db.session.flush()
    return position


def end_position(position, end_date):
    if end_date < position.start_date:
        raise ValueError("结束日期不能早于开始日期。")
    position.end_date = end_date
    db.session.flush()
    return position


def import_people(rows):
    """Add every row (already validated as a whole); returns the count."""
    for row in rows:
        save_person(None, row)
    record(db.session, "import", entity="person", note=f"Excel 导入人员 {len(rows)} 人")
    return len(rows)
