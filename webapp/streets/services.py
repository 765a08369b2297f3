"""Writes for the places above the street and for new streets (the demo, commands).

`region(name, level, parent)` finds or makes a city (level 1) or district (level 2) with
the deployment's tier names; `create_street(...)` makes a street in a district with its
own default settings (meeting kinds), as every street keeps its own."""
from sqlalchemy import select

from ..compounds.models import DEFAULT_REGION_TIERS, Region, RegionTier, Street
from ..extensions import db


def tier(level):
    """The region tier of `level`, made with its default name (市, 区/县) when missing."""
    found = db.session.scalar(select(RegionTier).where(RegionTier.level == level))
    if found is None:
        found = RegionTier(level=level, name=DEFAULT_REGION_TIERS.get(level, f"第{level}级"))
        db.session.add(found)
        db.session.flush()
    return found


def region(name, level, parent=None, code=None):
    """The city or district named `name` under `parent` (None for a city), made if missing."""
    parent_id = parent.id if parent is not None else None
    found = db.session.scalar(select(Region).where(Region.name == name, Region.parent_id.is_(parent_id)
                                                   if parent_id is None else Region.parent_id == parent_id))
    if found is None:
        found = Region(tier=tier(level), parent=parent, name=name, code=code)
        db.session.add(found)
        db.session.flush()
    return found


def create_street(name, district, slug, code=None, coverage_target_date=None, seed=True):
    """A new street in `district` with its default meeting kinds (its own settings)."""
    street = Street(name=name, region=district, slug=slug, code=code, coverage_target_date=coverage_target_date)
    db.session.add(street)
    db.session.flush()
    if seed:
        from ..meetings.services import seed_kinds

        seed_kinds(street.id)
    return street
