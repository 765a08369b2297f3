"""Places: the tiers above the street (district, city), the street, its communities and
grids, compounds, buildings, owners' committees.

Above the street the tree is `Region` rows under `RegionTier`s whose names are data
(level 1 市, level 2 区/县 by default; a deployment may rename them). Each street belongs
to one district region (`Street.region_id`), each district to its city (`Region.parent_id`).
"""
import re
import secrets
from datetime import date
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..models_base import Entity

CITY_LEVEL, DISTRICT_LEVEL = 1, 2
DEFAULT_REGION_TIERS = {CITY_LEVEL: "市", DISTRICT_LEVEL: "区/县"}
CODE_RE = re.compile(r"^\d{12}$")


def clean_code(value):
    """A 12-digit 统计用区划代码, or None when blank; anything else is refused with a
    Chinese message (forms show it, the model refuses it)."""
    value = (value or "").strip()
    if not value:
        return None
    if not CODE_RE.match(value):
        raise ValueError("区划代码应为12位数字（统计用区划代码）。")
    return value


def _street_slug():
    return "s" + secrets.token_hex(4)

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


class RegionTier(Entity):
    """A tier above the street: level 1 the city (市), level 2 the district (区/县). Names
    are data, as in the organisation tree."""

    __tablename__ = "region_tier"

    level: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(32))


class Region(Entity):
    """A city or a district: a place above the street. A district's parent is its city."""

    __tablename__ = "region"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_region_parent_name"),)

    tier_id: Mapped[int] = mapped_column(ForeignKey("region_tier.id"), index=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[Optional[str]] = mapped_column(String(12))

    tier = relationship("RegionTier")
    parent = relationship("Region", remote_side="Region.id", back_populates="children")
    children = relationship("Region", back_populates="parent", order_by="Region.name")
    streets = relationship("Street", back_populates="region", order_by="Street.name")

    @validates("code")
    def _check_code(self, key, value):
        return clean_code(value)

    @property
    def level(self):
        return self.tier.level if self.tier else None


class Street(Entity):
    """A street office (街道办事处) or township (镇): every street-owned record is confined
    to one. `slug` names it in public URLs; `code` is its 12-digit 统计用区划代码."""

    __tablename__ = "street"
    __table_args__ = (UniqueConstraint("region_id", "name", name="uq_street_region_name"),)

    name: Mapped[str] = mapped_column(String(100))
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("region.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, default=_street_slug)
    code: Mapped[Optional[str]] = mapped_column(String(12))
    coverage_target_date: Mapped[Optional[date]] = mapped_column()
    communities = relationship("Community", back_populates="street", order_by="Community.name")
    region = relationship("Region", back_populates="streets")

    @validates("code")
    def _check_code(self, key, value):
        return clean_code(value)

    @property
    def district_name(self):
        """The district's name (what the single-street release kept as `Street.district`)."""
        return self.region.name if self.region else ""

    # Templates and older code print `street.district`.
    district = district_name

    @property
    def city_name(self):
        region = self.region
        return region.parent.name if region is not None and region.parent is not None else ""

    @property
    def street_id(self):
        return self.id


class Community(Entity):
    """A community (社区): the unit community staff are confined to."""

    __tablename__ = "community"
    __table_args__ = (
        UniqueConstraint("street_id", "name", name="uq_community_street_name"),
        UniqueConstraint("street_id", "slug", name="uq_community_street_slug"),
    )

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    slug: Mapped[str] = mapped_column(String(64))
    code: Mapped[Optional[str]] = mapped_column(String(12))
    street = relationship("Street", back_populates="communities")

    @validates("code")
    def _check_code(self, key, value):
        return clean_code(value)
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
    # Denormalised from the community (set on flush, see webapp/streets/ownership.py) so
    # district pages count a street's compounds without joining communities.
    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
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
    __table_args__ = (UniqueConstraint("compound_id", "name", name="uq_owners_committee_compound_name"),)

    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="owners")
    name: Mapped[str] = mapped_column(String(100))
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
# ... within a street, which every list and picker filters on first.
Index("ix_compound_street_name", Compound.street_id, Compound.name, Compound.id)
# The companies serving a street's compounds (companies/access.py), and each served compound's
# community for the cross-appointment gaps (appointments/services.py), read from the index alone.
Index("ix_compound_street_company", Compound.street_id, Compound.company_id, Compound.community_id)
# The compliance page's page of compounds, a street's by community then name (meetings/views/compliance.py).
Index("ix_compound_street_community_name", Compound.street_id, Compound.community_id, Compound.name, Compound.id)
