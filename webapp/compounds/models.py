"""Places: the street, its communities and grids, compounds, buildings, owners' committees."""
from datetime import date
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Entity

COMPOUND_KINDS = {
    "commodity": "商品房小区",
    "old": "老旧小区",
    "three_no": "“三无”小区",
    "single": "独楼独院",
}
MANAGEMENT_MODES = {
    "company": "物业服务企业",
    "self": "自管会",
    "joined": "连片管理",
    "merged": "并入相邻小区",
    "entrusted": "托管",
    "cooperative": "合作管理",
}
COMMITTEE_KINDS = {"owners": "业主委员会", "self": "自管会"}


class Street(Entity):
    """The street office (街道办事处) whose intranet this is."""

    __tablename__ = "street"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    district: Mapped[str] = mapped_column(String(100), default="")
    coverage_target_date: Mapped[Optional[date]] = mapped_column()
    communities = relationship("Community", back_populates="street", order_by="Community.name")


class Community(Entity):
    """A community (社区): the unit community staff are confined to."""

    __tablename__ = "community"

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"))
    name: Mapped[str] = mapped_column(String(100), unique=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    street = relationship("Street", back_populates="communities")
    grids = relationship("Grid", back_populates="community", order_by="Grid.name")
    compounds = relationship("Compound", back_populates="community", order_by="Compound.name")

    @property
    def community_id(self):
        return self.id


class Grid(Entity):
    """A grid (网格) inside a community, looked after by grid workers."""

    __tablename__ = "grid"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    community = relationship("Community", back_populates="grids")


class Compound(Entity):
    """A residential compound (小区) with its kind and how it is managed."""

    __tablename__ = "compound"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[Optional[int]] = mapped_column(ForeignKey("grid.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), default="commodity")
    management_mode: Mapped[str] = mapped_column(String(16), default="company")
    company_id: Mapped[Optional[int]] = mapped_column(ForeignKey("property_company.id"), index=True)
    # For 并入 / 托管: the neighbouring compound it is merged into or entrusted with.
    partner_compound_id: Mapped[Optional[int]] = mapped_column(ForeignKey("compound.id"))
    address: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    community = relationship("Community", back_populates="compounds")
    grid = relationship("Grid")
    company = relationship("PropertyCompany", back_populates="compounds")
    partner = relationship("Compound", remote_side="Compound.id")
    buildings = relationship("Building", back_populates="compound", order_by="Building.name")
    committees = relationship("OwnersCommittee", back_populates="compound")

    @property
    def kind_label(self):
        return COMPOUND_KINDS.get(self.kind, self.kind)

    @property
    def mode_label(self):
        return MANAGEMENT_MODES.get(self.management_mode, self.management_mode)


class Building(Entity):
    """A building (楼栋/楼院) with its households and building head or red steward."""

    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("compound_id", "name"),)

    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    households: Mapped[int] = mapped_column(default=0)
    steward_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    steward_role: Mapped[str] = mapped_column(String(16), default="red_steward")  # or building_head
    # Only stewards who agreed have their phone number on the public notice board.
    steward_phone_public: Mapped[bool] = mapped_column(default=False)

    compound = relationship("Compound", back_populates="buildings")
    steward = relationship("Person")

    @property
    def community_id(self):
        return self.compound.community_id

    @property
    def steward_role_label(self):
        return {"red_steward": "红色管家", "building_head": "楼长"}.get(self.steward_role, "")


class OwnersCommittee(Entity):
    """An owners' committee (业委会) or self-management committee (自管会) of a compound."""

    __tablename__ = "owners_committee"

    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="owners")
    name: Mapped[str] = mapped_column(String(100), unique=True)
    members: Mapped[int] = mapped_column(default=0)
    party_members: Mapped[int] = mapped_column(default=0)
    term_start: Mapped[Optional[date]] = mapped_column()
    term_end: Mapped[Optional[date]] = mapped_column()

    compound = relationship("Compound", back_populates="committees")

    @property
    def community_id(self):
        return self.compound.community_id

    @property
    def kind_label(self):
        return COMMITTEE_KINDS.get(self.kind, self.kind)

    @property
    def is_red(self):
        """A 红色业委会 has party members among its members."""
        return self.party_members > 0

    @property
    def party_share(self):
        return self.party_members / self.members if self.members else 0.0


# Pickers and lists order compounds by name (webapp/picker.py): the index lets a LIMIT stop early.
Index("ix_compound_name", Compound.name)
