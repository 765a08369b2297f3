"""Cross-appointments (交叉任职 / 双向进入) between property companies and the community side."""
from datetime import date
from typing import Optional

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Entity, Tenure

DIRECTIONS = {
    "company_in": "物业企业党组织负责人进入社区/业委会党组织",
    "community_in": "社区/业委会党组织负责人进入物业企业党组织",
}


class CrossAppointment(Tenure, Entity):
    """A person from one side sits on the other side's party branch committee."""

    __tablename__ = "cross_appointment"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    direction: Mapped[str] = mapped_column(String(16))
    company_id: Mapped[int] = mapped_column(ForeignKey("property_company.id"), index=True)
    # The community-side organisation: a unit of the tree or an owners' committee.
    org_unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("org_unit.id"))
    committee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("owners_committee.id"))
    compound_id: Mapped[Optional[int]] = mapped_column(ForeignKey("compound.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    home_role: Mapped[str] = mapped_column(String(64))
    host_role: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[Optional[date]] = mapped_column()
    approval_document: Mapped[str] = mapped_column(String(200))

    person = relationship("Person")
    company = relationship("PropertyCompany")
    org_unit = relationship("OrgUnit")
    committee = relationship("OwnersCommittee")
    compound = relationship("Compound")
    community = relationship("Community")

    @property
    def direction_label(self):
        return DIRECTIONS.get(self.direction, self.direction)

    @property
    def community_side_name(self):
        org = self.org_unit or self.committee
        return org.name if org else ""


# The appointments list, the street's newest first a page at a time: the index order is
# the list's order (every read filters by street).
Index("ix_cross_appointment_street_start", CrossAppointment.street_id, CrossAppointment.start_date,
      CrossAppointment.id)
# The district page's "in place today" count per street (`district.figures`): the term's
# dates beside the street, so the count reads the index alone.
Index("ix_cross_appointment_street_term", CrossAppointment.street_id, CrossAppointment.start_date,
      CrossAppointment.end_date)
# The gaps (services.gaps): whether a company has an active appointment in a street, for
# the compound or its community, is one look-up per compound or company here; the index
# holds every column the check reads (no table row is fetched). SQLite without ANALYZE
# prefers an index whose equal columns are followed by the start_date range, hence
# start_date third.
Index("ix_cross_appointment_company_street_start", CrossAppointment.company_id, CrossAppointment.street_id,
      CrossAppointment.start_date, CrossAppointment.community_id, CrossAppointment.compound_id,
      CrossAppointment.end_date)
