"""Residents' requests (群众诉求): the request itself, its timeline of events and photos,
and the street's settings that route and time it (categories, outside departments, the
street's own days off).

Every table here is street-owned (`street_id`); a request takes its street from its
community. The states and which move leads where are in `rules.py` (no database there).
"""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Entity, utcnow
from .rules import HANDLERS, SATISFACTION, STATUSES, URGENCIES

SOURCES = {
    "online_box": "网上红色意见箱",
    "opinion_box": "红色意见箱",
    "door_knocking": "敲门行动",
    "visit_day": "走访日",
    "grid_patrol": "网格巡查",
    "phone": "电话",
    "hotline": "12345 转办",
}
STAFF_SOURCES = {k: v for k, v in SOURCES.items() if k != "online_box"}
LIMIT_UNITS = {"workdays": "个工作日", "hours": "小时"}


class RequestDepartment(Entity):
    """An outside department a category may be handed to (供水, 供电, 燃气, 城管 …)."""

    __tablename__ = "request_department"
    __table_args__ = (UniqueConstraint("street_id", "name"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(default=True)


class RequestCategory(Entity):
    """A kind of request, as the street defines it: who handles it by default, its time
    limit (working days or hours) and how long before the deadline it starts to warn."""

    __tablename__ = "request_category"
    __table_args__ = (UniqueConstraint("street_id", "name"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    handler: Mapped[str] = mapped_column(String(16), default="company")
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("request_department.id"))
    limit_value: Mapped[int] = mapped_column(default=3)
    limit_unit: Mapped[str] = mapped_column(String(16), default="workdays")
    warn_value: Mapped[int] = mapped_column(default=1)  # in the limit's unit, before the deadline
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    department = relationship("RequestDepartment")

    @property
    def handler_label(self):
        if self.handler == "department" and self.department is not None:
            return self.department.name
        return HANDLERS.get(self.handler, self.handler)

    @property
    def limit_text(self):
        unit = LIMIT_UNITS.get(self.limit_unit, "")
        return f"{self.limit_value} {unit}，提前 {self.warn_value} {unit}预警"


class StreetDayOff(Entity):
    """A day the street itself declares off (or, `working`, a day it works) on top of
    the official calendar: the time limits in working days skip it."""

    __tablename__ = "request_day_off"
    __table_args__ = (UniqueConstraint("street_id", "day"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    day: Mapped[date] = mapped_column()
    working: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(100), default="")


class RequestScoreRule(Entity):
    """How the street turns a company's month of requests into the points of a
    "群众诉求办理" assessment item: full points × (on-time share × on_time_weight% +
    satisfaction rate × satisfaction_weight%), less `per_reopen` points per reopening."""

    __tablename__ = "request_score_rule"
    __table_args__ = (UniqueConstraint("street_id"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    on_time_weight: Mapped[int] = mapped_column(default=50)
    satisfaction_weight: Mapped[int] = mapped_column(default=50)
    per_reopen: Mapped[float] = mapped_column(default=1.0)

    @property
    def text(self):
        return (f"满分 ×（按时办结率 × {self.on_time_weight}% + 满意率 × {self.satisfaction_weight}%），"
                f"每次重新办理扣 {self.per_reopen:g} 分")


class ResidentRequest(Entity):
    """One request from a resident, with a receipt number they can look it up by."""

    __tablename__ = "resident_request"
    __table_args__ = (
        Index("ix_resident_request_street_created", "street_id", "created_at"),
        Index("ix_resident_request_created", "created_at"),
        # What the inbox sorts and filters on: newest first per street, per compound, per
        # compound and category, and per company (the company's inbox); the overdue and
        # due-soon counts by street, state and deadline, with created_at so that the
        # overdue list sorts its page's ids on the index alone.
        Index("ix_resident_request_compound_created", "compound_id", "created_at"),
        Index("ix_resident_request_compound_category", "compound_id", "category_id", "created_at"),
        Index("ix_resident_request_company_created", "assignee_company_id", "created_at"),
        Index("ix_resident_request_company_status", "assignee_company_id", "status", "created_at"),
        Index("ix_resident_request_due", "street_id", "status", "due_at", "created_at"),
    )

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    receipt_no: Mapped[str] = mapped_column(String(24), unique=True)
    source: Mapped[str] = mapped_column(String(16), default="online_box", index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    compound_id: Mapped[Optional[int]] = mapped_column(ForeignKey("compound.id"), index=True)
    building_id: Mapped[Optional[int]] = mapped_column(ForeignKey("building.id"))
    category_id: Mapped[Optional[int]] = mapped_column(ForeignKey("request_category.id"), index=True)
    urgency: Mapped[str] = mapped_column(String(8), default="normal")
    text: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    # Who must handle it: the compound's company, the community, the grid or a department.
    assignee_kind: Mapped[str] = mapped_column(String(16), default="")
    assignee_company_id: Mapped[Optional[int]] = mapped_column(ForeignKey("property_company.id"))
    assignee_grid_id: Mapped[Optional[int]] = mapped_column(ForeignKey("grid.id"), index=True)
    assignee_department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("request_department.id"))
    dispatched_at: Mapped[Optional[datetime]] = mapped_column()
    due_at: Mapped[Optional[datetime]] = mapped_column()
    warn_at: Mapped[Optional[datetime]] = mapped_column()
    warned: Mapped[str] = mapped_column(String(16), default="")  # "", "due_soon", "overdue": last warning sent
    # What the resident sees when looking the receipt up (no staff names, no phones).
    public_reply: Mapped[str] = mapped_column(Text, default="")
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    resolution: Mapped[str] = mapped_column(Text, default="")
    handled_at: Mapped[Optional[datetime]] = mapped_column()  # first resolved / refused
    resolved_at: Mapped[Optional[datetime]] = mapped_column()  # latest resolution
    resolved_late: Mapped[Optional[bool]] = mapped_column()
    satisfaction: Mapped[str] = mapped_column(String(16), default="")
    visited_at: Mapped[Optional[datetime]] = mapped_column()
    closed_at: Mapped[Optional[datetime]] = mapped_column()
    reopen_count: Mapped[int] = mapped_column(default=0)
    chase_count: Mapped[int] = mapped_column(default=0)
    resident_chased_on: Mapped[Optional[date]] = mapped_column()
    duplicate_of_id: Mapped[Optional[int]] = mapped_column(ForeignKey("resident_request.id"), index=True)
    meeting_id: Mapped[Optional[int]] = mapped_column(ForeignKey("meeting.id"), index=True)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))

    community = relationship("Community")
    compound = relationship("Compound")
    building = relationship("Building")
    category = relationship("RequestCategory")
    assignee_company = relationship("PropertyCompany")
    assignee_grid = relationship("Grid")
    assignee_department = relationship("RequestDepartment")
    duplicate_of = relationship("ResidentRequest", remote_side="ResidentRequest.id")
    meeting = relationship("Meeting")
    events = relationship("RequestEvent", back_populates="request", order_by="RequestEvent.id",
                          cascade="all, delete-orphan")
    photos = relationship("RequestPhoto", order_by="RequestPhoto.id", cascade="all, delete-orphan")

    @property
    def title(self):
        return f"{self.receipt_no} {self.text[:20]}"

    @property
    def source_label(self):
        return SOURCES.get(self.source, self.source)

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def urgency_label(self):
        return URGENCIES.get(self.urgency, self.urgency)

    @property
    def satisfaction_label(self):
        return SATISFACTION.get(self.satisfaction, "")

    @property
    def assignee_label(self):
        """Who handles it, by name: the company, the community, the grid or the department."""
        if self.assignee_kind == "company" and self.assignee_company is not None:
            return self.assignee_company.name
        if self.assignee_kind == "grid" and self.assignee_grid is not None:
            return f"{self.community.name}{self.assignee_grid.name}"
        if self.assignee_kind == "department" and self.assignee_department is not None:
            return self.assignee_department.name
        if self.assignee_kind == "community":
            return self.community.name
        return "未派单"

    @classmethod
    def is_open_condition(cls):
        from .rules import OPEN

        return cls.status.in_(OPEN)

    def timing(self, now=None):
        """"overdue", "due_soon" or "" for an open request; the rule in SQL is `timing_conditions`."""
        from .rules import OPEN

        now = now or utcnow()
        if self.status not in OPEN or self.due_at is None:
            return ""
        if self.due_at < now:
            return "overdue"
        if self.warn_at is not None and self.warn_at <= now:
            return "due_soon"
        return ""

    @classmethod
    def overdue_condition(cls, now=None):
        """SQL: the open requests past their deadline (the same rule as `timing`)."""
        now = now or utcnow()
        return db.and_(cls.is_open_condition(), cls.due_at.is_not(None), cls.due_at < now)

    @classmethod
    def due_soon_condition(cls, now=None):
        """SQL: the open requests within their warning point, not yet overdue."""
        now = now or utcnow()
        return db.and_(cls.is_open_condition(), cls.due_at >= now, cls.warn_at.is_not(None), cls.warn_at <= now)


@event.listens_for(ResidentRequest, "before_insert")
def _street_from_community(mapper, connection, target):
    """A request belongs to its community's street; fill it when a writer left it out."""
    if target.street_id is None:
        from ..compounds.models import Community

        community_id = target.community_id or (target.community.id if target.community is not None else None)
        target.street_id = connection.scalar(select(Community.street_id).where(Community.id == community_id))


class RequestEvent(Entity):
    """One step in a request's life: who, when, what was said, and the state it moved between."""

    __tablename__ = "request_event"

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("resident_request.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str] = mapped_column(String(16), default="")
    to_status: Mapped[str] = mapped_column(String(16), default="")
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    actor_name: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    meeting_id: Mapped[Optional[int]] = mapped_column(ForeignKey("meeting.id"))

    request = relationship("ResidentRequest", back_populates="events")
    meeting = relationship("Meeting")

    @property
    def kind_label(self):
        from .rules import EVENT_KINDS

        return EVENT_KINDS.get(self.kind, self.kind)


class RequestPhoto(Entity):
    """A photo with a request: taken at the report or with the resolution; stored
    re-encoded (upright, every piece of metadata, GPS included, removed)."""

    __tablename__ = "request_photo"

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("resident_request.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16), default="report")  # or "resolution"
    stored_name: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(default=0)


class PublicPost(db.Model):
    """One accepted or refused post from a public form, by address: the rate limit
    (e.g. five opinions per ten minutes per address) counts these rows."""

    __tablename__ = "public_post"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="opinion")
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


from . import textsearch  # noqa: E402,F401  (the text index is created with the table)
