"""Writes for compounds, buildings and committees: small functions that change the
objects and flush. The views commit; the audit hook records who changed what."""
import logging

from flask_login import current_user

from ..audit.services import record
from ..extensions import db
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


def import_compounds(rows):
    """Insert compounds from rows already checked by imports.check_compound_rows.

    Partners named in the same file are linked after every row has an id."""
    created = {}
    for row in rows:
        compound = Compound(
            community_id=row["community_id"], grid_id=row["grid_id"], name=row["name"], kind=row["kind"],
            management_mode=row["mode"], company_id=row["company_id"], address=row["address"] or "",
            note=row["note"] or "", partner_compound_id=row["partner_id"],
        )
        db.session.add(compound)
        created[(row["community_id"], row["name"])] = compound
    db.session.flush()
    for row in rows:
        if row["partner_id"] is None and row["partner"]:
            created[(row["community_id"], row["name"])].partner_compound_id = created[(row["community_id"], row["partner"])].id
    db.session.flush()
    record(db.session, "import", entity="compound", note=f"Excel 导入小区 {len(rows)} 个")
    log.info("%d compounds imported by %s", len(rows), current_user.username)
    return list(created.values())


def import_buildings(rows):
    """Insert buildings from rows already checked by imports.check_building_rows."""
    buildings = [
        Building(compound_id=row["compound_id"], name=row["name"], households=row["households"],
                 steward_id=row["steward_id"], steward_role=row["role"] or "red_steward",
                 steward_phone_public=bool(row["public"] and row["steward_id"]))
        for row in rows
    ]
    db.session.add_all(buildings)
    db.session.flush()
    record(db.session, "import", entity="building", note=f"Excel 导入楼栋 {len(rows)} 栋")
    log.info("%d buildings imported by %s", len(rows), current_user.username)
    return buildings
