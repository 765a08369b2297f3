"""Property-service companies, their party organisation and the credit-code rule."""
from typing import Optional

from sqlalchemy import ForeignKey, String, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import Entity

PARTY_ORG_FORMS = {
    "own": "单独组建",
    "joint": "联合组建",
    "affiliated": "挂靠组建",
    "instructor": "选派党建指导员",
    "none": "尚未建立",
}


class PropertyCompany(Entity):
    """A property-service company (物业服务企业)."""

    __tablename__ = "property_company"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    # The street that registered the company (it sees the company before any of its
    # compounds is served by it); other streets see it once it serves their compounds.
    registered_street_id: Mapped[Optional[int]] = mapped_column(ForeignKey("street.id"), index=True)
    contact_person: Mapped[str] = mapped_column(String(64), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    staff_count: Mapped[int] = mapped_column(default=0)
    party_members: Mapped[int] = mapped_column(default=0)
    party_org_form: Mapped[str] = mapped_column(String(16), default="none")
    party_org_name: Mapped[str] = mapped_column(String(120), default="")
    instructor_name: Mapped[Optional[str]] = mapped_column(String(64))

    compounds = relationship("Compound", back_populates="company", order_by="Compound.name")

    @property
    def party_org_label(self):
        return PARTY_ORG_FORMS.get(self.party_org_form, self.party_org_form)

    @classmethod
    def breaks_rule(cls):
        """SQL condition: the company breaks the street's rule (as `rule_problem` says),
        so lists count and filter breakers in the database, not in Python."""
        return or_(
            and_(cls.party_members >= 3, cls.party_org_form.not_in(("own", "joint", "affiliated"))),
            and_(cls.party_members < 3, cls.party_org_form == "none"),
            and_(cls.party_org_form == "instructor", or_(cls.instructor_name.is_(None), cls.instructor_name == "")),
        )

    @property
    def rule_problem(self):
        """The street's rule (seed 001): three or more party members form their own
        organisation (单独/联合/挂靠组建); fewer get a dispatched instructor. Returns a
        Chinese sentence naming the breach, or None."""
        if self.party_members >= 3 and self.party_org_form not in ("own", "joint", "affiliated"):
            return f"有党员{self.party_members}名，应成立党组织"
        if self.party_members < 3 and self.party_org_form == "none":
            return f"党员不足3名（{self.party_members}名），应选派党建指导员"
        if self.party_org_form == "instructor" and not self.instructor_name:
            return "已选派党建指导员，但未登记姓名"
        return None
