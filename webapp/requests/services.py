"""Residents' requests: intake (receipt numbers, the opinion box's rate limit, recording
for a resident), routing by category × compound, the moves of the request's life, the
resident's 回访 and 催办, escalation to a meeting, the morning's due warnings, and the
street's settings. Every step writes a `RequestEvent` (the timeline) and is audited by
the session hook. Who may take a step: `access.actor` and `rules.check`.
"""
import re
import secrets
from datetime import timedelta

from flask_login import current_user
from sqlalchemy import delete, func, select

from .. import uploads
from ..clock import local_today, utcnow
from ..companies.models import PropertyCompany
from ..compounds.models import Compound, Grid
from ..extensions import db
from . import rules, workdays
from .models import (
    PublicPost, RequestCategory, RequestDepartment, RequestEvent, RequestPhoto, ResidentRequest, StreetDayOff,
)

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=10)
PHOTO_AREA = "requests"
SIMILAR_DAYS = 30
SIMILAR_CANDIDATES = 200  # the newest open requests of the compound and category looked at
SIMILAR_SHOWN = 5


class Refused(ValueError):
    """A move the rules do not allow; the message is Chinese and nothing was written."""


def new_receipt_no():
    """YJ + date + four characters that are hard to misread: YJ20261123-7K3Q."""
    for _ in range(20):
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4))
        receipt = f"YJ{local_today():%Y%m%d}-{code}"
        if not db.session.scalar(select(ResidentRequest.id).where(ResidentRequest.receipt_no == receipt)):
            return receipt
    raise RuntimeError("could not find a free receipt number")


def posts_from(address, kind="opinion", window=RATE_WINDOW):
    since = utcnow() - window
    return db.session.scalar(
        select(func.count(PublicPost.id)).where(PublicPost.address == address, PublicPost.kind == kind, PublicPost.at >= since)
    ) or 0


def is_limited(address, kind="opinion", limit=RATE_LIMIT):
    return posts_from(address, kind) >= limit


def note_post(address, kind="opinion"):
    """Count a post against its address; rows older than a day are no longer needed."""
    db.session.execute(delete(PublicPost).where(PublicPost.at < utcnow() - timedelta(days=1)))
    db.session.add(PublicPost(address=address[:64], kind=kind))


# --- the timeline -------------------------------------------------------------------------

def _actor_name(user=None):
    if user is None:
        try:
            user = current_user if current_user.is_authenticated else None
        except Exception:  # outside a request (the morning job)
            user = None
    return (user.id if user else None), (user.display_name if user else "系统")


def add_event(item, kind, note="", from_status=None, to_status=None, user=None, actor_name=None, meeting_id=None):
    """One line on the request's timeline: who, when, what was said, the states moved between."""
    actor_id, name = _actor_name(user)
    event = RequestEvent(
        street_id=item.street_id, request=item, kind=kind, note=note or "", actor_id=actor_id,
        actor_name=actor_name or name, from_status=from_status or item.status,
        to_status=to_status or item.status, meeting_id=meeting_id)
    db.session.add(event)
    return event


# --- intake -------------------------------------------------------------------------------

def submit_opinion(community, compound, text, name, phone, address):
    """Store an online opinion as a resident request in the community's inbox (已受理;
    staff give it a category, which routes it)."""
    note_post(address)
    req = ResidentRequest(
        street_id=community.street_id, receipt_no=new_receipt_no(), source="online_box",
        community_id=community.id, compound_id=compound.id if compound else None, text=text,
        name=name or "", phone=phone or "", status="received",
    )
    db.session.add(req)
    add_event(req, "received", "网上红色意见箱留言", "received", "received", actor_name="居民（网上意见箱）")
    db.session.flush()
    return req


def store_photos(item, checked_photos, stage="report"):
    """Store photos already checked by `uploads.check` (re-encoded: upright, no metadata)."""
    for checked in checked_photos:
        name = uploads.store(PHOTO_AREA, checked.data, checked.ext)
        item.photos.append(RequestPhoto(street_id=item.street_id, stage=stage, stored_name=name,
                                        mime=checked.mime, size=len(checked.data)))


def create_request(data, photos=(), user=None):
    """A request staff record for a resident (assisted reporting). Routed on arrival when
    it has a category; filed as 已合并 when `duplicate_of` names an earlier request.
    Written in one flush: the routing and the photos go into the first INSERT (no
    UPDATEs after it, one "create" in the audit log with the values as recorded)."""
    compound = db.session.get(Compound, data["compound_id"])
    item = ResidentRequest(
        street_id=compound.community.street_id, receipt_no=new_receipt_no(), source=data["source"],
        community=compound.community, compound=compound, building_id=data.get("building_id"),
        category_id=data.get("category_id"), urgency=data.get("urgency") or "normal", text=data["text"],
        name=data.get("name") or "", phone=data.get("phone") or "", status="received",
        created_by_id=(user or current_user).id,
    )
    db.session.add(item)
    with db.session.no_autoflush:
        add_event(item, "received", f"来源：{item.source_label}", "received", "received", user=user)
        store_photos(item, photos)
        original = data.get("duplicate_of")
        if original is not None:
            item.duplicate_of_id = original.id
            item.status = "merged"
            add_event(item, "merge", f"与 {original.receipt_no} 为同一诉求，并入原诉求办理。", "received", "merged", user=user)
        elif item.category_id:
            route(item, user=user)
    db.session.flush()
    return item


def assignee_for(category, compound):
    """(kind, company_id, grid_id, department_id): who handles a request of `category` at
    `compound`. A company's category at a compound without a company (自管, 三无) goes to
    the community; a grid's at a compound outside any grid too."""
    handler = category.handler
    if handler == "company" and compound is not None and compound.company_id:
        return "company", compound.company_id, None, None
    if handler == "grid" and compound is not None and compound.grid_id:
        return "grid", None, compound.grid_id, None
    if handler == "department" and category.department_id:
        return "department", None, None, category.department_id
    return "community", None, None, None


def _set_assignee(item, kind, company_id=None, grid_id=None, department_id=None):
    """Set who handles the request, by id and by object, so that `assignee_label` names
    the new assignee at once (also on a request not yet written)."""
    item.assignee_kind = kind
    item.assignee_company = db.session.get(PropertyCompany, company_id) if company_id else None
    item.assignee_grid = db.session.get(Grid, grid_id) if grid_id else None
    item.assignee_department = db.session.get(RequestDepartment, department_id) if department_id else None
    item.assignee_company_id = company_id
    item.assignee_grid_id = grid_id
    item.assignee_department_id = department_id


def _start_clock(item, now=None):
    """Dispatched now: the deadline and warning point from the category's limit."""
    now = now or utcnow()
    item.dispatched_at = now
    item.warned = ""
    category = item.category
    if category is None:
        item.due_at = item.warn_at = None
        return
    item.due_at, item.warn_at = workdays.deadline(now, category.limit_value, category.limit_unit, category.warn_value,
                                                  street_id=item.street_id)


def route(item, user=None):
    """Route a 已受理 request by its category × compound and dispatch it (已派单)."""
    category = db.session.get(RequestCategory, item.category_id)
    item.category = category
    _set_assignee(item, *assignee_for(category, item.compound))
    _start_clock(item)
    before = item.status
    item.status = "dispatched"
    add_event(item, "routed", f"按类别“{category.name}”派至：{item.assignee_label}", before, "dispatched", user=user,
              actor_name="系统（按类别和小区自动派单）")


# --- the moves ------------------------------------------------------------------------------

def act(item, action, role, data=None, photos=(), user=None):
    """Take `action` on `item` as `role` ("staff", "assignee", "resident"): checked by
    `rules.check` (Refused, nothing written, when refused), then the state moves and a
    timeline event records it."""
    data = data or {}
    refusal = rules.check(action, item.status, role)
    if refusal:
        raise Refused(refusal)
    note = (data.get("note") or "").strip()
    if action in rules.NEEDS_NOTE and not note:
        raise Refused(rules.NEEDS_NOTE[action])
    before = item.status
    now = utcnow()
    if action == "dispatch":
        if not data.get("category_id") and not item.category_id:
            raise Refused("请先选择类别，系统按类别和小区派单。")
        item.category_id = data.get("category_id") or item.category_id
        if not item.compound_id and not data.get("compound_id"):
            raise Refused("请先选择小区。")
        if data.get("compound_id"):
            item.compound_id = data["compound_id"]
            item.compound = db.session.get(Compound, data["compound_id"])
        route(item, user=user)
        if note:
            add_event(item, "progress", note, "dispatched", "dispatched", user=user)
        return item
    if action == "visit":
        satisfaction = data.get("satisfaction")
        if satisfaction not in rules.SATISFACTION:
            raise Refused("请选择回访结果：满意、基本满意或不满意。")
        item.satisfaction = satisfaction
        item.visited_at = now
        label = rules.SATISFACTION[satisfaction]
        who = "居民（回执页）" if role == "resident" else None
        if satisfaction == "unsatisfied":
            add_event(item, "visit", f"回访：{label}。{note}".strip(), before, "visited", user=user, actor_name=who)
            item.reopen_count += 1
            item.status = "dispatched"
            _start_clock(item, now)
            add_event(item, "reopen", f"居民不满意，退回 {item.assignee_label} 重新办理（第 {item.reopen_count} 次）。",
                      "visited", "dispatched", user=user, actor_name="系统")
        else:
            item.status = "visited"
            add_event(item, "visit", f"回访：{label}。{note}".strip(), before, "visited", user=user, actor_name=who)
        return item
    if action == "chase":
        if role == "resident":
            today = local_today()
            if item.resident_chased_on == today:
                raise Refused("今天已经催办过了，每天可催办一次。")
            item.resident_chased_on = today
        item.chase_count += 1
        add_event(item, "chase", note or "请尽快办理。", user=user, actor_name="居民（回执页）" if role == "resident" else None)
        return item
    if action == "reject":
        item.reject_reason = note
        item.handled_at = item.handled_at or now
    elif action == "merge":
        original = data.get("duplicate_of")
        if original is None or original.id == item.id:
            raise Refused("请填写原诉求的回执号（不能是本诉求）。")
        item.duplicate_of_id = original.id
        note = f"与 {original.receipt_no} 为同一诉求，并入原诉求办理。{note}".strip()
    elif action == "reassign":
        kind = data.get("assignee_kind")
        if kind not in rules.HANDLERS:
            raise Refused("请选择改派给谁。")
        company_id = grid_id = department_id = None
        if kind == "company":
            company_id = item.compound.company_id if item.compound else None
            if not company_id:
                raise Refused("该小区没有物业企业，不能改派给物业。")
        elif kind == "grid":
            grid_id = item.compound.grid_id if item.compound else None
            if not grid_id:
                raise Refused("该小区不在任何网格，不能改派给网格员。")
        elif kind == "department":
            department_id = data.get("department_id")
            if not department_id:
                raise Refused("请选择外部门。")
        old = item.assignee_label
        _set_assignee(item, kind, company_id, grid_id, department_id)
        db.session.flush()
        db.session.refresh(item, ["assignee_company", "assignee_grid", "assignee_department"])
        note = f"由 {old} 改派至 {item.assignee_label}。理由：{note}"
        _start_clock(item, now)
    elif action == "resolve":
        item.resolution = note
        item.resolved_at = now
        item.handled_at = item.handled_at or now
        item.resolved_late = bool(item.due_at and now > item.due_at)
        store_photos(item, photos, stage="resolution")
    elif action == "reopen":
        item.reopen_count += 1
        _start_clock(item, now)
    elif action == "close":
        item.closed_at = now
    item.status = rules.target(action, before)
    if data.get("public_reply") is not None:
        item.public_reply = data["public_reply"]
    add_event(item, action, note, before, item.status, user=user)
    return item


def resident_act(item, action, data):
    """The resident on the receipt page: 回访 (满意/基本满意/不满意) or 催办 once a day."""
    if action not in ("visit", "chase"):
        raise Refused("没有这种操作。")
    return act(item, action, "resident", data, user=None)


# --- similar requests ----------------------------------------------------------------------------

def _grams(text):
    text = re.sub(r"\s+", "", text or "")
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def similarity(a, b):
    """Share of two-character pieces the texts have in common (0–1): Chinese has no spaces."""
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))


def similar_requests(compound_id, category_id, text, readable, exclude_id=None, threshold=0.25):
    """Open requests of the same compound and category from the last 30 days whose text is
    similar, best first; `readable` is the access filter. Bounded: the newest candidates only."""
    if not compound_id or not text or len(text.strip()) < 2:
        return []
    since = utcnow() - timedelta(days=SIMILAR_DAYS)
    stmt = select(ResidentRequest).where(
        readable, ResidentRequest.compound_id == compound_id, ResidentRequest.created_at >= since,
        ResidentRequest.is_open_condition())
    if category_id:
        stmt = stmt.where(ResidentRequest.category_id == category_id)
    if exclude_id:
        stmt = stmt.where(ResidentRequest.id != exclude_id)
    rows = db.session.scalars(stmt.order_by(ResidentRequest.created_at.desc()).limit(SIMILAR_CANDIDATES)).all()
    scored = sorted(((similarity(text, r.text), r) for r in rows), key=lambda p: -p[0])
    return [r for s, r in scored if s >= threshold][:SIMILAR_SHOWN]


def find_by_receipt(community, receipt):
    return db.session.scalar(
        select(ResidentRequest).where(ResidentRequest.community_id == community.id,
                                      ResidentRequest.receipt_no == (receipt or "").strip().upper())
    )


def find_in_street(receipt, readable):
    return db.session.scalar(select(ResidentRequest).where(
        readable, ResidentRequest.receipt_no == (receipt or "").strip().upper()))


# --- the morning job ------------------------------------------------------------------------------

def send_due_warnings(now=None, batch=500):
    """Mark and log the open requests that reached their warning point or their deadline
    since the last run: one 临期预警 / 超期预警 event each on the timeline (the assignee's
    inbox and every list show them highlighted anyway). For the scheduled morning job;
    idempotent (a request is warned once per stage until it is dispatched again). Works
    in batches so memory stays bounded; commits; returns {"due_soon": n, "overdue": n}."""
    now = now or utcnow()
    counts = {"due_soon": 0, "overdue": 0}
    for stage, cond, kind, done in (
        ("overdue", ResidentRequest.overdue_condition(now), "warned_overdue", ("overdue",)),
        ("due_soon", ResidentRequest.due_soon_condition(now), "warned_soon", ("due_soon", "overdue")),
    ):
        while True:
            rows = db.session.scalars(select(ResidentRequest).where(cond, ResidentRequest.warned.not_in(done))
                                      .order_by(ResidentRequest.id).limit(batch)).all()
            if not rows:
                break
            for item in rows:
                item.warned = stage
                text = "已超过办理时限，请尽快办结。" if stage == "overdue" else "临近办理时限，请抓紧办理。"
                add_event(item, kind, f"{text}承办：{item.assignee_label}", actor_name="系统（每日预警）")
                counts[stage] += 1
            db.session.commit()
    return counts


# --- escalation to a meeting ------------------------------------------------------------------------

def escalate(item, meeting=None, kind_id=None, starts_at=None, user=None):
    """Put the request on the agenda of `meeting` (an upcoming one of its community) or of
    a new draft meeting; the request's timeline and the meeting's page link each other."""
    from ..meetings import services as meeting_services

    refusal = rules.check("escalate", item.status, "staff")
    if refusal:
        raise Refused(refusal)
    if meeting is None:
        meeting = meeting_services.create_meeting({
            "kind_id": kind_id, "community_id": item.community_id, "compound_id": item.compound_id,
            "title": f"{item.compound.name if item.compound else item.community.name}群众诉求议事",
            "starts_at": starts_at, "ends_at": None, "place": "", "convener": "", "host": "", "recorder": "",
            "invited": "", "summary": ""})
    elif not meeting.is_draft:
        raise Refused("只能提交到草稿状态的会议（已提交或已审定的会议不能再加议题）。")
    meeting_services.add_agenda_item(meeting, {
        "title": f"群众诉求 {item.receipt_no}：{item.text[:60]}",
        "discussion": f"类别：{item.category.name if item.category else '未分类'}；承办：{item.assignee_label}。"})
    item.meeting_id = meeting.id
    add_event(item, "escalate", f"提交议事：{meeting.title}", user=user, meeting_id=meeting.id)
    return meeting


def apply_meeting_decision(item, outcome, note, user=None, assignee=None):
    """The approved minutes decide: close the request (办结 by the meeting) or reassign it."""
    meeting = item.meeting
    if meeting is None or not meeting.is_approved:
        raise Refused("议事会议纪要审定后，才能按决议办理。")
    if outcome == "resolve":
        if item.status == "dispatched":
            act(item, "accept", "staff", {"note": "按议事决议办理"}, user=user)
        act(item, "resolve", "staff", {"note": f"按议事决议办结：{note}"}, user=user)
    elif outcome == "reassign":
        act(item, "reassign", "staff", dict(assignee or {}, note=f"按议事决议改派：{note}"), user=user)
    else:
        raise Refused("请选择按决议办结或改派。")
    add_event(item, "meeting", f"依据审定的会议纪要《{meeting.title}》", user=user, meeting_id=meeting.id)
    return item


# --- settings ------------------------------------------------------------------------------------

def save_category(category, data, street_id):
    category = category or RequestCategory(street_id=street_id)
    for name in ("name", "handler", "limit_value", "limit_unit", "warn_value", "sort_order", "active"):
        if name in data:
            setattr(category, name, data[name])
    category.department_id = data.get("department_id") if category.handler == "department" else None
    db.session.add(category)
    db.session.flush()
    return category


def save_score_rule(street_id, data):
    """Set the street's rule for the "群众诉求办理" assessment item."""
    from .models import RequestScoreRule

    rule = db.session.scalar(select(RequestScoreRule).where(RequestScoreRule.street_id == street_id))
    rule = rule or RequestScoreRule(street_id=street_id)
    rule.on_time_weight = data["on_time_weight"]
    rule.satisfaction_weight = data["satisfaction_weight"]
    rule.per_reopen = float(data["per_reopen"])
    db.session.add(rule)
    db.session.flush()
    return rule


def save_department(department, data, street_id):
    department = department or RequestDepartment(street_id=street_id)
    department.name = data["name"]
    department.phone = data.get("phone") or ""
    department.active = data.get("active", True)
    db.session.add(department)
    db.session.flush()
    return department


def add_day_off(street_id, day, working, note):
    entry = StreetDayOff(street_id=street_id, day=day, working=working, note=note or "")
    db.session.add(entry)
    db.session.flush()
    return entry


def remove_day_off(entry):
    db.session.delete(entry)
    db.session.flush()
