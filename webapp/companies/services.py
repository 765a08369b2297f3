"""Writes for property companies: change the object and flush; the view commits and
the audit hook records the change."""
import logging

from flask_login import current_user

from ..extensions import db
from .models import PropertyCompany

log = logging.getLogger(__name__)


def _apply(company, form):
    company.name = form.name.data
    company.credit_code = form.credit_code.data
    company.contact_person = form.contact_person.data or ""
    company.contact_phone = form.contact_phone.data or ""
    company.staff_count = form.staff_count.data
    company.party_members = form.party_members.data
    company.party_org_form = form.party_org_form.data
    company.party_org_name = form.party_org_name.data or ""
    company.instructor_name = form.instructor_name.data or None


def create_company(form):
    """A new company from a validated CompanyForm."""
    from ..scope import current_street_id

    company = PropertyCompany(registered_street_id=current_street_id())
    _apply(company, form)
    db.session.add(company)
    db.session.flush()
    log.info("Company %r created by %s", company, current_user.username)
    return company


def update_company(company, form):
    """Change a company from a validated CompanyForm (the version column guards races)."""
    _apply(company, form)
    db.session.flush()
    log.info("Company %r updated by %s", company, current_user.username)
    return company
