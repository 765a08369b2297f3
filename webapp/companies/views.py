"""/companies/: property companies and their party organisation."""
from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from ..compounds.models import Compound
from ..extensions import db
from ..scope import STAFF_ROLES, compound_filter, get_scoped_or_404, roles_required
from .models import PropertyCompany

bp = Blueprint("companies", __name__, url_prefix="/companies")
READERS = STAFF_ROLES + ("company_user",)


def company_filter(user=None):
    """Street admin: every company; others: companies serving compounds they see."""
    user = user or current_user
    if user.is_street_admin:
        return PropertyCompany.id.is_not(None)
    return PropertyCompany.id.in_(select(Compound.company_id).where(compound_filter(user)))


@bp.route("/")
@roles_required(*READERS)
def index():
    companies = db.session.scalars(select(PropertyCompany).where(company_filter()).order_by(PropertyCompany.name)).all()
    return render_template("companies/index.html", companies=companies)


@bp.route("/<int:company_id>")
@roles_required(*READERS)
def detail(company_id):
    company = get_scoped_or_404(select(PropertyCompany).where(PropertyCompany.id == company_id, company_filter()))
    return render_template("companies/detail.html", company=company)
