"""Who may see and change property companies.

A company is registered once for the whole deployment and serves compounds in several
streets. Street admin (and district/city staff, read only): the companies serving the
compounds of its street, and those its street registered (`registered_street_id`: a new
company has no compound yet); only the street admin changes them. Company user: its own
company. Community staff and grid workers: the companies serving compounds they see.
Pickers that link something to a company (a person, a position, a cross-appointment)
offer the same companies (`linkable_companies`); the compound form's company picker
offers the whole register (`pick_stmt(purpose="compound")`), since a street must be able
to name a company another street registered.
"""
from flask_login import current_user
from sqlalchemy import exists, or_, select

from ..auth.models import COMPANY_USER, STREET_ADMIN
from ..compounds.models import Compound
from ..extensions import db
from ..scope import STREET_READERS, compound_filter, street_filter
from .models import PropertyCompany


def _serves(user):
    """SQL condition on PropertyCompany: it serves a compound the user sees. A correlated
    EXISTS, one index probe per company ((street_id, company_id) for a street), so a page
    read in name order stops at its last row and a lookup by id costs one probe; an IN
    list read every compound of the street for each statement."""
    return exists(select(Compound.id).where(Compound.company_id == PropertyCompany.id, compound_filter(user)))


def company_filter(user=None):
    """SQL condition on PropertyCompany: the companies the user may read."""
    user = user or current_user
    if user.role in STREET_READERS:
        return or_(_serves(user), street_filter(PropertyCompany.registered_street_id, user))
    if user.role == COMPANY_USER:
        return PropertyCompany.id == user.company_id
    return _serves(user)


def visible_companies(user=None):
    return db.session.scalars(
        select(PropertyCompany).where(company_filter(user)).order_by(PropertyCompany.name)).all()


def linkable_companies(user=None):
    """Companies the user may link a person, a position or an appointment to."""
    return visible_companies(user)


def can_edit(company=None, user=None):
    """Creating and changing companies: the street admin."""
    user = user or current_user
    return user.role == STREET_ADMIN


def pick_stmt(user=None, purpose=None):
    """The companies a picker may offer (webapp/picker.py): id and name, as `company_filter`.
    `purpose="compound"`: any registered company, for those who write compounds (a
    compound may be served by a company that serves nothing of theirs yet)."""
    from ..auth.models import COMMUNITY_STAFF

    user = user or current_user
    stmt = select(PropertyCompany.id, PropertyCompany.name)
    if purpose == "compound" and user.role in (STREET_ADMIN, COMMUNITY_STAFF):
        return stmt
    return stmt.where(company_filter(user))


def linkable_ids(user=None):
    """SELECT of the ids of `linkable_companies`, for use inside other statements."""
    return select(PropertyCompany.id).where(company_filter(user))
