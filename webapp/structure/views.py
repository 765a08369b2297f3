"""/structure/: the organisation tree."""
from flask import Blueprint, render_template
from sqlalchemy import select

from ..extensions import db
from ..scope import STAFF_ROLES, roles_required
from .models import OrgUnit

bp = Blueprint("structure", __name__, url_prefix="/structure")


@bp.route("/")
@roles_required(*STAFF_ROLES)
def index():
    roots = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.name)).all()
    return render_template("structure/index.html", roots=roots)
