"""Look-ups the request pages share: a request in scope or 404, and the choices of the
forms (each through the access rules)."""
from flask import abort
from sqlalchemy import select

from ... import picker
from ...compounds import access as compound_access
from ...compounds.models import Compound
from ...extensions import db
from ...scope import current_street_id, get_scoped_or_404
from .. import access
from ..models import RequestCategory, RequestDepartment, ResidentRequest


def get_request(request_id):
    """The request if the signed-in user may read it, else 404."""
    return get_scoped_or_404(select(ResidentRequest).where(ResidentRequest.id == request_id, access.request_filter()))


def categories(active_only=True):
    stmt = select(RequestCategory).where(access.category_filter())
    if active_only:
        stmt = stmt.where(RequestCategory.active.is_(True))
    return db.session.scalars(stmt.order_by(RequestCategory.sort_order, RequestCategory.name)).all()


def departments(active_only=True):
    stmt = select(RequestDepartment).where(access.department_filter())
    if active_only:
        stmt = stmt.where(RequestDepartment.active.is_(True))
    return db.session.scalars(stmt.order_by(RequestDepartment.name)).all()


def compound_allowed(compound_id):
    """Whether the user may record a request at `compound_id`: one of its compounds in
    the current street (one statement, not the list)."""
    if compound_id is None:
        return False
    stmt = compound_access.pick_stmt().where(Compound.street_id == current_street_id())
    return picker.exists(stmt, Compound.id, compound_id)


def compound_or_404(compound_id):
    if not compound_allowed(compound_id):
        abort(404)
    return db.session.get(Compound, compound_id)


def street_id():
    return current_street_id()
