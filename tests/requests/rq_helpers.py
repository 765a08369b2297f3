"""Helpers the requests tests share: the demo's categories and compounds by name, and a
staff user's posting of a step."""
from sqlalchemy import select

from conftest import csrf_from
from webapp.extensions import db


def category(name, at=None):
    """The category `name` of the street of compound `at` (each street has its own), or
    the first of that name."""
    from webapp.requests.models import RequestCategory

    stmt = select(RequestCategory).where(RequestCategory.name == name)
    if at is not None:
        stmt = stmt.where(RequestCategory.street_id == compound(at).street_id)
    return db.session.scalar(stmt.order_by(RequestCategory.id).limit(1))


def compound(name):
    from webapp.compounds.models import Compound

    return db.session.scalar(select(Compound).where(Compound.name == name))


def fresh(request_id):
    """The request as the database holds it now (a stale snapshot would lie)."""
    from webapp.requests.models import ResidentRequest

    db.session.rollback()
    return db.session.get(ResidentRequest, request_id)


def step(client, request_id, action, token_from=None, **data):
    """POST one step of the request's life with the current version and a fresh CSRF token
    (from the request's page, or `token_from` when the user cannot open it)."""
    item = fresh(request_id)
    token = csrf_from(client.get(token_from or f"/requests/{request_id}").get_data(as_text=True))
    return client.post(f"/requests/{request_id}/act/{action}",
                       data={"csrf_token": token, "version": item.version, **data},
                       content_type="multipart/form-data")


def record(client, compound_name, category_name, text, **extra):
    """Record a request at /requests/new as the signed-in staff user; the response."""
    token = csrf_from(client.get("/requests/new").get_data(as_text=True))
    data = {"csrf_token": token, "compound_id": compound(compound_name).id, "category_id": category(category_name, compound_name).id,
            "source": "grid_patrol", "urgency": "normal", "text": text, "name": "", "phone": ""}
    data.update(extra)
    return client.post("/requests/new", data=data, content_type="multipart/form-data")


def latest():
    from webapp.requests.models import ResidentRequest

    db.session.rollback()
    return db.session.scalars(select(ResidentRequest).order_by(ResidentRequest.id.desc()).limit(1)).first()
