"""Excel import of compounds and buildings: the template columns and the checks that
need the database (scope, duplicates in the file and in the database, names that must
exist). Every problem is reported as (row, column, reason); nothing is written unless
the whole file is clean."""
from collections import defaultdict

from sqlalchemy import select

from ..companies.models import PropertyCompany
from ..excel import Column, parse_bool, parse_int
from ..extensions import db
from ..people.models import Person
from ..imports import NEW, SAME, UPDATE, Change, differences
from ..people.access import person_filter
from ..scope import compound_filter
from . import access
from .forms import MAX_HOUSEHOLDS, STEWARD_ROLES, management_problems
from .models import COMPOUND_KINDS, MANAGEMENT_MODES, Building, Community, Compound, Grid

KIND_CHOICES = {label: key for key, label in COMPOUND_KINDS.items()}
KIND_CHOICES.update({"三无小区": "three_no", "\"三无\"小区": "three_no"})
MODE_CHOICES = {label: key for key, label in MANAGEMENT_MODES.items()}
MODE_CHOICES.update({"物业企业": "company", "连片": "joined", "并入": "merged"})
ROLE_CHOICES = {label: key for key, label in STEWARD_ROLES.items()}

COMPOUND_COLUMNS = [
    Column("community", "社区", required=True, max_length=100, example="双珠路社区"),
    Column("name", "小区名称", required=True, max_length=100, example="珠海三区"),
    Column("grid", "网格", max_length=100, example="第一网格"),
    Column("kind", "小区类型", required=True, choices=KIND_CHOICES, example="老旧小区"),
    Column("mode", "管理模式", required=True, choices=MODE_CHOICES, example="物业服务企业"),
    Column("company", "物业服务企业", max_length=120, example="隐珠安居物业管理有限公司"),
    Column("partner", "并入/托管的相邻小区", max_length=100, example=""),
    Column("address", "地址", max_length=200, example="双珠路 21 号"),
    Column("note", "备注", max_length=500, example=""),
]

BUILDING_COLUMNS = [
    Column("community", "社区", required=True, max_length=100, example="双珠路社区"),
    Column("compound", "小区", required=True, max_length=100, example="珠海一区"),
    Column("name", "楼栋名称", required=True, max_length=100, example="41号楼"),
    Column("households", "户数", required=True, parse=parse_int(0, MAX_HOUSEHOLDS), example="32"),
    Column("steward", "红色管家/楼长姓名", max_length=64, example=""),
    Column("role", "角色", choices=ROLE_CHOICES, example="红色管家"),
    Column("public", "同意公示电话", parse=parse_bool, example="否"),
]


def _writable_communities():
    return {c.name: c for c in access.writable_communities()}


def _duplicates(rows, key):
    """Map row number -> first row number with the same key, for repeats in the file."""
    first, repeats = {}, {}
    for row in rows:
        k = key(row)
        if None in k:
            continue
        if k in first:
            repeats[row["_row"]] = first[k]
        else:
            first[k] = row["_row"]
    return repeats


def check_compound_rows(rows):
    """Resolve names to ids in place and return the list of errors."""
    errors = []
    communities = _writable_communities()
    grids = {(g.community_id, g.name): g.id for g in db.session.scalars(select(Grid))}
    companies = {c.name: c.id for c in db.session.scalars(select(PropertyCompany))}
    existing = {(c.community_id, c.name): c.id for c in db.session.execute(select(Compound.community_id, Compound.name, Compound.id))}
    mine = [c.id for c in communities.values()]
    row_objects = {(c.community_id, c.name): c for c in db.session.scalars(select(Compound).where(Compound.community_id.in_(mine)))} if mine else {}
    for row in rows:
        name = row.get("community")
        community = communities.get(name) if name else None
        row["community_id"] = community.id if community else None
        if name and community is None:
            errors.append((row["_row"], "社区", f"社区「{name}」不存在或不在您的管辖范围内。"))
    in_file = {(r["community_id"], r["name"]) for r in rows if r["community_id"] and r.get("name")}
    repeats = _duplicates(rows, lambda r: (r["community_id"], r.get("name")))
    for row in rows:
        n, cid = row["_row"], row["community_id"]
        row["grid_id"] = row["company_id"] = row["partner_id"] = None
        row["_existing"] = row_objects.get((cid, row.get("name"))) if cid else None  # re-import: an update
        if cid and row.get("name") and n in repeats:
            errors.append((n, "小区名称", f"与第 {repeats[n]} 行重复。"))
        if cid and row.get("grid"):
            row["grid_id"] = grids.get((cid, row["grid"]))
            if row["grid_id"] is None:
                errors.append((n, "网格", f"本社区没有网格「{row['grid']}」。"))
        if row.get("company"):
            row["company_id"] = companies.get(row["company"])
            if row["company_id"] is None:
                errors.append((n, "物业服务企业", f"物业企业「{row['company']}」不存在，请先在物业企业页面登记。"))
        partner = row.get("partner")
        if partner:
            if partner == row.get("name"):
                errors.append((n, "并入/托管的相邻小区", "不能填写小区本身。"))
            elif cid:
                row["partner_id"] = existing.get((cid, partner))
                if row["partner_id"] is None and (cid, partner) not in in_file:
                    errors.append((n, "并入/托管的相邻小区", f"本社区没有小区「{partner}」。"))
        for field, message in management_problems(row.get("mode"), bool(row.get("company")), bool(partner)):
            errors.append((n, "物业服务企业" if field == "company" else "并入/托管的相邻小区", message))
    return sorted(errors)


COMPOUND_FIELDS = {"grid_id": ("grid_id", "网格"), "kind": ("kind", "小区类型"), "management_mode": ("mode", "管理模式"),
                   "company_id": ("company_id", "物业服务企业"), "partner_compound_id": ("partner_id", "相邻小区"),
                   "address": ("address", "地址"), "note": ("note", "备注")}


def plan_compounds(rows):
    """(changes, errors): each row a new compound, or an update of the one with the same
    community and name."""
    errors = check_compound_rows(rows)
    changes = []
    for row in rows:
        obj, label = row.pop("_existing", None), f"{row.get('community')} {row.get('name')}"
        if obj is None:
            changes.append(Change(NEW, row, None, [], label))
            continue
        changed = differences(obj, row, COMPOUND_FIELDS)
        if row.get("partner") and row["partner_id"] is None and "相邻小区" not in changed:
            changed.append("相邻小区")  # a partner made by this same file
        changes.append(Change(UPDATE if changed else SAME, row, obj, changed, label))
    return changes, errors


def check_building_rows(rows):
    """Resolve community/compound/steward names to ids in place; return the errors."""
    errors = []
    compounds = {
        (community_name, c.name): c
        for c, community_name in db.session.execute(
            select(Compound, Community.name).join(Community, Compound.community_id == Community.id).where(compound_filter())
        )
    }
    compound_ids = [c.id for c in compounds.values()]
    community_ids = {c.community_id for c in compounds.values()}
    people = defaultdict(list)
    if community_ids:
        for pid, cid, pname in db.session.execute(select(Person.id, Person.community_id, Person.name).where(
                Person.community_id.in_(community_ids), person_filter())):
            people[(cid, pname)].append(pid)
    for row in rows:
        compound = compounds.get((row.get("community"), row.get("compound")))
        if compound is not None and not access.can_edit_buildings(compound):
            compound = None
        row["compound_id"] = compound.id if compound else None
        if row.get("community") and row.get("compound") and compound is None:
            errors.append((row["_row"], "小区", f"「{row['community']} {row['compound']}」不存在或不在您的管辖范围内。"))
        row["_community_id"] = compound.community_id if compound else None
    repeats = _duplicates(rows, lambda r: (r["compound_id"], r.get("name")))
    for row in rows:
        n = row["_row"]
        if row["compound_id"] and row.get("name") and n in repeats:
            errors.append((n, "楼栋名称", f"与第 {repeats[n]} 行重复。"))
        row["steward_id"] = None
        if row.get("steward") and row["_community_id"]:
            found = people.get((row["_community_id"], row["steward"]), [])
            if not found:
                errors.append((n, "红色管家/楼长姓名", f"本社区没有名为「{row['steward']}」的人员，请先在人员页面登记。"))
            elif len(found) > 1:
                errors.append((n, "红色管家/楼长姓名", f"本社区有 {len(found)} 位「{row['steward']}」，请在小区页面逐栋指定。"))
            else:
                row["steward_id"] = found[0]
        if row.get("public") and not row.get("steward"):
            errors.append((n, "同意公示电话", "未填写管家姓名时不能公示电话。"))
    return sorted(errors)


BUILDING_FIELDS = {"households": ("households", "户数"), "steward_id": ("steward_id", "红色管家/楼长"),
                   "steward_role": ("steward_role", "角色"), "steward_phone_public": ("steward_phone_public", "同意公示电话")}


def plan_buildings(rows):
    """(changes, errors): each row a new building, or an update of the one with the same
    compound and name."""
    errors = check_building_rows(rows)
    keys = {(r["compound_id"], r.get("name")) for r in rows if r["compound_id"]}
    existing = {}
    if keys:
        ids = {k[0] for k in keys}
        existing = {(b.compound_id, b.name): b for b in db.session.scalars(select(Building).where(Building.compound_id.in_(ids)))}
    changes = []
    for row in rows:
        row["steward_role"] = row.get("role") or "red_steward"
        row["steward_phone_public"] = bool(row.get("public") and row.get("steward_id"))
        obj = existing.get((row["compound_id"], row.get("name")))
        label = f"{row.get('compound')} {row.get('name')}"
        if obj is None:
            changes.append(Change(NEW, row, None, [], label))
        else:
            changed = differences(obj, row, BUILDING_FIELDS)
            changes.append(Change(UPDATE if changed else SAME, row, obj, changed, label))
    return changes, errors
