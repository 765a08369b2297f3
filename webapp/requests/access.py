"""Who may see and move residents' requests, and how the resident's phone shows.

Reading (everything else answers 404, for reads and writes alike):
- Street admin: every request of their street; district and city staff read the street
  they view (and move nothing).
- Community staff: their community's requests.
- Grid worker: the requests of its grid's compounds only (a request naming no compound
  is the community's to sort out).
- Company user: the requests assigned to their company, at the compounds it serves.
- Nobody else.

Moving (`actor`): the staff responsible (the street admin of the street, the community's
staff, the grid worker of the compound's grid) take every step; the assignee (the
company's users for a company's request) accepts, writes progress and resolves; which
step leads where is `rules.py`.

The resident's phone: in full for the staff responsible in the community and grid and for
the assignee; masked (138****8000) for the street admin, who may unmask it with one
audited click.
"""
from flask import url_for
from flask_login import current_user
from sqlalchemy import and_, false, select

from ..auth.models import CITY_STAFF, COMMUNITY_STAFF, COMPANY_USER, DISTRICT_STAFF, GRID_WORKER, STREET_ADMIN
from ..extensions import db
from ..phones import FULL, HIDDEN, MASKED, PhoneView
from ..scope import ABOVE_STREET, STAFF_ROLES, compound_in_grid, grid_compound_ids, served_compound_ids, street_filter
from .models import RequestCategory, RequestDepartment, ResidentRequest, StreetDayOff

INBOX_ROLES = STAFF_ROLES + (COMPANY_USER,)


def request_filter(user=None):
    """SQL condition on ResidentRequest: the requests the user may read."""
    user = user or current_user
    street = street_filter(ResidentRequest.street_id, user)
    if user.role in (STREET_ADMIN, DISTRICT_STAFF, CITY_STAFF):  # district and city staff read, never move
        return street
    if user.role == COMMUNITY_STAFF:
        return and_(street, ResidentRequest.community_id == user.community_id)
    if user.role == GRID_WORKER:
        return and_(street, ResidentRequest.compound_id.in_(grid_compound_ids(user)))
    if user.role == COMPANY_USER and user.company_id is not None:
        # The compounds the company serves already confine it to their streets (and a
        # street condition here would steer SQLite away from the company's index).
        return and_(ResidentRequest.assignee_kind == "company",
                    ResidentRequest.assignee_company_id == user.company_id,
                    ResidentRequest.compound_id.in_(served_compound_ids(user)))
    return false()


def can_read(item, user=None):
    user = user or current_user
    return db.session.scalar(
        select(ResidentRequest.id).where(ResidentRequest.id == item.id, request_filter(user))) is not None


def is_responsible(item, user=None):
    """The staff responsible for the request: they take every step of its life."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return item.street_id == _street(user)
    if user.role == COMMUNITY_STAFF:
        return item.community_id == user.community_id
    if user.role == GRID_WORKER:
        return compound_in_grid(item.compound_id, user)
    return False


def is_assignee(item, user=None):
    """The company user whose company must handle the request (at a compound it serves)."""
    user = user or current_user
    return (user.role == COMPANY_USER and item.assignee_kind == "company" and user.company_id is not None
            and item.assignee_company_id == user.company_id and can_read(item, user))


def actor(item, user=None):
    """"staff", "assignee" or None: the part the user plays in `rules.check`."""
    user = user or current_user
    if is_responsible(item, user):
        return "staff"
    if is_assignee(item, user):
        return "assignee"
    return None


def can_handle(item, user=None):
    return actor(item, user) is not None


def can_record(user=None):
    """Recording a request for a resident (/requests/new): the street's staff."""
    user = user or current_user
    return user.role in STAFF_ROLES


def can_edit_settings(user=None):
    """Categories, departments and days off are the street's to set."""
    user = user or current_user
    return user.role == STREET_ADMIN


def _street(user):
    from ..scope import current_street_id

    return current_street_id(user)


def category_filter(user=None):
    return street_filter(RequestCategory.street_id, user or current_user)


def department_filter(user=None):
    return street_filter(RequestDepartment.street_id, user or current_user)


def day_off_filter(user=None):
    return street_filter(StreetDayOff.street_id, user or current_user)


def phone_view(item, user=None):
    user = user or current_user
    if (is_responsible(item, user) and user.role != STREET_ADMIN) or is_assignee(item, user):
        return PhoneView(FULL, item.phone or "")
    if user.role in STAFF_ROLES and can_read(item, user):
        return PhoneView(MASKED, item.phone or "", url_for("requests.phone", request_id=item.id))
    if user.role in ABOVE_STREET and can_read(item, user):
        return PhoneView(MASKED, item.phone or "")
    return PhoneView(HIDDEN, item.phone or "")


def linked_to_meeting(meeting, user=None):
    """The requests on a meeting's agenda (提交议事) that the user may read: the meeting page
    lists them. A corrected version of the minutes shows the requests of the whole lineage."""
    ids = {meeting.id}
    previous = getattr(meeting, "previous_id", None)
    if previous:
        ids.add(previous)
    return db.session.scalars(select(ResidentRequest).where(
        ResidentRequest.meeting_id.in_(ids), request_filter(user)).order_by(ResidentRequest.id).limit(50)).all()
