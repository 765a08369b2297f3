"""Excel import of people: the template's columns, the checks that need the database,
and the natural key — name and phone — by which a second import of the same file
updates the people it already made instead of adding them again. The rules a person
must keep are `person_problems`, shared with the form."""
from sqlalchemy import select

from ..audit.services import record
from ..excel import Column, parse_bool
from ..extensions import db
from ..forms import PHONE_RE
from ..imports import NEW, SAME, UPDATE, Change, differences
from ..companies.access import linkable_companies
from ..scope import user_community_id, visible_communities
from ..forms import MARKUP
from . import services
from .models import MEMBERSHIP_KINDS, Person
from .access import person_filter

KIND_LABELS = {"直接管": "resident", "双重管": "working", "跟进管": "floating"}
KIND_LABELS.update({label: key for key, label in MEMBERSHIP_KINDS.items()})

COLUMNS = [
    Column("name", "姓名", required=True, max_length=64, example="王秀英"),
    Column("phone", "电话", max_length=32, example="13800000000"),
    Column("community", "所属社区", max_length=100, example="双珠路社区"),
    Column("company", "物业企业", max_length=120, example=""),
    Column("is_party_member", "是否党员", parse=parse_bool, max_length=5, example="是"),
    Column("membership_kind", "党员管理方式", choices=KIND_LABELS, max_length=20, example="直接管"),
    Column("note", "备注", max_length=500, example="珠海一区3号楼红色管家"),
]

# Person attribute → (row key, the column's label), compared to tell 更新 from 不变.
FIELDS = {"phone": ("phone", "电话"), "community_id": ("community_id", "所属社区"),
          "company_id": ("company_id", "物业企业"), "is_party_member": ("is_party_member", "是否党员"),
          "membership_kind": ("membership_kind", "党员管理方式"), "note": ("note", "备注")}


def person_problems(data):
    """Every rule a person's data must keep beyond one field's type, as (key, Chinese
    message): the PersonForm and the Excel import both ask this."""
    problems = []
    party = bool(data.get("is_party_member"))
    if party and not data.get("membership_kind"):
        problems.append(("membership_kind", "党员须选择管理方式（直接管、双重管或跟进管）。"))
    if not party and data.get("membership_kind"):
        problems.append(("membership_kind", "非党员不填写管理方式；如是党员请勾选“中共党员”。"))
    if data.get("phone") and not PHONE_RE.match(data["phone"]):
        problems.append(("phone", "电话号码格式不正确（只能包含数字、空格和 - + ( )）。"))
    for key in ("name", "note"):
        if data.get(key) and MARKUP.search(data[key]):
            problems.append((key, "不能包含 < 或 > 等标记字符。"))
    return problems


HEADERS = {c.key: c.header for c in COLUMNS}


def _resolve(rows):
    """Community and company names → ids in place (within the user's scope); errors."""
    communities = {c.name: c.id for c in visible_communities()}
    companies = {c.name: c.id for c in linkable_companies()}
    own = user_community_id()
    errors = []
    for row in rows:
        n = row["_row"]
        name = row.pop("community", None)
        if name and name not in communities:
            errors.append((n, "所属社区", f"「{name}」不是您管辖范围内的社区。"))
        row["community_id"] = communities.get(name) if name else own
        company = row.pop("company", None)
        if company and company not in companies:
            errors.append((n, "物业企业", f"找不到物业企业「{company}」（须与企业名称完全一致）。"))
        row["company_id"] = companies.get(company) if company else None
        row["phone"] = row.get("phone") or ""
        row["is_party_member"] = bool(row.get("is_party_member"))
        row["note"] = row.get("note") or ""
        errors += [(n, HEADERS.get(key, "姓名/备注"), message) for key, message in person_problems(row)]
    return errors


def plan(rows):
    """(changes, errors) for checked rows: each row is new, an update of the person with
    the same name and phone, or unchanged."""
    errors = _resolve(rows)
    names = {r["name"] for r in rows if r.get("name")}
    existing = {}
    if names:
        for p in db.session.scalars(select(Person).where(person_filter(), Person.name.in_(names))):
            existing.setdefault((p.name, p.phone or ""), []).append(p)
    seen, changes = {}, []
    for row in rows:
        key, n = (row.get("name"), row["phone"]), row["_row"]
        label = f"{row.get('name')}（{row['phone'] or '无电话'}）"
        if key in seen:
            errors.append((n, "姓名", f"与第 {seen[key]} 行是同一人（姓名和电话相同）。"))
            continue
        seen[key] = n
        found = existing.get(key, [])
        if len(found) > 1:
            errors.append((n, "姓名", f"已有 {len(found)} 位姓名和电话都相同的人员，无法确定更新哪一位；请先在人员页面处理重复。"))
        elif found:
            changed = differences(found[0], row, FIELDS)
            changes.append(Change(UPDATE if changed else SAME, row, found[0], changed, label))
        else:
            changes.append(Change(NEW, row, None, [], label))
    return changes, errors


def apply(changes):
    """Write the planned rows (all checked); one audit entry says what the import did."""
    for change in changes:
        if change.kind != SAME:
            services.save_person(change.obj, change.row)
    new = sum(c.kind == NEW for c in changes)
    updated = sum(c.kind == UPDATE for c in changes)
    record(db.session, "import", entity="person", note=f"Excel 导入人员：新增 {new} 人，更新 {updated} 人")
