"""Account management by the system administrator (系统管理员). Role and place
changes go through the ORM (the audit hook logs them, the version guards concurrent
edits); disabling also ends the account's sessions."""
from sqlalchemy import func, select

from ..auth import services as auth_services
from ..auth.models import (CITY_STAFF, COMMUNITY_STAFF, COMPANY_USER, DISTRICT_STAFF, GRID_WORKER, RESIDENT_REP,
                           STREET_ADMIN)
from ..compounds.models import CITY_LEVEL, DISTRICT_LEVEL, Community, Grid, Region, RegionTier, Street
from ..extensions import db

PLACE_OF_ROLE = {COMMUNITY_STAFF: "community_id", GRID_WORKER: "grid_id", COMPANY_USER: "company_id",
                 STREET_ADMIN: "street_id", RESIDENT_REP: "street_id", DISTRICT_STAFF: "region_id",
                 CITY_STAFF: "region_id"}
PLACES = ("community_id", "grid_id", "company_id", "street_id", "region_id")
PLACE_MISSING = {"community_id": "社区工作人员须选择所属社区。", "grid_id": "网格员须选择所属网格。",
                 "company_id": "物业企业用户须选择所属物业企业。", "street_id": "请选择所属街道。",
                 "region_id": "区级、市级工作人员须选择所属区县或市。"}
# The region tier each role above the street belongs to.
REGION_LEVEL = {DISTRICT_STAFF: DISTRICT_LEVEL, CITY_STAFF: CITY_LEVEL}


def _single_street():
    return (db.session.scalar(select(func.count()).select_from(Street)) or 0) <= 1


def place_problem(form):
    """(field name, message) when the role needs a place the form does not name. A street
    role may leave the street empty in a single-street deployment (it gets that street)."""
    needed = PLACE_OF_ROLE.get(form.role.data)
    if needed and not getattr(form, needed).data:
        if needed == "street_id" and _single_street():
            return None
        return needed, PLACE_MISSING[needed]
    if needed == "region_id":
        level = db.session.scalar(select(RegionTier.level).join(Region, Region.tier_id == RegionTier.id)
                                  .where(Region.id == int(form.region_id.data)))
        if level != REGION_LEVEL[form.role.data]:
            return "region_id", "区级工作人员请选择区县，市级工作人员请选择市。"
    return None


def _apply(user, form):
    user.display_name = form.display_name.data
    user.role = form.role.data
    needed = PLACE_OF_ROLE.get(form.role.data)
    for name in PLACES:
        value = getattr(form, name).data
        setattr(user, name, int(value) if name == needed and value else None)
    if user.role == GRID_WORKER and user.grid_id:  # a grid worker belongs to the grid's community
        user.community_id = db.session.get(Grid, user.grid_id).community_id
    if user.community_id:  # community staff and grid workers: their community's street
        user.street_id = db.session.get(Community, user.community_id).street_id


def create_account(form):
    user = auth_services.create_user(form.username.data, form.password.data, form.role.data,
                                     form.display_name.data, must_change=True)
    _apply(user, form)
    db.session.flush()
    return user


def update_account(user, form):
    role_before = user.role
    _apply(user, form)
    db.session.flush()
    if user.role != role_before:  # a new role starts new sessions (new pages, maybe a second factor)
        auth_services.end_sessions(user)


def set_active(user, active):
    """Enable or disable; disabling ends every session of the account at once."""
    if user.active == active:
        return
    user.active = active
    db.session.flush()
    auth_services.end_sessions(user)  # the change of `active` itself is logged by the audit hook
