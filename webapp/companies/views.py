"""/companies/: property companies, their party organisation and the street's rule
"three or more party members → own party organisation, otherwise an instructor".

Everyone but resident representatives reads the companies in their scope (a company
user: only their own); only the street admin creates and edits.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth.models import COMPANY_USER, STREET_ADMIN
from ..compounds.models import Building, Compound
from ..audit.services import record_export
from ..excel import xlsx_response
from ..extensions import db
from ..forms import page_arg, save_or_conflict
from ..paging import bounded_count
from ..scope import STAFF_ROLES, compound_filter, get_scoped_or_404, roles_required
from ..search import matches
from . import services
from .forms import CompanyForm, CreditCodeForm
from .models import PropertyCompany
from .access import company_filter

bp = Blueprint("companies", __name__, url_prefix="/companies")
READERS = STAFF_ROLES + (COMPANY_USER,)
PAGE_SIZE = 50

__all__ = ["bp", "company_filter"]


def _companies_stmt(q="", breakers=False, org=False):
    """The companies in scope, optionally by name or code (`q`), those breaking the party
    rule (`breakers`, in SQL), or those with a party organisation or an instructor (`org`,
    the dashboard's figure)."""
    stmt = select(PropertyCompany).where(company_filter()).order_by(PropertyCompany.name)
    if org:
        stmt = stmt.where(PropertyCompany.party_org_form != "none")
    if q:
        stmt = stmt.where(matches(q, PropertyCompany.name, PropertyCompany.credit_code))
    if breakers:
        stmt = stmt.where(PropertyCompany.breaks_rule())
    return stmt


def _companies(q="", breakers=False, org=False):
    return db.session.scalars(_companies_stmt(q, breakers, org)).all()


def _served_counts(company_ids):
    """Compounds each company serves, counted inside the user's scope."""
    if not company_ids:
        return {}
    return dict(db.session.execute(
        select(Compound.company_id, func.count(Compound.id))
        .where(Compound.company_id.in_(company_ids), compound_filter()).group_by(Compound.company_id)
    ).all())


@bp.route("/")
@roles_required(*READERS)
def index():
    """The companies in scope; the rule column flags those breaking the party-organisation rule."""
    q = request.args.get("q", "").strip()[:100]
    breakers = request.args.get("breakers") == "1"
    org = request.args.get("org") == "yes"
    page = page_arg(request.args)
    stmt = _companies_stmt(q, breakers, org)
    total, capped = bounded_count(stmt, PropertyCompany.id, page, PAGE_SIZE)
    companies = db.session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    breaker_count, breakers_capped = bounded_count(_companies_stmt(breakers=True), PropertyCompany.id)
    return render_template(
        "companies/index.html", companies=companies, q=q, breakers=breakers, org=org,
        served=_served_counts([c.id for c in companies]), total=total, capped=capped, page=page,
        page_size=PAGE_SIZE, breaker_count=breaker_count, breakers_capped=breakers_capped,
    )


DUPLICATE_MESSAGE = "未保存：刚有他人登记了同名企业或相同的信用代码。请刷新页面后重试。"



def _form(company=None):
    editing_id = company.id if company else None

    def taken(column):
        def check(value):
            stmt = select(PropertyCompany.id).where(column == value)
            if editing_id:
                stmt = stmt.where(PropertyCompany.id != editing_id)
            return db.session.scalar(stmt.limit(1)) is not None

        return check

    form = CompanyForm(obj=company, name_taken=taken(PropertyCompany.name), code_taken=taken(PropertyCompany.credit_code))
    if company is not None and request.method == "GET":
        form.version.data = company.version
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles_required(STREET_ADMIN)
def create():
    form = _form()
    if form.validate_on_submit():
        company = save_or_conflict(lambda: services.create_company(form), form.form_errors, DUPLICATE_MESSAGE)
        if company is not None:
            flash(f"已登记物业企业“{company.name}”。", "success")
            return redirect(url_for(".detail", company_id=company.id), code=303)
    status = 200 if request.method == "GET" else (409 if form.form_errors else 422)
    return render_template("companies/form.html", form=form, company=None), status


def _scoped_or_404(company_id):
    return get_scoped_or_404(select(PropertyCompany).where(PropertyCompany.id == company_id, company_filter()))


@bp.route("/<int:company_id>/edit", methods=["GET", "POST"])
@roles_required(STREET_ADMIN)
def edit(company_id):
    company = _scoped_or_404(company_id)
    form = _form(company)
    if form.validate_on_submit() and not form.is_stale(company):
        if save_or_conflict(lambda: services.update_company(company, form), form.form_errors, DUPLICATE_MESSAGE):
            flash(f"已保存物业企业“{company.name}”。", "success")
            return redirect(url_for(".detail", company_id=company.id), code=303)
        company = _scoped_or_404(company_id)
    status = 200 if request.method == "GET" else (409 if form.form_errors else 422)
    return render_template("companies/form.html", form=form, company=company), status


@bp.route("/validate-credit-code", methods=["POST"])
@roles_required(STREET_ADMIN)
def validate_credit_code():
    """Inline check as the clerk types: the credit-code field again, with its message.

    Always 200: the answer is a message for the field, not a failed save."""
    raw_id = request.form.get("company_id", "")
    editing_id = int(raw_id) if raw_id.isdigit() and len(raw_id) < 10 else None
    if editing_id:
        _scoped_or_404(editing_id)

    def taken(code):
        stmt = select(PropertyCompany.id).where(PropertyCompany.credit_code == code)
        if editing_id:
            stmt = stmt.where(PropertyCompany.id != editing_id)
        return db.session.scalar(stmt.limit(1)) is not None

    form = CreditCodeForm(code_taken=taken, meta={"csrf": False})
    form.validate()
    return render_template("companies/_credit_code_field.html", field=form.credit_code, checked=True,
                           company_id=editing_id)


@bp.route("/<int:company_id>")
@roles_required(*READERS)
def detail(company_id):
    """A company with the compounds it serves (in scope) and their owners' committees."""
    company = _scoped_or_404(company_id)
    compounds = db.session.scalars(
        select(Compound).where(Compound.company_id == company.id, compound_filter())
        .options(selectinload(Compound.community), selectinload(Compound.committees))
        .order_by(Compound.name)
    ).all()
    stats = dict(
        (cid, (n, h)) for cid, n, h in db.session.execute(
            select(Building.compound_id, func.count(Building.id), func.coalesce(func.sum(Building.households), 0))
            .where(Building.compound_id.in_([c.id for c in compounds] or [0])).group_by(Building.compound_id)
        )
    )
    committees = sorted((cm for c in compounds for cm in c.committees), key=lambda cm: cm.name)
    return render_template("companies/detail.html", company=company, compounds=compounds, stats=stats,
                           committees=committees)


@bp.route("/export.xlsx")
@roles_required(*READERS)
def export():
    """The companies in scope (and the current filter) as .xlsx."""
    q = request.args.get("q", "").strip()[:100]
    companies = _companies(q, request.args.get("breakers") == "1", request.args.get("org") == "yes")
    served = _served_counts([c.id for c in companies])
    headers = ["企业名称", "统一社会信用代码", "联系人", "联系电话", "职工人数", "党员人数", "党组织组建方式",
               "党组织名称", "党建指导员", "服务小区数", "规则检查"]
    rows = [
        [c.name, c.credit_code, c.contact_person, c.contact_phone, c.staff_count, c.party_members,
         c.party_org_label, c.party_org_name, c.instructor_name or "", served.get(c.id, 0), c.rule_problem or "符合"]
        for c in companies
    ]
    response = xlsx_response("物业企业.xlsx", "物业企业", headers, rows)
    return record_export("物业企业", {"q": q, "breakers": request.args.get("breakers", "")}, len(rows),
                  personal=("联系人", "联系电话"), entity="property_company", response=response)



@bp.route("/pick")
@roles_required(*READERS)
def pick():
    """The company picker's options as the user types (HTMX; webapp/picker.py)."""
    from .. import picker
    from .access import pick_stmt

    return picker.fragment(pick_stmt(purpose=request.args.get("for")), PropertyCompany.id, PropertyCompany.name)
