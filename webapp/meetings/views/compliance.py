"""/meetings/compliance: 三会三公开 compliance by compound and period, a page of compounds at a time."""

from flask import render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...clock import local_today
from ...compounds.models import Compound
from ...extensions import db
from ...forms import id_arg, page_arg
from ...paging import bounded_count
from ...scope import STAFF_ROLES, compound_filter, roles_required
from .. import services
from . import bp

PAGE_SIZE = 50  # compounds a page: the page reads only their meetings


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
    page = page_arg(request.args)
    stmt = select(Compound).where(compound_filter())
    total, capped = bounded_count(stmt, Compound.id, page, PAGE_SIZE)
    compounds = db.session.scalars(
        stmt.options(selectinload(Compound.community)).order_by(Compound.community_id, Compound.name, Compound.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    requirements, rows = services.compliance(compounds, period, year, number)
    gaps = sum(1 for _, cells in rows for _, _, met, _ in cells if not met)
    return render_template("meetings/compliance.html", requirements=requirements, rows=rows, period=period,
                           year=year, number=number, gaps=gaps, page=page, total=total, capped=capped,
                           page_size=PAGE_SIZE, paged=total > PAGE_SIZE)
