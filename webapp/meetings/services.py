"""Meetings: the minutes lifecycle, tasks, compliance and the contract the notice board
relies on (`published_resolutions`). Who may see, change and approve: `access.py`."""
from datetime import date, datetime, timedelta

from flask import abort
from flask_login import current_user
from sqlalchemy import DateTime, String, and_, bindparam, case, column, exists, func, or_, select, union_all, values
from sqlalchemy.orm import aliased, selectinload

from ..audit.services import record
from ..clock import local_today
from ..extensions import db
from ..models_base import utcnow
from ..scope import current_street_id
from ..search import matches
from .models import (
    APPROVED, DEFAULT_KINDS, DRAFT, PRESENT, SUBMITTED, TASK_DONE, TASK_OPEN, AgendaItem, Attendee,
    FollowUpTask, Meeting, MeetingKind, Requirement, Resolution,
)

from . import access


# --- the notice board's contract ---------------------------------------------------

_aliases = {}


def latest_approved_condition(meeting=Meeting):
    """SQL: the meeting is approved and no approved correction of it exists. (One alias
    for all calls, made on first use once the mappers are configured: a new one each time
    made every statement using it a new shape for SQLAlchemy's compiled-statement cache,
    compiled again on every request.)"""
    newer = _aliases.get("newer")
    if newer is None:
        newer = _aliases["newer"] = aliased(Meeting, name="newer_meeting")
    return and_(
        meeting.status == APPROVED,
        ~exists(select(newer.id).where(newer.previous_id == meeting.id, newer.status == APPROVED)),
    )


def published_resolutions(community_id=None, compound_id=None, board_of=None, limit=None):
    """Resolutions marked for residents whose minutes are approved (only the latest
    approved version of each meeting), newest meeting first.

    Each has `.text`, `.id` and `.meeting` (`.title`, `.kind.name`, `.starts_at`,
    `.community_id`, `.compound_id`, `.approved_at`). Not scoped to a user: these are
    public. Filter by community and/or compound when given; `board_of` (a compound id):
    the compound's own meetings and its community's community-wide ones (a compound's
    board). `limit`: only the newest so many (a board shows a few, never all)."""
    stmt = (
        select(Resolution)
        .join(Meeting, Resolution.meeting_id == Meeting.id)
        .where(Resolution.publish.is_(True), latest_approved_condition())
    )
    if community_id is not None:
        stmt = stmt.where(Meeting.community_id == community_id)
    if compound_id is not None:
        stmt = stmt.where(Meeting.compound_id == compound_id)
    order = (Meeting.starts_at.desc(), Meeting.id.desc(), Resolution.position, Resolution.id)
    if board_of is not None and limit:
        # The compound's own meetings and the community-wide ones, each read newest first
        # along its own index and limited, then merged: one OR of the two walks every
        # meeting of the community when the board has fewer than `limit` resolutions.
        arms = [stmt.where(part).with_only_columns(Resolution.id).order_by(*order).limit(limit).subquery()
                for part in (Meeting.compound_id.is_(None), Meeting.compound_id == board_of)]
        stmt = (select(Resolution).join(Meeting, Resolution.meeting_id == Meeting.id)
                .where(Resolution.id.in_(union_all(*(select(a.c.id) for a in arms)))))
    elif board_of is not None:
        stmt = stmt.where(or_(Meeting.compound_id.is_(None), Meeting.compound_id == board_of))
    stmt = stmt.options(selectinload(Resolution.meeting).selectinload(Meeting.kind)).order_by(*order)
    if limit:
        stmt = stmt.limit(limit)
    return db.session.scalars(stmt).all()


def require_write(meeting):
    """404 for a meeting the user may read but not change (outside scope: the loader)."""
    if not access.can_edit(meeting):
        abort(404)


def successor(meeting):
    """The correction made of this version, if any."""
    return db.session.scalar(select(Meeting).where(Meeting.previous_id == meeting.id))


def versions(meeting):
    """Every version of this meeting's minutes, oldest first (follows the links)."""
    chain = [meeting]
    cur = meeting
    while cur.previous_id:
        cur = db.session.get(Meeting, cur.previous_id)
        chain.insert(0, cur)
    cur = meeting
    while True:
        nxt = successor(cur)
        if nxt is None:
            break
        chain.append(nxt)
        cur = nxt
    return chain


# --- lifecycle --------------------------------------------------------------------

class LifecycleError(Exception):
    """A state change that is not allowed now; the message is Chinese, for the clerk."""


def _actor_name():
    try:
        return current_user.display_name
    except Exception:
        return "system"


def submit(meeting):
    if meeting.status != DRAFT:
        raise LifecycleError("只有草稿可以提交审核。")
    if not meeting.agenda:
        raise LifecycleError("纪要还没有议题，请至少添加一个议题后再提交。")
    meeting.status = SUBMITTED
    meeting.submitted_at = utcnow()
    meeting.submitted_by = _actor_name()
    db.session.flush()
    record(db.session, "submit", meeting)


def return_to_draft(meeting, note=""):
    if meeting.status != SUBMITTED:
        raise LifecycleError("只有待审核的纪要可以退回修改。")
    meeting.status = DRAFT
    db.session.flush()
    record(db.session, "return", meeting, note=note)


def approval_gaps(meeting):
    """What the minutes still lack, for the approver to see before approving them."""
    gaps = []
    if not meeting.recorder:
        gaps.append("未填写记录人")
    if not meeting.attendees_with(PRESENT):
        gaps.append("未登记出席人员")
    if not meeting.resolutions:
        gaps.append("没有记录决议")
    if meeting.resolutions and not meeting.tasks:
        gaps.append("有决议但没有跟进任务")
    return gaps


def approve(meeting, user=None):
    user = user or current_user
    if meeting.status != SUBMITTED:
        raise LifecycleError("只有已提交审核的纪要可以审定。")
    meeting.status = APPROVED
    meeting.approved_at = utcnow()
    meeting.approved_by = user.display_name
    meeting.approved_by_id = user.id
    db.session.flush()
    record(db.session, "approve", meeting)


def correct(meeting, reason):
    """A new draft version copying the approved minutes, linked to them; the approved
    version stays as it is and readable."""
    if meeting.status != APPROVED:
        raise LifecycleError("只有已审定的纪要需要更正；草稿可直接修改。")
    if successor(meeting) is not None:
        raise LifecycleError("这份纪要已有更正版本，请在最新版本上操作。")
    copy = Meeting(
        kind_id=meeting.kind_id, title=meeting.title, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
        place=meeting.place, community_id=meeting.community_id, compound_id=meeting.compound_id,
        convener=meeting.convener, host=meeting.host, recorder=meeting.recorder, invited=meeting.invited,
        summary=meeting.summary, status=DRAFT, previous_id=meeting.id, revision=meeting.revision + 1,
        correction_reason=reason,
    )
    for a in meeting.attendees:
        copy.attendees.append(Attendee(name=a.name, organisation=a.organisation, role=a.role,
                                       company_id=a.company_id, status=a.status, position=a.position))
    for item in meeting.agenda:
        copy.agenda.append(AgendaItem(title=item.title, discussion=item.discussion, position=item.position))
    for r in meeting.resolutions:
        copy.resolutions.append(Resolution(text=r.text, publish=r.publish, position=r.position))
    # Tasks stay with the version that set them (tracked once, not re-issued); the
    # correction carries them: `Meeting.all_tasks`, `task_counts`.
    meeting.is_current = False
    db.session.add(copy)
    db.session.flush()
    record(db.session, "correct", copy, note=reason)
    return copy


def close_task(task, note):
    if task.state != TASK_OPEN:
        raise LifecycleError("该任务已办结。")
    task.state = TASK_DONE
    task.done_at = utcnow()
    task.done_by = _actor_name()
    task.done_note = note
    db.session.flush()
    record(db.session, "close", task, note=note[:500])


def next_position(items):
    return max((i.position for i in items), default=0) + 1


# --- the record: header and content (views validate and commit; these write and flush) ---

HEADER_FIELDS = ("kind_id", "title", "starts_at", "ends_at", "place", "community_id", "compound_id",
                 "convener", "host", "recorder", "invited", "summary")
HEADER_TEXTS = ("place", "convener", "host", "recorder", "invited", "summary")  # "" rather than NULL


def _apply_header(meeting, data):
    for name in HEADER_FIELDS:
        value = data.get(name)
        if value == "":
            value = None
        if value is None and name in HEADER_TEXTS:
            value = ""
        setattr(meeting, name, value)


def create_meeting(data):
    """A new draft meeting from a MeetingForm's data."""
    meeting = Meeting(kind_id=data["kind_id"], community_id=data["community_id"])
    _apply_header(meeting, data)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def update_meeting(meeting, data):
    """Change a draft's header (kind, title, times, place, people) from a MeetingForm's data."""
    _apply_header(meeting, data)
    db.session.flush()
    return meeting


def _add_content(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


def add_attendee(meeting, data):
    """A line on the sign-in sheet, at the end."""
    return _add_content(Attendee(
        meeting=meeting, name=data["name"], organisation=data.get("organisation") or "", role=data.get("role") or "",
        company_id=data.get("company_id"), status=data["status"], position=next_position(meeting.attendees)))


def update_attendee(attendee, data):
    attendee.status = data["status"]
    db.session.flush()


def add_agenda_item(meeting, data):
    return _add_content(AgendaItem(meeting=meeting, title=data["title"], discussion=data.get("discussion") or "",
                                   position=next_position(meeting.agenda)))


def update_agenda_item(item, data):
    item.title = data["title"]
    item.discussion = data.get("discussion") or ""
    db.session.flush()


def add_resolution(meeting, data):
    return _add_content(Resolution(meeting=meeting, text=data["text"], publish=data["publish"],
                                   position=next_position(meeting.resolutions)))


def update_resolution(resolution, data):
    resolution.text = data["text"]
    resolution.publish = data["publish"]
    db.session.flush()


def add_task(meeting, data):
    """A follow-up task the meeting sets (owner, owning company, due date)."""
    return _add_content(FollowUpTask(meeting=meeting, what=data["what"], owner=data["owner"],
                                     owner_company_id=data.get("owner_company_id"), due_date=data["due_date"]))


def delete_content(obj):
    """Remove an attendee, agenda item, resolution or task from a draft."""
    meeting = obj.meeting
    db.session.delete(obj)
    db.session.flush()
    return meeting


# --- kinds and the required set ---------------------------------------------------

# Each street keeps its own kinds and required set: every query here is the current
# street's (`scope.current_street_id`).

def street_kinds():
    """SELECT of the current street's meeting kinds (all, active or not), in list order."""
    return (select(MeetingKind).where(MeetingKind.street_id == current_street_id())
            .order_by(MeetingKind.sort_order, MeetingKind.id))


def active_kinds():
    return db.session.scalars(street_kinds().where(MeetingKind.active.is_(True))).all()


def street_requirements(street_id=None):
    """SELECT of a street's (default: the current street's) 三会三公开 requirements."""
    return (select(Requirement).where(Requirement.street_id == (street_id or current_street_id()))
            .order_by(Requirement.id))


def kind_name_taken(name):
    return db.session.scalar(select(MeetingKind.id).where(
        MeetingKind.name == name, MeetingKind.street_id == current_street_id())) is not None


def add_kind(data):
    """A new meeting kind of the current street, listed after its others."""
    street_id = current_street_id()
    top = db.session.scalar(select(func.max(MeetingKind.sort_order)).where(MeetingKind.street_id == street_id)) or 0
    kind = MeetingKind(name=data["name"], sort_order=top + 10, street_id=street_id)
    db.session.add(kind)
    db.session.flush()
    return kind


def set_kind_active(kind, active):
    """Switch a kind on or off (meetings already held keep it)."""
    kind.active = active
    db.session.flush()


def add_requirement(data):
    """A 三会三公开 requirement from a RequirementForm's data."""
    req = Requirement(label=data["label"], kind_id=data.get("kind_id"), period=data["period"],
                      min_count=data["min_count"], needs_publication=data["needs_publication"],
                      street_id=current_street_id())
    db.session.add(req)
    db.session.flush()
    return req


def set_requirement_active(req, active):
    req.active = active
    db.session.flush()


def seed_kinds(street_id=None):
    """A street's default kinds (default: the current street), added when missing (demo,
    a new street)."""
    street_id = street_id or current_street_id()
    mine = select(MeetingKind).where(MeetingKind.street_id == street_id)
    existing = set(db.session.scalars(select(MeetingKind.name).where(MeetingKind.street_id == street_id)).all())
    for i, name in enumerate(DEFAULT_KINDS, start=1):
        if name not in existing:
            db.session.add(MeetingKind(name=name, sort_order=i * 10, street_id=street_id))
    db.session.flush()
    return {k.name: k for k in db.session.scalars(mine).all()}


# --- 三会三公开 compliance ---------------------------------------------------------

def period_bounds(period, year, number):
    """(start, end) datetimes of month `number` or quarter `number` of `year`."""
    if period == "quarter":
        first_month = (number - 1) * 3 + 1
        start = date(year, first_month, 1)
        end = date(year + (first_month + 3 > 12), (first_month + 3 - 1) % 12 + 1, 1)
    else:
        start = date(year, number, 1)
        end = date(year + (number == 12), number % 12 + 1, 1)
    return datetime.combine(start, datetime.min.time()), datetime.combine(end, datetime.min.time())


def _months_of_quarter(year, quarter):
    return [(year, (quarter - 1) * 3 + i) for i in (1, 2, 3)]


def requirement_windows(period, year, number):
    """{requirement period: [(start, end)]}: the windows a requirement must be met in when
    viewing month or quarter `number` of `year`. A monthly requirement viewed by quarter
    has one window per month; a quarterly one viewed by month counts its whole quarter."""
    quarter = number if period == "quarter" else (number - 1) // 3 + 1
    q_window = period_bounds("quarter", year, quarter)
    if period == "month":
        return {"month": [period_bounds("month", year, number)], "quarter": [q_window]}
    return {"month": [period_bounds("month", y, m) for y, m in _months_of_quarter(year, quarter)],
            "quarter": [q_window]}


def compliance(compounds, period, year, number, street_id=None):
    """For each compound: each active requirement, what was held, and whether it is met.

    A monthly requirement viewed by quarter must be met in each of the quarter's months;
    a quarterly requirement viewed by month counts the whole quarter containing that
    month. A meeting concerning the whole community counts for each of its compounds.
    Each meeting counts once (its current version); the 公开 half counts only meetings
    whose latest approved version published a resolution to residents.

    Returns (requirements, rows) with rows = [(compound, [(req, count, met, detail)])].
    Reads only the meetings of the compounds given (a page of them) and their
    communities' community-wide ones, in the quarter viewed: three statements.
    """
    quarter = number if period == "quarter" else (number - 1) // 3 + 1
    q_start, q_end = period_bounds("quarter", year, quarter)
    requirements = db.session.scalars(street_requirements(street_id).where(Requirement.active.is_(True))).all()
    if not compounds or not requirements:
        return requirements, [(c, []) for c in compounds]
    community_ids = sorted({c.community_id for c in compounds})
    meetings = db.session.execute(
        select(Meeting.id, Meeting.kind_id, Meeting.community_id, Meeting.compound_id, Meeting.starts_at,
               Meeting.is_current)
        .where(Meeting.starts_at >= q_start, Meeting.starts_at < q_end, Meeting.community_id.in_(community_ids),
               or_(Meeting.compound_id.is_(None), Meeting.compound_id.in_([c.id for c in compounds])))
    ).all()
    published = set(db.session.scalars(
        select(Resolution.meeting_id).join(Meeting, Resolution.meeting_id == Meeting.id)
        .where(Resolution.publish.is_(True), latest_approved_condition(),
               Meeting.id.in_([m.id for m in meetings] or [0]))
    ).all())
    windows_for = requirement_windows(period, year, number)
    community_wide, own = {}, {}
    for m in meetings:
        if m.compound_id is None:
            community_wide.setdefault(m.community_id, []).append(m)
        else:
            own.setdefault(m.compound_id, []).append(m)
    rows = []
    for compound in compounds:
        mine = community_wide.get(compound.community_id, []) + [
            m for m in own.get(compound.id, []) if m.community_id == compound.community_id]
        cells = []
        for req in requirements:
            hits = [m for m in mine if req.kind_id is None or m.kind_id == req.kind_id]
            hits = [m for m in hits if m.id in published] if req.needs_publication else [m for m in hits if m.is_current]
            windows = windows_for.get(req.period, windows_for["month"])
            counts = [sum(1 for m in hits if lo <= m.starts_at < hi) for lo, hi in windows]
            met = all(c >= req.min_count for c in counts)
            detail = ""
            if len(windows) > 1:
                detail = " ".join(f"{lo.month}月{'✔' if c >= req.min_count else '✘'}" for (lo, _), c in zip(windows, counts))
            elif period == "month" and req.period == "quarter":
                detail = f"第{quarter}季度累计"
            cells.append((req, sum(counts), met, detail))
        rows.append((compound, cells))
    return requirements, rows


def compliance_by_street(street_ids, period, year, number):
    """{street_id: {"compounds_met", "requirements"}}: how many of each street's compounds
    meet every active requirement of their street in the period, by the same rule as
    `compliance` (which lists compound by compound), aggregated in SQL.

    Three statements whatever the number of streets and compounds: the requirements;
    per community, the requirement windows its community-wide meetings meet (every
    compound of a community that meets them all does too); and, one by one, the compounds
    that have meetings of their own. A street with no active requirement is left out
    (nothing to meet)."""
    from ..compounds.models import Community, Compound

    if not street_ids:
        return {}
    requirements = db.session.scalars(
        select(Requirement).where(Requirement.active.is_(True), Requirement.street_id.in_(street_ids))
        .order_by(Requirement.id)
    ).all()
    if not requirements:
        return {}
    windows_for = requirement_windows(period, year, number)
    windows_per_street = {}
    for req in requirements:
        windows_per_street[req.street_id] = (windows_per_street.get(req.street_id, 0)
                                             + len(windows_for.get(req.period, windows_for["month"])))
    # A slot: one requirement in one of its windows (a handful of bound values, whatever
    # the number of streets: the windows are the same for every street).
    window_rows = [(p, lo, hi) for p, ws in windows_for.items() for lo, hi in ws]
    window_rows += [(req.period, lo, hi) for req in requirements if req.period not in windows_for
                    for lo, hi in windows_for["month"]][:3]
    # Bound by name (not as literal data), so the statement's shape is the same for every
    # period of a kind and SQLAlchemy compiles it once.
    window_params = {}
    for i, (p, lo, hi) in enumerate(window_rows):
        window_params.update({f"w{i}_period": p, f"w{i}_lo": lo, f"w{i}_hi": hi})
    windows = values(column("period", String), column("lo", DateTime), column("hi", DateTime), name="windows").data(
        [(bindparam(f"w{i}_period", type_=String), bindparam(f"w{i}_lo", type_=DateTime),
          bindparam(f"w{i}_hi", type_=DateTime)) for i in range(len(window_rows))]).cte("windows")
    slot = (
        select(Requirement.id.label("req_id"), Requirement.street_id, Requirement.kind_id, Requirement.min_count,
               Requirement.needs_publication, windows.c.lo, windows.c.hi)
        .join(windows, windows.c.period == Requirement.period)
        .where(Requirement.active.is_(True), Requirement.street_id.in_(street_ids))
    ).cte("slot")
    published = exists(select(Resolution.id).where(Resolution.meeting_id == Meeting.id, Resolution.publish.is_(True)))

    def held(community_wide):
        """Meetings counted per slot and community (community-wide ones) or compound."""
        place = Meeting.community_id if community_wide else Meeting.compound_id
        return (
            select(slot.c.req_id, slot.c.lo, place.label("place_id"), func.count().label("n"))
            .select_from(slot)
            .join(Meeting, and_(Meeting.street_id == slot.c.street_id, Meeting.starts_at >= slot.c.lo,
                                Meeting.starts_at < slot.c.hi,
                                or_(slot.c.kind_id.is_(None), Meeting.kind_id == slot.c.kind_id)))
            .where(Meeting.compound_id.is_(None) if community_wide else Meeting.compound_id.is_not(None),
                   or_(and_(slot.c.needs_publication.is_(True), published, latest_approved_condition()),
                       and_(slot.c.needs_publication.is_(False), Meeting.is_current.is_(True))))
            .group_by(slot.c.req_id, slot.c.lo, place)
        ).cte("wide" if community_wide else "own")

    wide, own = held(True), held(False)
    # 1. Per community: the windows its community-wide meetings meet, and its compounds.
    #    A compound of a community that meets them all meets them all too.
    sizes = (select(Compound.community_id, func.count().label("n")).where(Compound.street_id.in_(street_ids))
             .group_by(Compound.community_id).subquery("sizes"))
    by_community = (
        select(Community.id, Community.street_id, func.count().label("met"))
        .select_from(Community)
        .join(slot, slot.c.street_id == Community.street_id)
        .outerjoin(wide, and_(wide.c.req_id == slot.c.req_id, wide.c.lo == slot.c.lo, wide.c.place_id == Community.id))
        .where(Community.street_id.in_(street_ids), func.coalesce(wide.c.n, 0) >= slot.c.min_count)
        .group_by(Community.id, Community.street_id)
    ).subquery("by_community")
    communities = db.session.execute(
        select(by_community.c.id, by_community.c.street_id, by_community.c.met, sizes.c.n)
        .join(sizes, sizes.c.community_id == by_community.c.id), window_params
    ).all()
    # 2. Compounds with meetings of their own: counted one by one (their own and their
    #    community's meetings together).
    wide_n = func.coalesce(wide.c.n, 0) + func.coalesce(own.c.n, 0)
    own_compounds = db.session.execute(
        select(Compound.id, Compound.community_id, Compound.street_id, func.count())
        .select_from(Compound)
        .join(slot, slot.c.street_id == Compound.street_id)
        .outerjoin(wide, and_(wide.c.req_id == slot.c.req_id, wide.c.lo == slot.c.lo,
                              wide.c.place_id == Compound.community_id))
        .outerjoin(own, and_(own.c.req_id == slot.c.req_id, own.c.lo == slot.c.lo, own.c.place_id == Compound.id))
        .where(Compound.street_id.in_(street_ids), Compound.id.in_(select(own.c.place_id)),
               wide_n >= slot.c.min_count)
        .group_by(Compound.id, Compound.community_id, Compound.street_id), window_params
    ).all()
    out = {sid: {"compounds_met": 0, "requirements": sum(1 for r in requirements if r.street_id == sid)}
           for sid in windows_per_street}
    fully = set()
    for community_id, sid, n_met, n_compounds in communities:
        if n_met == windows_per_street.get(sid):
            fully.add(community_id)
            out[sid]["compounds_met"] += int(n_compounds)
    for _compound_id, community_id, sid, n_met in own_compounds:
        if community_id not in fully and n_met == windows_per_street.get(sid):
            out[sid]["compounds_met"] += 1
    return out


def overdue_condition(today=None):
    return and_(FollowUpTask.state == TASK_OPEN, FollowUpTask.due_date < (today or local_today()))


def task_counts(meeting_ids, previous_of=None):
    """{meeting_id: (done, total)}, counting the tasks a corrected version carries from
    the versions before it. `previous_of` ({id: previous_id}, from meetings already
    loaded) saves the first look-up; then one query per further correction depth, and
    one for the counts."""
    if not meeting_ids:
        return {}
    chain = {mid: [mid] for mid in meeting_ids}  # meeting -> its versions, itself first
    tips = {mid: mid for mid in meeting_ids}     # meeting -> oldest version found so far
    for depth in range(100):
        if depth == 0 and previous_of is not None:
            previous = {k: v for k, v in previous_of.items() if v is not None}
        else:
            previous = dict(db.session.execute(
                select(Meeting.id, Meeting.previous_id).where(Meeting.id.in_(set(tips.values())),
                                                              Meeting.previous_id.is_not(None))).all())
        if not previous:
            break
        for mid, tip in list(tips.items()):
            if tip in previous and previous[tip] not in chain[mid]:
                chain[mid].append(previous[tip])
                tips[mid] = previous[tip]
            else:
                del tips[mid]
        if not tips:
            break
    all_ids = {v for versions in chain.values() for v in versions}
    rows = db.session.execute(
        select(FollowUpTask.meeting_id, func.count(),
               func.sum(case((FollowUpTask.state == TASK_DONE, 1), else_=0)))
        .where(FollowUpTask.meeting_id.in_(all_ids)).group_by(FollowUpTask.meeting_id)
    ).all()
    per = {mid: (int(done or 0), total) for mid, total, done in rows}
    out = {}
    for mid, versions in chain.items():
        done = sum(per.get(v, (0, 0))[0] for v in versions)
        total = sum(per.get(v, (0, 0))[1] for v in versions)
        if total:
            out[mid] = (done, total)
    return out


def search_condition(text):
    """SQL: the meeting's title, place, summary, an agenda item or a resolution contains `text`."""
    return or_(
        matches(text, Meeting.title, Meeting.place, Meeting.summary, ignore_case=True),
        exists(select(AgendaItem.id).where(AgendaItem.meeting_id == Meeting.id,
                                           matches(text, AgendaItem.title, AgendaItem.discussion, ignore_case=True))),
        exists(select(Resolution.id).where(Resolution.meeting_id == Meeting.id,
                                           matches(text, Resolution.text, ignore_case=True))),
    )


def day_range(start, end):
    """Datetime bounds for a date filter (end inclusive)."""
    lo = datetime.combine(start, datetime.min.time()) if start else None
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time()) if end else None
    return lo, hi
