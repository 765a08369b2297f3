"""/audit/: the street admin reads who changed what."""
from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from ..auth.models import STREET_ADMIN
from ..extensions import db
from ..forms import id_arg, page_arg
from ..scope import roles_required
from .models import AuditLog

bp = Blueprint("audit", __name__, url_prefix="/audit")

PAGE_SIZE = 50


@bp.route("/")
@roles_required(STREET_ADMIN)
def index():
    """Newest first; filter by entity, user or record id."""
    stmt = select(AuditLog)
    entity = request.args.get("entity", "").strip()
    username = request.args.get("user", "").strip()
    entity_id = id_arg(request.args, "id")
    if entity:
        stmt = stmt.where(AuditLog.entity == entity)
    if username:
        stmt = stmt.where(AuditLog.username == username)
    if entity_id:
        stmt = stmt.where(AuditLog.entity_id == entity_id)
    page = page_arg(request.args)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        stmt.order_by(AuditLog.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    entities = db.session.scalars(select(AuditLog.entity).distinct().order_by(AuditLog.entity)).all()
    return render_template(
        "audit/index.html", rows=rows, total=total, page=page, page_size=PAGE_SIZE, entities=entities,
        entity=entity, username=username,
    )
