"""/ (the dashboard) and /healthz."""

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from ..appointments.access import appointment_filter
from ..appointments.models import CrossAppointment
from ..clock import local_today
from ..companies.access import company_filter
from ..companies.models import PropertyCompany
from ..compounds.models import Building, Community, Compound, Street
from ..extensions import db
from ..scope import community_filter, compound_filter, current_street_id

bp = Blueprint("dashboard", __name__)


def street_counts():
    """The street's headline figures, limited to what the user may see."""
    visible = select(Compound.id).where(compound_filter())
    count = lambda stmt: db.session.scalar(stmt) or 0  # noqa: E731
    companies = select(PropertyCompany.id).where(company_filter())
    return {
        "communities": count(select(func.count()).select_from(Community).where(community_filter(Community.id))),
        "compounds": count(select(func.count()).select_from(Compound).where(compound_filter())),
        "buildings": count(select(func.count()).select_from(Building).where(Building.compound_id.in_(visible))),
        "households": count(select(func.sum(Building.households)).where(Building.compound_id.in_(visible))),
        "stewards": count(
            select(func.count()).select_from(Building).where(
                Building.compound_id.in_(visible), Building.steward_id.is_not(None)
            )
        ),
        "companies": count(select(func.count()).select_from(PropertyCompany).where(PropertyCompany.id.in_(companies))),
        "companies_with_org": count(
            select(func.count()).select_from(PropertyCompany).where(
                PropertyCompany.id.in_(companies),
                PropertyCompany.party_org_form.in_(("own", "joint", "affiliated")),
            )
        ),
        "appointments": count(
            select(func.count()).select_from(CrossAppointment).where(
                appointment_filter(), CrossAppointment.active()
            )
        ),
    }


def coverage():
    """红色物业 coverage against the street's target: a compound is covered when its
    property company has a party organisation or an instructor, or its owners'
    committee / 自管会 has party members; a community when all its compounds are."""
    compounds = db.session.scalars(
        select(Compound).where(compound_filter()).options(
            selectinload(Compound.company), selectinload(Compound.committees), selectinload(Compound.community)
        )
    ).all()
    by_community = {}
    for c in compounds:
        red_company = c.company is not None and c.company.party_org_form != "none"
        red_committee = any(k.party_members > 0 for k in c.committees)
        by_community.setdefault(c.community, []).append((c, red_company or red_committee))
    rows = []
    for community, items in sorted(by_community.items(), key=lambda kv: kv[0].name):
        covered = sum(1 for _, ok in items if ok)
        rows.append({
            "community": community, "covered": covered, "total": len(items),
            "missing": [c.name for c, ok in items if not ok],
        })
    street = db.session.get(Street, current_street_id()) if current_street_id() else None
    target = street.coverage_target_date if street else None
    return {
        "rows": rows,
        "communities_covered": sum(1 for r in rows if r["covered"] == r["total"]),
        "compounds_covered": sum(r["covered"] for r in rows),
        "compounds": sum(r["total"] for r in rows),
        "target": target,
        "days_left": (target - local_today()).days if target else None,
    }


@bp.route("/")
@login_required
def index():
    return render_template("dashboard/index.html", counts=street_counts(), coverage=coverage())


@bp.route("/healthz")
def healthz():
    """The database answers (503 when it does not), and the schema revision it is at."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    try:
        revision = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
    except Exception:  # reachable but not upgraded yet
        db.session.rollback()
        revision = []
    return jsonify(status="ok", database="ok", schema_revision=sorted(revision))
