"""Who may see and handle residents' requests, and how the resident's phone shows.

- Street admin: every request (handles any). Community staff: their community's.
- Grid worker: the requests of its grid's compounds only (a request naming no compound
  is the community's to sort out), and it handles those.
- Nobody else.
The resident's phone: in full for the staff responsible — the community's staff and the
grid worker of the request's compound; masked (138****8000) for the street admin, who may
unmask it with one audited click.
"""
from flask import url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import COMMUNITY_STAFF, GRID_WORKER
from ..extensions import db
from ..phones import FULL, HIDDEN, MASKED, PhoneView
from ..scope import STAFF_ROLES, can_change_place, compound_in_grid, place_filter
from .models import ResidentRequest


def request_filter(user=None):
    """SQL condition on ResidentRequest: the requests the user may read."""
    return place_filter(ResidentRequest.community_id, ResidentRequest.compound_id, user, community_wide=False,
                        street_col=ResidentRequest.street_id)


def can_read(item, user=None):
    user = user or current_user
    return db.session.scalar(
        select(ResidentRequest.id).where(ResidentRequest.id == item.id, request_filter(user))) is not None


def can_handle(item, user=None):
    return can_change_place(item.community_id, item.compound_id, user)


def is_responsible(item, user=None):
    user = user or current_user
    if user.role == COMMUNITY_STAFF:
        return item.community_id == user.community_id
    if user.role == GRID_WORKER:
        return compound_in_grid(item.compound_id, user)
    return False


def phone_view(item, user=None):
    user = user or current_user
    if is_responsible(item, user):
        return PhoneView(FULL, item.phone or "")
    if user.role in STAFF_ROLES and can_read(item, user):
        return PhoneView(MASKED, item.phone or "", url_for("requests.phone", request_id=item.id))
    return PhoneView(HIDDEN, item.phone or "")
