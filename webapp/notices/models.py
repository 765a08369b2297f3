"""Notices (公告/公示) posted by staff for the public notice board, and their attachments."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import local_now  # noqa: F401  (the street's wall clock; imported from here too)
from ..models_base import Entity

# The categories on the board, in the order the board shows them. 议事决议 and 考核结果
# also come straight from the meetings and assessments domains (no retyping).
CATEGORIES = {
    "notice": "通知公告",
    "service": "服务内容",
    "fees": "收费标准",
    "income": "公共收益收支",
    "resolution": "议事决议",
    "ranking": "考核结果",
    "stewards": "红色管家",
}

STATUSES = {"draft": "草稿", "published": "已发布", "withdrawn": "已撤回"}

# Publish and expiry times are what the clerk types: local wall-clock time of the street,
# stored naive. `clock.local_now()` is the matching "now"; created_at/updated_at stay UTC
# like every other table.


class Notice(Entity):
    """A notice on the board of the whole street, one community or one compound.

    It shows publicly only while published, after `publish_at` and before `expires_at`
    (see `Notice.live()`); withdrawing keeps the row, with its reason, for the record.
    """

    __tablename__ = "notice"

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(16), default="notice", index=True)
    # Target: both empty = the whole street; community only; or a compound (and its community).
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("community.id"), index=True)
    compound_id: Mapped[Optional[int]] = mapped_column(ForeignKey("compound.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    publish_at: Mapped[Optional[datetime]] = mapped_column(index=True)
    expires_at: Mapped[Optional[datetime]] = mapped_column()
    pinned: Mapped[bool] = mapped_column(default=False)
    withdrawn_at: Mapped[Optional[datetime]] = mapped_column()
    withdraw_reason: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))

    community = relationship("Community")
    compound = relationship("Compound")
    author = relationship("User")
    attachments = relationship(
        "NoticeAttachment", back_populates="notice", order_by="NoticeAttachment.id",
        cascade="all, delete-orphan",
    )

    @classmethod
    def live(cls, now=None):
        """SQL condition: what the public may see right now."""
        now = now or local_now()
        return and_(
            cls.status == "published",
            cls.publish_at.is_not(None),
            cls.publish_at <= now,
            or_(cls.expires_at.is_(None), cls.expires_at > now),
        )

    @classmethod
    def on_record(cls, now=None):
        """SQL condition: what the public archive keeps — every notice that has been up
        (live or expired); never drafts, scheduled ones not yet up, or withdrawn ones."""
        now = now or local_now()
        return and_(cls.status == "published", cls.publish_at.is_not(None), cls.publish_at <= now)

    def is_expired(self, now=None):
        now = now or local_now()
        return self.expires_at is not None and self.expires_at <= now

    def is_live(self, now=None):
        now = now or local_now()
        return (
            self.status == "published" and self.publish_at is not None and self.publish_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def category_label(self):
        return CATEGORIES.get(self.category, self.category)

    @property
    def state_label(self):
        """草稿 / 待发布 / 公示中 / 已过期 / 已撤回, as staff need to see it."""
        now = local_now()
        if self.status == "published":
            if self.publish_at and self.publish_at > now:
                return "待发布"
            if self.expires_at and self.expires_at <= now:
                return "已过期"
            return "公示中"
        return STATUSES.get(self.status, self.status)

    @property
    def target_label(self):
        if self.compound is not None:
            return f"{self.compound.community.name} · {self.compound.name}"
        if self.community is not None:
            return self.community.name
        return "全街道"


class NoticeAttachment(Entity):
    """A file attached to a notice (PDF, JPEG or PNG), stored under UPLOAD_DIR/notices/."""

    __tablename__ = "notice_attachment"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(default=0)

    notice = relationship("Notice", back_populates="attachments")

    @property
    def name(self):
        return self.filename

    @property
    def is_image(self):
        return self.mime.startswith("image/")


# The public board (public/board.py): per category, the newest live notices in board order,
# read backwards along the index with a LIMIT; the archive the same without the category;
# the board's Last-Modified from the newest edit and expiry (a MAX read from an index end).
Index("ix_notice_board", Notice.category, Notice.status, Notice.pinned, Notice.publish_at, Notice.id)
Index("ix_notice_record", Notice.status, Notice.pinned, Notice.publish_at, Notice.id)
Index("ix_notice_updated_at", Notice.updated_at)
# The staff's notice list: the street's notices in list order (every read filters by street).
Index("ix_notice_street_list", Notice.street_id, Notice.pinned, Notice.updated_at, Notice.id)
Index("ix_notice_expires_at", Notice.expires_at)
