"""The 红色物业 coverage rule and the company party-organisation rule, in SQL, once.

The street's dashboard (`dashboard.views.coverage`) and the district's street-by-street
page (`district.figures`) both count through these functions, so the two pages cannot
disagree on what "covered" means.

- A compound is covered when its property company has a party organisation (单独/联合/挂靠
  组建) or a dispatched instructor, or one of its owners' committees / 自管会 has party
  members.
- A community is covered when all of its compounds are.
"""
from sqlalchemy import case, exists, func, or_, select

from ..companies.models import PropertyCompany
from ..extensions import db
from .models import Compound, OwnersCommittee

# Party-organisation forms that count: own organisation (单独/联合/挂靠组建) or an instructor.
RED_COMPANY_FORMS = ("own", "joint", "affiliated", "instructor")


def company_is_red(company=PropertyCompany):
    """SQL: the company has its own party organisation or an instructor."""
    return company.party_org_form.in_(RED_COMPANY_FORMS)


def _red_committee():
    """SQL: the committee has party members."""
    return OwnersCommittee.party_members > 0


def compound_covered(compound=Compound):
    """SQL: the compound is under 红色物业 (see the module docstring), as a condition on
    one compound row (the dashboard's list)."""
    red_company = exists(select(PropertyCompany.id).where(
        PropertyCompany.id == compound.company_id, company_is_red()))
    red_committee = exists(select(OwnersCommittee.id).where(
        OwnersCommittee.compound_id == compound.id, _red_committee()))
    return or_(red_company, red_committee)


def covered_joined(stmt):
    """The same rule for aggregating many compounds: `stmt` (a select from Compound) joined
    to the company and to the compounds with a red committee; returns (stmt, 1/0 column).
    Joins instead of a subquery per row, so a city's 10,000 compounds cost one hash join."""
    red_committees = (select(OwnersCommittee.compound_id).where(_red_committee())
                      .group_by(OwnersCommittee.compound_id).subquery("red_committee"))
    stmt = (stmt.outerjoin(PropertyCompany, PropertyCompany.id == Compound.company_id)
            .outerjoin(red_committees, red_committees.c.compound_id == Compound.id))
    flag = case((or_(company_is_red(), red_committees.c.compound_id.is_not(None)), 1), else_=0)
    return stmt, flag


def covered_flag(compound=Compound):
    """SQL: 1 when the compound is covered, else 0 (for sums)."""
    return case((compound_covered(compound), 1), else_=0)


def coverage_by_street(street_ids):
    """{street_id: {"compounds", "covered", "communities", "communities_covered"}} in one
    statement: each community's compounds and covered compounds, then summed per street.
    Communities without compounds are not counted (as on the dashboard)."""
    if not street_ids:
        return {}
    base, flag = covered_joined(select(Compound.street_id.label("street_id"),
                                      Compound.community_id.label("community_id")).select_from(Compound))
    per_community = (
        base.add_columns(func.count(Compound.id).label("total"), func.sum(flag).label("covered"))
        .where(Compound.street_id.in_(street_ids))
        .group_by(Compound.street_id, Compound.community_id)
    ).subquery()
    rows = db.session.execute(
        select(per_community.c.street_id, func.sum(per_community.c.total), func.sum(per_community.c.covered),
               func.count(), func.sum(case((per_community.c.covered == per_community.c.total, 1), else_=0)))
        .group_by(per_community.c.street_id)
    ).all()
    return {sid: {"compounds": int(total or 0), "covered": int(covered or 0), "communities": int(n or 0),
                  "communities_covered": int(full or 0)}
            for sid, total, covered, n, full in rows}


def red_companies_by_street(street_ids):
    """{street_id: (companies serving the street's compounds, of which red)} in one statement."""
    if not street_ids:
        return {}
    rows = db.session.execute(
        select(Compound.street_id, func.count(func.distinct(PropertyCompany.id)),
               func.count(func.distinct(case((company_is_red(), PropertyCompany.id)))))
        .select_from(Compound)
        .join(PropertyCompany, PropertyCompany.id == Compound.company_id)
        .where(Compound.street_id.in_(street_ids))
        .group_by(Compound.street_id)
    ).all()
    return {sid: (int(total), int(red)) for sid, total, red in rows}


__all__ = ["RED_COMPANY_FORMS", "company_is_red", "compound_covered", "covered_flag", "coverage_by_street",
           "red_companies_by_street"]
