"""Writes for cross-appointments and the gap view's questions."""

from sqlalchemy import or_, select

from ..audit.services import record
from ..clock import local_today
from ..compounds.models import Compound, OwnersCommittee
from ..extensions import db
from ..people.models import Person
from ..companies.access import linkable_companies
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


def gaps(day=None):
    """What still lacks a cross-appointment, within the user's place.

    - compounds served by a company with no active appointment of that company for the
      compound (or for its whole community, an appointment without a compound);
    - companies with no active appointment at all (staff: none in their community);
    - owners' and self-management committees whose party-member share is below 50%.
    """
    day = day or local_today()
    active = db.session.scalars(
        select(CrossAppointment).where(appointment_filter(), CrossAppointment.active(day))
    ).all()
    covered = set()
    for a in active:
        covered.add((a.company_id, "compound", a.compound_id) if a.compound_id else (a.company_id, "community", a.community_id))
    compounds = db.session.scalars(
        select(Compound).where(compound_filter(), Compound.company_id.is_not(None))
        .order_by(Compound.community_id, Compound.name)
    ).all()
    compound_gaps = [
        c for c in compounds
        if (c.company_id, "compound", c.id) not in covered and (c.company_id, "community", c.community_id) not in covered
    ]
    with_appointment = {a.company_id for a in active}
    # The companies in the user's scope (a street's: those serving its compounds or
    # registered by it; never the whole register of a many-street deployment).
    companies = linkable_companies()
    company_gaps = [c for c in companies if c.id not in with_appointment]
    committees = db.session.scalars(
        select(OwnersCommittee).join(Compound).where(compound_filter()).order_by(OwnersCommittee.name)
    ).all()
    committee_gaps = [c for c in committees if c.party_share < 0.5]
    served = {}
    for c in compounds:  # only the compounds the user may see, never another community's
        served.setdefault(c.company_id, []).append(c.name)
    return {"compounds": compound_gaps, "companies": company_gaps, "committees": committee_gaps,
            "active_count": len(active), "served": served}
