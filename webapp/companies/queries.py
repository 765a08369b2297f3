"""Which property companies the signed-in user may see."""
from flask_login import current_user
from sqlalchemy import select, true

from ..auth.models import COMPANY_USER
from ..compounds.models import Compound
from ..scope import compound_filter
from .models import PropertyCompany


def company_filter(user=None):
    """Street admin: every company; a company user: their own; others: the companies
    serving compounds they see."""
    user = user or current_user
    if user.is_street_admin:
        return true()
    if user.role == COMPANY_USER:
        return PropertyCompany.id == user.company_id
    return PropertyCompany.id.in_(select(Compound.company_id).where(compound_filter(user), Compound.company_id.is_not(None)))
