"""What the dashboard and the street's report keep that no other domain derives.

- `RecordedCount`: the figures the street records by hand, per community per month
  (activities held, charging piles, red stations and their services, social
  organisations, volunteers …). One row per community × month × kind; editing a month
  changes its row (the audit log keeps every earlier value), and the months form the
  history the tables show.
- `CoverageSnapshot`: the coverage figures as they stood at a month's end, written when
  the month closes (the morning job, or issuing the month's report). Places carry no
  effective dates, so a past month's coverage can only be read from here.
- `StreetReport`: one street's report of one period (a month "2026-11" or a quarter
  "2026-Q4"); a closed period's PDF is a stored document (documents/) whose subject is
  this row.
"""
from datetime import date
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Entity

# kind -> (label, unit, how months combine: "sum" for a flow, "stock" for a standing count)
COUNT_KINDS = {
    "activities": ("志愿服务活动", "场", "sum"),
    "charging_piles": ("充电桩", "个", "stock"),
    "red_stations": ("红色驿站", "个", "stock"),
    "station_services": ("红色驿站服务", "人次", "sum"),
    "social_orgs": ("社会组织", "个", "stock"),
    "volunteers": ("志愿者（红马甲）", "人", "stock"),
    "disputes_settled": ("化解矛盾纠纷", "件", "sum"),
    "items_coordinated": ("协调服务事项", "项", "sum"),
}


class RecordedCount(Entity):
    """One figure the street recorded for one community and month."""

    __tablename__ = "recorded_count"
    __table_args__ = (UniqueConstraint("community_id", "month", "kind", name="uq_recorded_count_place_month_kind"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    month: Mapped[date] = mapped_column(index=True)  # first day of the month
    kind: Mapped[str] = mapped_column(String(24))
    value: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(200), default="")

    community = relationship("Community")

    @property
    def kind_label(self):
        return COUNT_KINDS.get(self.kind, (self.kind,))[0]

    @property
    def title(self):
        return f"{self.month:%Y-%m} {self.kind_label}"


class CoverageSnapshot(Entity):
    """A community's coverage figures at a month's end."""

    __tablename__ = "coverage_snapshot"
    __table_args__ = (UniqueConstraint("community_id", "month", name="uq_coverage_snapshot_community_month"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    month: Mapped[date] = mapped_column(index=True)
    compounds: Mapped[int] = mapped_column(default=0)
    covered: Mapped[int] = mapped_column(default=0)
    buildings: Mapped[int] = mapped_column(default=0)
    stewards: Mapped[int] = mapped_column(default=0)
    committees: Mapped[int] = mapped_column(default=0)
    red_committees: Mapped[int] = mapped_column(default=0)
    appointments: Mapped[int] = mapped_column(default=0)


class StreetReport(Entity):
    """A street's report for one period; closed periods are issued as stored documents."""

    __tablename__ = "street_report"
    __table_args__ = (UniqueConstraint("street_id", "period", name="uq_street_report_street_period"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    period: Mapped[str] = mapped_column(String(8))  # "2026-11" or "2026-Q4"
    issued_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))

    street = relationship("Street")
