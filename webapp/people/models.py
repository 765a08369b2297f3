"""People and the positions they hold for a term."""
from datetime import date
from typing import Optional

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Entity, Tenure

MEMBERSHIP_KINDS = {
    "resident": "居民党员（直接管）",
    "working": "在职党员（双重管）",
    "floating": "流动党员（跟进管）",
}


class Person(Entity):
    """A person known to the street: staff, company staff, residents, stewards."""

    __tablename__ = "person"
    # The list, a street's people by name: read in order, not the street's rows sorted.
    __table_args__ = (Index("ix_person_street_name", "street_id", "name", "id"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    name: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("community.id"), index=True)
    company_id: Mapped[Optional[int]] = mapped_column(ForeignKey("property_company.id"), index=True)
    is_party_member: Mapped[bool] = mapped_column(default=False)
    membership_kind: Mapped[Optional[str]] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(500), default="")

    community = relationship("Community")
    company = relationship("PropertyCompany")
    positions = relationship("Position", back_populates="person", order_by="Position.start_date.desc()")

    @property
    def membership_label(self):
        return MEMBERSHIP_KINDS.get(self.membership_kind or "", "")


class Position(Tenure, Entity):
    """A role held by a person in one organisation (an org unit, a company or a
    committee) from start_date to end_date (open-ended when None)."""

    __tablename__ = "position"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(64))
    org_unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("org_unit.id"), index=True)
    company_id: Mapped[Optional[int]] = mapped_column(ForeignKey("property_company.id"), index=True)
    committee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("owners_committee.id"), index=True)
    is_leader: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[Optional[date]] = mapped_column()

    person = relationship("Person", back_populates="positions")
    org_unit = relationship("OrgUnit", back_populates="positions")
    company = relationship("PropertyCompany")
    committee = relationship("OwnersCommittee")

    @property
    def organisation_name(self):
        org = self.org_unit or self.company or self.committee
        return org.name if org else ""
