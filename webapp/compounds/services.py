"""Writes for compounds, buildings and committees: small functions that change the
objects and flush. The views commit; the audit hook records who changed what."""
import logging

from flask_login import current_user

from ..audit.services import record
from ..extensions import db
from ..imports import NEW, SAME, UPDATE
from .models import Building, Compound, OwnersCommittee

log = logging.getLogger(__name__)


def _none_if_zero(value):
    return value or None


def _apply_compound(compound, form):
    compound.community_id = form.community_id.data
    compound.grid_id = _none_if_zero(form.grid_id.data)
    compound.name = form.name.data
    compound.kind = form.kind.data
    compound.management_mode = form.management_mode.data
    compound.company_id = _none_if_zero(form.company_id.data)
    compound.partner_compound_id = _none_if_zero(form.partner_compound_id.data)
    compound.address = form.address.data or ""
    compound.note = form.note.data or ""


def create_compound(form):
    """A new compound from a validated CompoundForm."""
    compound = Compound()
    _apply_compound(compound, form)
    db.session.add(compound)
    db.session.flush()
    log.info("Compound %r created by %s", compound, current_user.username)
    return compound


def update_compound(compound, form):
    """Change a compound from a validated CompoundForm (version checked by the mapper)."""
    _apply_compound(compound, form)
    db.session.flush()
    log.info("Compound %r updated by %s", compound, current_user.username)
    return compound


def _apply_building(building, form):
    building.name = form.name.data
    building.households = form.households.data
    building.steward_id = _none_if_zero(form.steward_id.data)
    building.steward_role = form.steward_role.data
    building.steward_phone_public = bool(form.steward_phone_public.data and building.steward_id)


def create_building(compound, form):
    """A new building of `compound` from a validated BuildingForm."""
    building = Building(compound=compound)
    _apply_building(building, form)
    db.session.add(building)
    db.session.flush()
    log.info("Building %r of %r created by %s", building, compound, current_user.username)
    return building


def update_building(building, form):
    _apply_building(building, form)
    db.session.flush()
    log.info("Building %r updated by %s", building, current_user.username)
    return building


def _apply_committee(committee, form):
    committee.kind = form.kind.data
    committee.name = form.name.data
    committee.members = form.members.data
    committee.party_members = form.party_members.data
    committee.term_start = form.term_start.data
    committee.term_end = form.term_end.data


def create_committee(compound, form):
    """A new owners' committee or 自管会 of `compound`."""
    committee = OwnersCommittee(compound=compound)
    _apply_committee(committee, form)
    db.session.add(committee)
    db.session.flush()
    log.info("Committee %r of %r created by %s", committee, compound, current_user.username)
    return committee


def update_committee(committee, form):
    _apply_committee(committee, form)
    db.session.flush()
    log.info("Committee %r updated by %s", committee, current_user.username)
    return committee


def import_compounds(changes):
    """Write an import's planned compounds (imports.plan_compounds, checked whole): new
    ones added, changed ones updated. Partners named in the same file are linked after
    every row has an id."""
    by_key = {}
    for change in changes:
        row = change.row
        if change.kind == SAME:
            by_key[(row["community_id"], row["name"])] = change.obj
            continue
        compound = change.obj or Compound(community_id=row["community_id"], name=row["name"])
        compound.grid_id, compound.kind, compound.management_mode = row["grid_id"], row["kind"], row["mode"]
        compound.company_id, compound.partner_compound_id = row["company_id"], row["partner_id"]
        compound.address, compound.note = row["address"] or "", row["note"] or ""
        db.session.add(compound)
        by_key[(row["community_id"], row["name"])] = compound
    db.session.flush()
    for change in changes:
        row = change.row
        if change.kind != SAME and row["partner_id"] is None and row["partner"]:
            by_key[(row["community_id"], row["name"])].partner_compound_id = by_key[(row["community_id"], row["partner"])].id
    db.session.flush()
    new, updated = sum(c.kind == NEW for c in changes), sum(c.kind == UPDATE for c in changes)
    record(db.session, "import", entity="compound", note=f"Excel 导入小区：新增 {new} 个，更新 {updated} 个")
    log.info("compounds import by %s: %d new, %d updated", current_user.username, new, updated)


def import_buildings(changes):
    """Write an import's planned buildings (imports.plan_buildings, checked whole)."""
    for change in changes:
        if change.kind == SAME:
            continue
        row = change.row
        building = change.obj or Building(compound_id=row["compound_id"], name=row["name"])
        building.households, building.steward_id = row["households"], row["steward_id"]
        building.steward_role, building.steward_phone_public = row["steward_role"], row["steward_phone_public"]
        db.session.add(building)
    db.session.flush()
    new, updated = sum(c.kind == NEW for c in changes), sum(c.kind == UPDATE for c in changes)
    record(db.session, "import", entity="building", note=f"Excel 导入楼栋：新增 {new} 栋，更新 {updated} 栋")
    log.info("buildings import by %s: %d new, %d updated", current_user.username, new, updated)
