"""/compounds/: compounds and their buildings, scoped to the user's place."""
from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..scope import STAFF_ROLES, compound_filter, get_scoped_or_404, roles_required
from .models import Compound

bp = Blueprint("compounds", __name__, url_prefix="/compounds")
READERS = STAFF_ROLES + ("company_user",)


@bp.route("/")
@roles_required(*READERS)
def index():
    compounds = db.session.scalars(
        select(Compound).where(compound_filter())
        .options(selectinload(Compound.community), selectinload(Compound.company))
        .order_by(Compound.community_id, Compound.name)
    ).all()
    return render_template("compounds/index.html", compounds=compounds)


@bp.route("/<int:compound_id>")
@roles_required(*READERS)
def detail(compound_id):
    compound = get_scoped_or_404(select(Compound).where(Compound.id == compound_id, compound_filter()))
    return render_template("compounds/detail.html", compound=compound)
