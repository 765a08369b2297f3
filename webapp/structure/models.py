"""The organisation tree. Tier names are data: each tree has its own list of tiers."""
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Entity

TREES = {"party": "党组织架构", "governance": "社会治理体系"}


class OrgTier(Entity):
    """One tier of a tree, e.g. 网格党支部 at level 3 of the party tree."""

    __tablename__ = "org_tier"
    __table_args__ = (UniqueConstraint("street_id", "tree", "level", name="uq_org_tier_street_tree_level"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    tree: Mapped[str] = mapped_column(String(16), default="party")
    level: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(64))


class OrgUnit(Entity):
    """A unit in a tree (a party branch, a residents' group …), possibly tied to a place."""

    __tablename__ = "org_unit"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    street = relationship("Street")
    tier_id: Mapped[int] = mapped_column(ForeignKey("org_tier.id"))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[Optional[int]] = mapped_column(ForeignKey("grid.id"))
    compound_id: Mapped[Optional[int]] = mapped_column(ForeignKey("compound.id"))
    company_id: Mapped[Optional[int]] = mapped_column(ForeignKey("property_company.id"))
    sort: Mapped[int] = mapped_column(default=0)

    tier = relationship("OrgTier")
    parent = relationship("OrgUnit", remote_side="OrgUnit.id", back_populates="children")
    children = relationship("OrgUnit", back_populates="parent", order_by="(OrgUnit.sort, OrgUnit.name)")
    positions = relationship("Position", back_populates="org_unit")
    community = relationship("Community")
    grid = relationship("Grid")
    compound = relationship("Compound")
    company = relationship("PropertyCompany")
