"""The district's 金牌红色物业 selection: candidates from the cross-street ranking, the
criteria, the decision, and its publication to every street's public board."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Entity

DRAFT, DECIDED, PUBLISHED = "draft", "decided", "published"
STATUSES = {DRAFT: "评选中", DECIDED: "已决定", PUBLISHED: "已公示"}


class GoldSelection(Entity):
    """One district's 金牌红色物业 selection for a quarter (or a year: `period` is free
    text like "2026Q4"). Draft: candidates and criteria may change; decided: the chosen
    companies are fixed; published: every street's public board in the district shows it."""

    __tablename__ = "district_selection"
    __table_args__ = (UniqueConstraint("region_id", "period", name="uq_district_selection_region_period"),)

    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    period: Mapped[str] = mapped_column(String(8))  # the quarter whose ranking it draws on: "2026Q4"
    title: Mapped[str] = mapped_column(String(120))
    criteria: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[Optional[datetime]] = mapped_column()
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    published_at: Mapped[Optional[datetime]] = mapped_column(index=True)
    published_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))

    region = relationship("Region")
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
    candidates = relationship("GoldCandidate", back_populates="selection", cascade="all, delete-orphan",
                              order_by="GoldCandidate.rank, GoldCandidate.id")

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def is_draft(self):
        return self.status == DRAFT

    @property
    def is_published(self):
        return self.status == PUBLISHED

    @property
    def chosen(self):
        return [c for c in self.candidates if c.chosen]


class GoldCandidate(Entity):
    """A company put forward, with the scores it had in each street when it was put
    forward (frozen: later rounds do not change what the district decided on)."""

    __tablename__ = "district_selection_candidate"
    __table_args__ = (UniqueConstraint("selection_id", "company_id", name="uq_district_candidate_company"),)

    selection_id: Mapped[int] = mapped_column(ForeignKey("district_selection.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("property_company.id"), index=True)
    rank: Mapped[int] = mapped_column(default=0)
    score: Mapped[Optional[float]] = mapped_column(Float)  # mean of its streets' quarter scores
    # [{"street": name, "score": x, "rank": n}] at the time it was put forward.
    street_scores: Mapped[Optional[list]] = mapped_column(JSON)
    chosen: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(String(500), default="")

    selection = relationship("GoldSelection", back_populates="candidates")
    company = relationship("PropertyCompany")

    @property
    def title(self):
        return self.company.name if self.company else ""
