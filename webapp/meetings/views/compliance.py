"""/meetings/compliance: 三会三公开 compliance by compound and period."""

from flask import render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...clock import local_today
from ...compounds.models import Compound
from ...extensions import db
from ...forms import id_arg
from ...scope import STAFF_ROLES, compound_filter, roles_required
from .. import services
from . import bp


@bp.route("/compliance")
@roles_required(*STAFF_ROLES)
def compliance():
    period = request.args.get("period") if request.args.get("period") in ("month", "quarter") else "month"
    today = local_today()
    year = id_arg(request.args, "year") or today.year
    default_n = today.month if period == "month" else (today.month - 1) // 3 + 1
    number = id_arg(request.args, "n") or default_n
    if not (2000 <= year <= 2100) or not (1 <= number <= (12 if period == "month" else 4)):
        year, number = today.year, default_n
    compounds = db.session.scalars(
        select(Compound).where(compound_filter()).options(selectinload(Compound.community))
        .order_by(Compound.community_id, Compound.name)
    ).all()
    requirements, rows = services.compliance(compounds, period, year, number)
    gaps = sum(1 for _, cells in rows for _, _, met, _ in cells if not met)
    return render_template("meetings/compliance.html", requirements=requirements, rows=rows, period=period,
                           year=year, number=number, gaps=gaps)
