"""Writes for cross-appointments and the gap view's questions."""

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from ..audit.services import record
from ..clock import local_today
from ..companies.models import PropertyCompany
from ..compounds.models import Compound, OwnersCommittee
from ..extensions import db
from ..people.models import Person
from ..companies.access import company_filter
from ..dashboard.figures import red_committee_condition
from ..scope import compound_filter
from .access import appointment_filter
from .models import CrossAppointment


def save_appointment(appointment, data):
    """Create (appointment None) or update a cross-appointment from checked data."""
    if appointment is None:
        appointment = CrossAppointment()
        db.session.add(appointment)
    kind, org_id = data["community_side"]
    appointment.org_unit_id = org_id if kind == "unit" else None
    appointment.committee_id = org_id if kind == "committee" else None
    for key in ("person_id", "direction", "company_id", "community_id", "compound_id", "home_role", "host_role",
                "start_date", "end_date", "approval_document"):
        setattr(appointment, key, data[key])
    db.session.flush()
    return appointment


def end_appointment(appointment, end_date):
    if end_date < appointment.start_date:
        raise ValueError("结束日期不能早于开始日期。")
    appointment.end_date = end_date
    db.session.flush()
    record(db.session, "end", appointment, note=f"交叉任职于 {end_date.isoformat()} 结束")
    return appointment


GAPS_SHOWN = 100  # rows listed per kind of gap; the counts are of all


def gaps(day=None):
    """What still lacks a cross-appointment, within the user's place.

    - compounds served by a company with no active appointment of that company for the
      compound (or for its whole community, an appointment without a compound);
    - companies with no active appointment at all (staff: none in their community);
    - owners' and self-management committees whose party-member share is below 50%.

    Each kind is counted in SQL and its first GAPS_SHOWN rows listed (`compounds`,
    `companies`, `committees`; the counts `compound_count`, `company_count`,
    `committee_count`): the same few statements however many appointments and compounds
    the street has.
    """
    day = day or local_today()
    A = CrossAppointment
    active = and_(appointment_filter(), A.active(day))
    covering = select(A.id).where(active, A.company_id == Compound.company_id,
                                  or_(A.compound_id == Compound.id,
                                      and_(A.compound_id.is_(None), A.community_id == Compound.community_id)))
    compound_gap = and_(compound_filter(), Compound.company_id.is_not(None), ~covering.exists())
    company_gap = and_(company_filter(), ~select(A.id).where(active, A.company_id == PropertyCompany.id).exists())
    committee_gap = and_(compound_filter(), ~red_committee_condition())
    counts = db.session.execute(select(
        select(func.count()).select_from(A).where(active).scalar_subquery(),
        select(func.count()).select_from(Compound).where(compound_gap).scalar_subquery(),
        select(func.count()).select_from(PropertyCompany).where(company_gap).scalar_subquery(),
        select(func.count()).select_from(OwnersCommittee).join(Compound).where(committee_gap).scalar_subquery(),
    )).one()
    compounds = db.session.scalars(
        select(Compound).where(compound_gap).options(joinedload(Compound.community), joinedload(Compound.company))
        .order_by(Compound.community_id, Compound.name).limit(GAPS_SHOWN)).all()
    companies = db.session.scalars(
        select(PropertyCompany).where(company_gap).order_by(PropertyCompany.name).limit(GAPS_SHOWN)).all()
    committees = db.session.scalars(
        select(OwnersCommittee).join(Compound).where(committee_gap).options(contains_eager(OwnersCommittee.compound))
        .order_by(OwnersCommittee.name).limit(GAPS_SHOWN)).all()
    served = {}
    if companies:  # only the compounds the user may see, never another community's
        for company_id, name in db.session.execute(
                select(Compound.company_id, Compound.name)
                .where(compound_filter(), Compound.company_id.in_([c.id for c in companies]))
                .order_by(Compound.community_id, Compound.name)):
            served.setdefault(company_id, []).append(name)
    return {"compounds": compounds, "companies": companies, "committees": committees, "served": served,
            "active_count": counts[0], "compound_count": counts[1], "company_count": counts[2],
            "committee_count": counts[3], "shown": GAPS_SHOWN}
