"""Meetings (议事协商): kinds, meetings with their minutes, sign-in sheet, agenda,
resolutions, follow-up tasks, and the 三会三公开 required set.

Minutes move draft → submitted → approved. Approved minutes never change: a guard on
every flush refuses any change to an approved meeting or its content (tasks may still be
closed, since follow-up happens after approval). A correction is a new Meeting row whose
`previous_id` points at the version it corrects; both stay readable.
"""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..clock import local_today
from ..models_base import Entity

DRAFT, SUBMITTED, APPROVED = "draft", "submitted", "approved"
STATUSES = {DRAFT: "草稿", SUBMITTED: "待审核", APPROVED: "已审定"}

PRESENT, APOLOGY, ABSENT = "present", "apology", "absent"
ATTENDANCE = {PRESENT: "出席", APOLOGY: "请假", ABSENT: "缺席"}

TASK_OPEN, TASK_DONE = "open", "done"
TASK_STATES = {TASK_OPEN: "办理中", TASK_DONE: "已办结"}

PERIODS = {"month": "每月", "quarter": "每季度"}

DEFAULT_KINDS = ["物业联席会议", "说事议事会", "居民代表会议", "民情恳谈会", "社区事务协调会", "党群联席会议", "业主大会"]


class ApprovedMinutesError(Exception):
    """Raised on flush when something tries to change approved minutes."""


class MeetingKind(Entity):
    """A kind of meeting (物业联席会议, 说事议事会 …): a configurable list."""

    __tablename__ = "meeting_kind"
    __table_args__ = (UniqueConstraint("street_id", "name", name="uq_meeting_kind_street_name"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    name: Mapped[str] = mapped_column(String(50))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Meeting(Entity):
    """One meeting and its minutes (one version of them)."""

    __tablename__ = "meeting"
    __table_args__ = (
        Index("ix_meeting_community_starts", "community_id", "starts_at"),
        # A compound's public board: its community's community-wide meetings (no compound)
        # newest first, without walking the community's other compounds' meetings.
        Index("ix_meeting_community_compound_starts", "community_id", "compound_id", "starts_at", "id"),
        Index("ix_meeting_current_starts", "is_current", "starts_at", "id"),
        # The list filtered by compound: that compound's meetings in order, not a scan of
        # the whole (is_current, starts_at) index for them.
        Index("ix_meeting_compound_starts", "compound_id", "is_current", "starts_at", "id"),
        # ... within the street every list filters on first (else the pager's count, which
        # has no order, walks the street index).
        Index("ix_meeting_street_compound_starts", "street_id", "compound_id", "is_current", "starts_at", "id"),
        # The district's 三会三公开 figures: each street's meetings in a period.
        Index("ix_meeting_street_starts", "street_id", "starts_at"),
    )

    kind_id: Mapped[int] = mapped_column(ForeignKey("meeting_kind.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[Optional[datetime]] = mapped_column()
    place: Mapped[str] = mapped_column(String(200), default="")
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    compound_id: Mapped[Optional[int]] = mapped_column(ForeignKey("compound.id"), index=True)
    convener: Mapped[str] = mapped_column(String(100), default="")
    host: Mapped[str] = mapped_column(String(64), default="")
    recorder: Mapped[str] = mapped_column(String(64), default="")
    invited: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")

    # active_history: the flush guard must see the stored status even when it was expired.
    status: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True, active_history=True)
    submitted_at: Mapped[Optional[datetime]] = mapped_column()
    submitted_by: Mapped[str] = mapped_column(String(64), default="")
    approved_at: Mapped[Optional[datetime]] = mapped_column()
    approved_by: Mapped[str] = mapped_column(String(64), default="")
    approved_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))

    # Corrections: this row corrects `previous`; revision counts from 1.
    previous_id: Mapped[Optional[int]] = mapped_column(ForeignKey("meeting.id"), index=True)
    revision: Mapped[int] = mapped_column(default=1)
    # False once a correction of this version exists: lists show current versions only.
    # The one column that may change on approved minutes (it is not their content).
    is_current: Mapped[bool] = mapped_column(default=True)
    correction_reason: Mapped[str] = mapped_column(String(500), default="")

    kind = relationship("MeetingKind")
    community = relationship("Community")
    compound = relationship("Compound")
    previous = relationship("Meeting", remote_side="Meeting.id", foreign_keys=[previous_id])
    attendees = relationship("Attendee", back_populates="meeting", order_by="Attendee.position, Attendee.id",
                             cascade="all, delete-orphan")
    agenda = relationship("AgendaItem", back_populates="meeting", order_by="AgendaItem.position, AgendaItem.id",
                          cascade="all, delete-orphan")
    resolutions = relationship("Resolution", back_populates="meeting", order_by="Resolution.position, Resolution.id",
                               cascade="all, delete-orphan")
    tasks = relationship("FollowUpTask", back_populates="meeting", order_by="FollowUpTask.due_date, FollowUpTask.id",
                         cascade="all, delete-orphan")

    LINK_FIELDS = {"is_current", "updated_at", "version"}

    @property
    def earlier_versions(self):
        """The versions this one corrects, newest first."""
        out, seen, m = [], {self.id}, self.previous
        while m is not None and m.id not in seen and len(out) < 100:
            out.append(m)
            seen.add(m.id)
            m = m.previous
        return out

    @property
    def carried_tasks(self):
        """Follow-up tasks set by an earlier version: a correction carries them (they stay
        rows of the version that set them, tracked once, not re-issued)."""
        return [t for m in self.earlier_versions for t in m.tasks]

    @property
    def all_tasks(self):
        """This version's tasks and those it carries, by due date."""
        return sorted(self.carried_tasks + list(self.tasks), key=lambda t: (t.due_date, t.id or 0))

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def is_draft(self):
        return self.status == DRAFT

    @property
    def is_approved(self):
        return self.status == APPROVED

    @property
    def minutes_title(self):
        """"…联席会议" → "…联席会议纪要"; "…协调" → "…协调会议纪要"."""
        return self.title + ("纪要" if self.title.endswith(("会议", "会")) else "会议纪要")

    def attendees_with(self, status):
        return [a for a in self.attendees if a.status == status]


class Attendee(Entity):
    """A line of the sign-in sheet: who, from which organisation, present or not."""

    __tablename__ = "meeting_attendee"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    organisation: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(64), default="")
    company_id: Mapped[Optional[int]] = mapped_column(ForeignKey("property_company.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=PRESENT)
    position: Mapped[int] = mapped_column(default=0)

    meeting = relationship("Meeting", back_populates="attendees")
    company = relationship("PropertyCompany")

    @property
    def status_label(self):
        return ATTENDANCE.get(self.status, self.status)

    @property
    def title(self):
        return self.name


class AgendaItem(Entity):
    """An agenda item (议题) and the discussion recorded under it."""

    __tablename__ = "meeting_agenda_item"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    discussion: Mapped[str] = mapped_column(Text, default="")

    meeting = relationship("Meeting", back_populates="agenda")


class Resolution(Entity):
    """A resolution (决议); `publish` marks it for the residents' notice board."""

    __tablename__ = "meeting_resolution"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    publish: Mapped[bool] = mapped_column(default=False)

    meeting = relationship("Meeting", back_populates="resolutions")

    @property
    def title(self):
        return self.text[:60]


class FollowUpTask(Entity):
    """A follow-up task: what, who (a name, optionally a property company), by when."""

    __tablename__ = "meeting_task"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(100))
    owner_company_id: Mapped[Optional[int]] = mapped_column(ForeignKey("property_company.id"), index=True)
    due_date: Mapped[date] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(16), default=TASK_OPEN, index=True)
    done_at: Mapped[Optional[datetime]] = mapped_column()
    done_by: Mapped[str] = mapped_column(String(64), default="")
    done_note: Mapped[str] = mapped_column(Text, default="")

    meeting = relationship("Meeting", back_populates="tasks")
    owner_company = relationship("PropertyCompany")

    # What may change after the minutes are approved: closing the task.
    FOLLOW_UP_FIELDS = {"state", "done_at", "done_by", "done_note", "updated_at", "version"}

    @property
    def title(self):
        return self.what[:60]

    @property
    def state_label(self):
        return TASK_STATES.get(self.state, self.state)

    @property
    def is_done(self):
        return self.state == TASK_DONE

    def is_overdue(self, today=None):
        return self.state == TASK_OPEN and self.due_date < (today or local_today())


class Requirement(Entity):
    """One line of the 三会三公开 required set: at least `min_count` meetings of `kind`
    per compound and period; with `needs_publication` only approved meetings that
    published a resolution to residents count (the 公开 half)."""

    __tablename__ = "meeting_requirement"

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    label: Mapped[str] = mapped_column(String(100))
    kind_id: Mapped[Optional[int]] = mapped_column(ForeignKey("meeting_kind.id"))
    period: Mapped[str] = mapped_column(String(16), default="month")
    min_count: Mapped[int] = mapped_column(default=1)
    needs_publication: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    kind = relationship("MeetingKind")

    @property
    def name(self):
        return self.label

    @property
    def period_label(self):
        return PERIODS.get(self.period, self.period)


def _committed(obj, key):
    hist = inspect(obj).attrs[key].history
    if hist.deleted:
        return hist.deleted[0]
    if hist.added:
        return None
    return getattr(obj, key)


def _meeting_locked(meeting):
    """True when the meeting was already approved before this flush."""
    if meeting is None or inspect(meeting).pending:
        return False
    return _committed(meeting, "status") == APPROVED


CONTENT = (Attendee, AgendaItem, Resolution, FollowUpTask)


def _guard_approved(session, flush_context, instances):
    """Approved minutes are immutable for everyone, whatever the code path."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, Meeting):
            if obj in session.deleted and _meeting_locked(obj):
                raise ApprovedMinutesError("已审定的会议纪要不能删除。")
            if session.is_modified(obj, include_collections=False) and _meeting_locked(obj):
                changed = {a.key for a in inspect(obj).attrs if a.history.has_changes()}
                if not changed <= Meeting.LINK_FIELDS:
                    raise ApprovedMinutesError("已审定的会议纪要不能修改。")
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, CONTENT):
            meeting = obj.meeting
            if meeting is None and obj.meeting_id is not None:
                meeting = session.get(Meeting, obj.meeting_id)
            if not _meeting_locked(meeting):
                continue
            if isinstance(obj, FollowUpTask) and obj in session.dirty and obj not in session.deleted:
                state = inspect(obj)
                changed = {a.key for a in state.attrs if a.history.has_changes()}
                if changed <= FollowUpTask.FOLLOW_UP_FIELDS:
                    continue
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            raise ApprovedMinutesError("已审定的会议纪要不能修改。")


def install_guard():
    """Keep approved minutes immutable on every session (create_app calls this; idempotent)."""
    if not event.contains(Session, "before_flush", _guard_approved):
        event.listen(Session, "before_flush", _guard_approved)


# The follow-up task list (meetings/views/tasks.py): open (or done) tasks by due date, then
# owner, a page at a time: the index order is the list's order.
Index("ix_meeting_task_state_due", FollowUpTask.state, FollowUpTask.due_date, FollowUpTask.owner, FollowUpTask.id)
