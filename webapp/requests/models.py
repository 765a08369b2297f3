"""Residents' requests (群众诉求). Here: what the online opinion box drops in; the
requests domain may grow handling (assignment, due dates, satisfaction) on this table."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Entity, utcnow

SOURCES = {
    "online_box": "网上红色意见箱",
    "opinion_box": "红色意见箱",
    "door_knocking": "敲门行动",
    "visit_day": "走访日",
    "grid_patrol": "网格巡查",
    "phone": "电话",
}
STATUSES = {
    "received": "已收到",
    "in_progress": "处理中",
    "resolved": "已办结",
    "closed": "不予受理",
}


class ResidentRequest(Entity):
    """One opinion or request from a resident, with a receipt number they can look up."""

    __tablename__ = "resident_request"

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    receipt_no: Mapped[str] = mapped_column(String(24), unique=True)
    source: Mapped[str] = mapped_column(String(16), default="online_box")
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    compound_id: Mapped[Optional[int]] = mapped_column(ForeignKey("compound.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    # What the resident sees when looking the receipt up (no staff names, no phones).
    public_reply: Mapped[str] = mapped_column(Text, default="")
    handled_at: Mapped[Optional[datetime]] = mapped_column()

    community = relationship("Community")
    compound = relationship("Compound")

    @property
    def title(self):
        return f"{self.receipt_no} {self.text[:20]}"

    @property
    def source_label(self):
        return SOURCES.get(self.source, self.source)

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)


class PublicPost(db.Model):
    """One accepted or refused post from a public form, by address: the rate limit
    (e.g. five opinions per ten minutes per address) counts these rows."""

    __tablename__ = "public_post"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="opinion")
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
