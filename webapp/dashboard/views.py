"""/ (the dashboard) and /healthz."""
from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select, text

from ..appointments.models import CrossAppointment
from ..companies.models import PropertyCompany
from ..compounds.models import Building, Community, Compound
from ..extensions import db
from ..scope import community_filter, compound_filter

bp = Blueprint("dashboard", __name__)


def street_counts():
    """The street's headline figures, limited to what the user may see."""
    visible = select(Compound.id).where(compound_filter())
    count = lambda stmt: db.session.scalar(stmt) or 0  # noqa: E731
    companies = select(Compound.company_id).where(compound_filter(), Compound.company_id.is_not(None))
    if current_user.is_street_admin:
        companies = select(PropertyCompany.id)
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
                community_filter(CrossAppointment.community_id), CrossAppointment.end_date.is_(None)
            )
        ),
    }


@bp.route("/")
@login_required
def index():
    return render_template("dashboard/index.html", counts=street_counts())


@bp.route("/healthz")
def healthz():
    """Liveness plus the schema revision the database is at."""
    try:
        revision = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
    except Exception:
        db.session.rollback()
        revision = []
    return jsonify(status="ok", schema_revision=sorted(revision))
