"""Writes for cross-appointments and the gap view's questions."""

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from .. import figures_cache
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
ACTIVE_CAP = 1000  # active appointments are counted up to here ("超过 1000 条")


def gaps(day=None, listed=True):
    """What still lacks a cross-appointment, within the user's place.

    - compounds served by a company with no active appointment of that company for the
      compound (or for its whole community, an appointment without a compound);
    - companies with no active appointment at all (staff: none in their community);
    - owners' and self-management committees whose party-member share is below 50%.

    Each kind is counted in SQL (`compound_count`, `company_count`, `committee_count`)
    and its first GAPS_SHOWN rows listed (`compounds`, `companies`, `committees`), the
    count read with the list in one statement (a window count). Not `listed` (the
    structure page's summary line): the compound and company counts only. The active
    appointments are counted up to ACTIVE_CAP (`active_count`, `active_capped`).
    The same few statements however many appointments and compounds the street has.
    Each compound and company is checked by one look-up in the index of its company's
    appointments (ix_cross_appointment_company_street_start, which holds every column the
    check reads), so the work follows the compounds and companies in the user's place,
    not the appointments.
    """
    day = day or local_today()
    figures = figures_cache.kept(("appointment_gaps", _viewer_key(), day, listed), lambda: _gap_figures(day, listed))
    out = {k: v for k, v in figures.items() if not k.endswith("_ids")}
    if not listed:
        return out
    compounds = _in_order(select(Compound).options(joinedload(Compound.community), joinedload(Compound.company)),
                          Compound.id, figures["compound_ids"])
    companies = _in_order(select(PropertyCompany), PropertyCompany.id, figures["company_ids"])
    committees = _in_order(select(OwnersCommittee).options(joinedload(OwnersCommittee.compound)),
                           OwnersCommittee.id, figures["committee_ids"])
    served = {}
    if companies:  # only the compounds the user may see, never another community's
        for company_id, name in db.session.execute(
                select(Compound.company_id, Compound.name)
                .where(compound_filter(), Compound.company_id.in_([c.id for c in companies]))
                .order_by(Compound.community_id, Compound.name)):
            served.setdefault(company_id, []).append(name)
    out.update(compounds=compounds, companies=companies, committees=committees, served=served)
    return out


def _viewer_key():
    """Whose gaps: the signed-in account (its place and role decide what it sees; a
    change to either is an audited write, which drops the kept figures)."""
    from flask_login import current_user

    return getattr(current_user, "id", None), getattr(current_user, "role", None)


def _gap_figures(day, listed):
    """The counts and the first GAPS_SHOWN ids of each kind (plain numbers, which
    `figures_cache` keeps until the next write: at 10,000 compounds the check costs
    ~10 ms however few rows the page shows)."""
    A = CrossAppointment
    active = and_(appointment_filter(), A.active(day))
    covering = select(A.id).where(active, A.company_id == Compound.company_id,
                                  or_(A.compound_id == Compound.id,
                                      and_(A.compound_id.is_(None), A.community_id == Compound.community_id)))
    compound_gap = and_(compound_filter(), Compound.company_id.is_not(None), ~covering.exists())
    company_gap = and_(company_filter(), ~select(A.id).where(active, A.company_id == PropertyCompany.id).exists())
    committee_gap = and_(compound_filter(), ~red_committee_condition())
    active_rows = select(A.id).where(active).limit(ACTIVE_CAP + 1).subquery()
    counted = [select(func.count()).select_from(active_rows).scalar_subquery()]
    if not listed:
        counted += [
            select(func.count()).select_from(Compound).where(compound_gap).scalar_subquery(),
            select(func.count()).select_from(PropertyCompany).where(company_gap).scalar_subquery(),
        ]
    counts = db.session.execute(select(*counted)).one()
    out = {"active_count": min(counts[0], ACTIVE_CAP), "active_capped": counts[0] > ACTIVE_CAP, "shown": GAPS_SHOWN}
    if not listed:
        out.update(compound_count=counts[1], company_count=counts[2])
        return out
    total = func.count().over()
    compound_rows = db.session.execute(
        select(Compound.id, total).where(compound_gap)
        .order_by(Compound.community_id, Compound.name, Compound.id).limit(GAPS_SHOWN)).all()
    company_rows = db.session.execute(
        select(PropertyCompany.id, total).where(company_gap)
        .order_by(PropertyCompany.name, PropertyCompany.id).limit(GAPS_SHOWN)).all()
    committee_rows = db.session.execute(
        select(OwnersCommittee.id, total).join(Compound).where(committee_gap)
        .order_by(OwnersCommittee.name, OwnersCommittee.id).limit(GAPS_SHOWN)).all()
    out.update(compound_ids=[r[0] for r in compound_rows], company_ids=[r[0] for r in company_rows],
               committee_ids=[r[0] for r in committee_rows], compound_count=_total(compound_rows),
               company_count=_total(company_rows), committee_count=_total(committee_rows))
    return out


def _total(rows):
    """The window count read with a list's first rows (0 when nothing matched)."""
    return rows[0][1] if rows else 0


def _in_order(stmt, id_col, ids):
    """The objects of the listed ids, in the list's order (one statement)."""
    by_id = {getattr(o, id_col.key): o for o in db.session.scalars(stmt.where(id_col.in_(ids))).unique()}
    return [by_id[i] for i in ids if i in by_id]
