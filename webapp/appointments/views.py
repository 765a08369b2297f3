"""/appointments/: cross-appointments and the gaps."""
from flask import Blueprint, render_template
from sqlalchemy import select

from ..extensions import db
from ..scope import STAFF_ROLES, community_filter, roles_required
from .models import CrossAppointment

bp = Blueprint("appointments", __name__, url_prefix="/appointments")


@bp.route("/")
@roles_required(*STAFF_ROLES)
def index():
    rows = db.session.scalars(
        select(CrossAppointment).where(community_filter(CrossAppointment.community_id)).order_by(CrossAppointment.start_date.desc())
    ).all()
    return render_template("appointments/index.html", rows=rows)
