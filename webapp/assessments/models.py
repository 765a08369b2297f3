"""Assessment of property companies (物业考核): templates, monthly rounds, sheets, scores,
quarterly rankings.

A template is a versioned list of sections and items. A round (one month) uses one
template and holds one sheet per company × compound it serves. Each scorer (a cadre or a
resident representative) fills their own `SheetScore` on a sheet; the sheet's result
combines them by the round's weights (see scoring.py). A quarter's ranking, once
published, is a frozen snapshot read by the notice board.
"""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Entity

RULE_KINDS = {
    "per_finding": "按问题扣分",
    "judged": "按档次评分",
}
SCORER_KINDS = {"cadre": "街道/社区干部", "rep": "居民代表"}
ROUND_STATUS = {"open": "评分中", "closed": "已关闭"}


class AssessmentTemplate(Entity):
    """A score sheet layout. Once a round uses it, it is frozen; editing makes a new revision."""

    __tablename__ = "assessment_template"
    __table_args__ = (UniqueConstraint("street_id", "name", "revision", name="uq_assessment_template_street_name_revision"),)

    # A street's own template; a template the district publishes has region_id instead
    # (street_id empty) and streets adopt it (the district domain).
    street_id: Mapped[Optional[int]] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    revision: Mapped[int] = mapped_column(default=1)
    note: Mapped[str] = mapped_column(Text, default="")
    previous_id: Mapped[Optional[int]] = mapped_column(ForeignKey("assessment_template.id"))
    retired: Mapped[bool] = mapped_column(default=False)

    sections = relationship(
        "TemplateSection", back_populates="template", order_by="TemplateSection.position",
        cascade="all, delete-orphan",
    )
    previous = relationship("AssessmentTemplate", remote_side="AssessmentTemplate.id")

    @property
    def items(self):
        return [item for section in self.sections for item in section.items]

    @property
    def total_points(self):
        return round(sum(item.full_points for item in self.items), 2)

    @property
    def label(self):
        return f"{self.name}（第{self.revision}版）"


class TemplateSection(Entity):
    """A section of a template (e.g. 五个方面 / 三个突出)."""

    __tablename__ = "assessment_section"

    template_id: Mapped[int] = mapped_column(ForeignKey("assessment_template.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(120))

    template = relationship("AssessmentTemplate", back_populates="sections")
    items = relationship(
        "TemplateItem", back_populates="section", order_by="TemplateItem.position",
        cascade="all, delete-orphan",
    )

    @property
    def total_points(self):
        return round(sum(item.full_points for item in self.items), 2)


class TemplateItem(Entity):
    """One scored item: full points, guidance and the deduction rule.

    `per_finding` items: the scorer counts findings; score = max(floor, full − per_finding × n).
    `judged` items: the scorer gives a score between 0 and full by the guidance's grades.
    """

    __tablename__ = "assessment_item"

    section_id: Mapped[int] = mapped_column(ForeignKey("assessment_section.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    full_points: Mapped[float] = mapped_column(Float, default=10.0)
    guidance: Mapped[str] = mapped_column(Text, default="")
    rule: Mapped[str] = mapped_column(String(16), default="per_finding")
    per_finding: Mapped[float] = mapped_column(Float, default=1.0)
    floor: Mapped[float] = mapped_column(Float, default=0.0)

    section = relationship("TemplateSection", back_populates="items")

    @property
    def rule_text(self):
        if self.rule == "judged":
            return f"按档次评分，0–{_n(self.full_points)} 分"
        return f"每发现一处问题扣 {_n(self.per_finding)} 分，最低 {_n(self.floor)} 分"


def _n(value):
    """10.0 → '10', 2.5 → '2.5'."""
    return f"{value:g}"


class AssessmentRound(Entity):
    """A month's assessment: one template, one sheet per company × compound."""

    __tablename__ = "assessment_round"
    __table_args__ = (UniqueConstraint("street_id", "month", name="uq_assessment_round_street_month"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    month: Mapped[date] = mapped_column()  # first day of the month
    template_id: Mapped[int] = mapped_column(ForeignKey("assessment_template.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    cadre_weight: Mapped[float] = mapped_column(Float, default=0.7)
    rep_weight: Mapped[float] = mapped_column(Float, default=0.3)
    closed_at: Mapped[Optional[datetime]] = mapped_column()
    closed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    reopened_at: Mapped[Optional[datetime]] = mapped_column()
    reopened_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    reopen_reason: Mapped[str] = mapped_column(String(500), default="")

    template = relationship("AssessmentTemplate")
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    reopened_by = relationship("User", foreign_keys=[reopened_by_id])
    sheets = relationship("AssessmentSheet", back_populates="round", cascade="all, delete-orphan")

    @property
    def is_closed(self):
        return self.status == "closed"

    @property
    def title(self):
        return f"{self.month.year}年{self.month.month}月考核"

    @property
    def status_label(self):
        return ROUND_STATUS.get(self.status, self.status)

    @property
    def rule_text(self):
        return (f"每张考核表得分 = 干部评分平均 × {_n(self.cadre_weight)} + 居民代表评分平均 × {_n(self.rep_weight)}"
                "（权重之和归一；只有一类评分人时取该类平均）；企业月度得分 = 其服务各小区考核表得分的平均")


class AssessmentSheet(Entity):
    """The sheet for one company on one compound in one round."""

    __tablename__ = "assessment_sheet"
    __table_args__ = (
        UniqueConstraint("round_id", "company_id", "compound_id"),
        # A round's figures and rankings (per company, of the frozen results) read this
        # index alone, in company order: no visit to the table's 10,000 rows of a round.
        Index("ix_assessment_sheet_round_company_score", "round_id", "company_id", "final_score"),
    )

    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_round.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("property_company.id"), index=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), index=True)
    # Set when the round closes: the combined result, frozen with it.
    final_score: Mapped[Optional[float]] = mapped_column(Float)

    round = relationship("AssessmentRound", back_populates="sheets")
    company = relationship("PropertyCompany")
    compound = relationship("Compound")
    scores = relationship("SheetScore", back_populates="sheet", cascade="all, delete-orphan",
                          order_by="SheetScore.id")

    @property
    def title(self):
        return f"{self.company.name} · {self.compound.name}"


class SheetScore(Entity):
    """One scorer's filling of a sheet. Created 'assigned' when someone is asked to fill it."""

    __tablename__ = "assessment_score"
    __table_args__ = (UniqueConstraint("sheet_id", "scorer_id"),)

    sheet_id: Mapped[int] = mapped_column(ForeignKey("assessment_sheet.id"), index=True)
    scorer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    scorer_kind: Mapped[str] = mapped_column(String(8), default="cadre")
    status: Mapped[str] = mapped_column(String(16), default="assigned")  # assigned / submitted
    total: Mapped[Optional[float]] = mapped_column(Float)
    visited_on: Mapped[Optional[date]] = mapped_column()
    submitted_at: Mapped[Optional[datetime]] = mapped_column()

    sheet = relationship("AssessmentSheet", back_populates="scores")
    scorer = relationship("User")
    lines = relationship("ScoreLine", back_populates="score", cascade="all, delete-orphan",
                         order_by="ScoreLine.id")

    @property
    def kind_label(self):
        return SCORER_KINDS.get(self.scorer_kind, self.scorer_kind)

    @property
    def is_submitted(self):
        return self.status == "submitted"


class ScoreLine(Entity):
    """A scorer's result on one item: findings counted or a judged score, and the finding."""

    __tablename__ = "assessment_score_line"
    __table_args__ = (UniqueConstraint("score_id", "item_id"),)

    score_id: Mapped[int] = mapped_column(ForeignKey("assessment_score.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("assessment_item.id"))
    findings: Mapped[int] = mapped_column(default=0)
    points: Mapped[float] = mapped_column(Float)
    finding_text: Mapped[str] = mapped_column(Text, default="")
    photo: Mapped[Optional[str]] = mapped_column(String(200))  # file name under UPLOAD_DIR/assessments

    score = relationship("SheetScore", back_populates="lines")
    item = relationship("TemplateItem")


class QuarterRanking(Entity):
    """A quarter's prize amounts and, once published, its frozen ranking for the notice board."""

    __tablename__ = "assessment_quarter"
    __table_args__ = (UniqueConstraint("street_id", "quarter", name="uq_assessment_quarter_street_quarter"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    quarter: Mapped[str] = mapped_column(String(8))  # "2026Q3"
    first_prize: Mapped[float] = mapped_column(Float, default=0.0)
    second_prize: Mapped[float] = mapped_column(Float, default=0.0)
    third_prize: Mapped[float] = mapped_column(Float, default=0.0)
    published_at: Mapped[Optional[datetime]] = mapped_column()
    published_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    snapshot: Mapped[Optional[list]] = mapped_column(JSON)

    published_by = relationship("User")

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def title(self):
        return quarter_label(self.quarter)

    @property
    def rows(self):
        """The published rows: dicts with rank, company_name, score, prize, prize_amount."""
        return list(self.snapshot or [])


def quarter_label(quarter):
    """'2026Q3' → '2026年第三季度'."""
    year, q = quarter.split("Q")
    return f"{year}年第{'一二三四'[int(q) - 1]}季度"
