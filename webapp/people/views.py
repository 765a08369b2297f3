"""/people/: people, the positions they hold, and their Excel export and import."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from .. import picker
from ..paging import bounded_count
from ..audit.services import record_export, record_unmask
from ..companies import access as access_companies
from ..companies.models import PropertyCompany
from ..auth.models import COMPANY_USER
from ..clock import local_today
from ..excel import template_response, xlsx_response
from ..extensions import db
from ..forms import BaseForm, page_arg, save_or_conflict
from ..imports import handle as run_import
from ..phones import reveal_response
from ..scope import STAFF_ROLES, get_scoped_or_404, roles_required, user_community_id, visible_communities
from ..search import matches
from . import access, imports, services
from .access import person_filter, phone_view
from .forms import EndPositionForm, PersonForm, PositionForm
from .models import MEMBERSHIP_KINDS, Person, Position

bp = Blueprint("people", __name__, url_prefix="/people")
READERS = STAFF_ROLES + (COMPANY_USER,)
PAGE_SIZE = 50


def _filters():
    """The list's filters from the query string; nonsense values are ignored."""
    args = request.args
    f = {"q": (args.get("q") or "").strip()[:64], "party": args.get("party", ""), "kind": args.get("kind", ""),
         "community": args.get("community", "")}
    if f["party"] not in ("", "1", "0"):
        f["party"] = ""
    if f["kind"] not in MEMBERSHIP_KINDS:
        f["kind"] = ""
    if not (f["community"].isdigit() and len(f["community"]) < 10):
        f["community"] = ""
    return f


def _filtered(f):
    stmt = select(Person).where(person_filter())
    if f["q"]:
        stmt = stmt.where(or_(matches(f["q"], Person.name), and_(matches(f["q"], Person.phone), access.responsible_filter())))
    if f["party"]:
        stmt = stmt.where(Person.is_party_member.is_(f["party"] == "1"))
    if f["kind"]:
        stmt = stmt.where(Person.membership_kind == f["kind"])
    if f["community"]:
        stmt = stmt.where(Person.community_id == int(f["community"]))
    return stmt


@bp.route("/")
@roles_required(*READERS)
def index():
    f = _filters()
    page = page_arg(request.args)
    stmt = _filtered(f)
    total, capped = bounded_count(stmt, Person.id, page, PAGE_SIZE)
    people = db.session.scalars(
        stmt.options(selectinload(Person.community), selectinload(Person.company))
        .order_by(Person.name, Person.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template("people/index.html", people=people, f=f, total=total, capped=capped, page=page,
                           page_size=PAGE_SIZE,
                           communities=visible_communities(), kinds=MEMBERSHIP_KINDS,
                           can_write=access.can_create(), phone_view=phone_view)


def _person_or_404(person_id):
    return get_scoped_or_404(select(Person).where(Person.id == person_id, person_filter()))


def _writable_person_or_404(person_id):
    person = _person_or_404(person_id)
    if not access.can_edit(person):
        abort(404)
    return person


def _creator_or_404():
    if not access.can_create():
        abort(404)


def _prepare(form):
    form.community_id.choices = services.community_choices(allow_blank=current_user.is_street_admin)
    picker.fill(form.company_id, "companies.pick", access_companies.pick_stmt(), PropertyCompany.id,
                PropertyCompany.name, blank="（无）")
    if request.method == "GET" and not form.community_id.data and not current_user.is_street_admin:
        form.community_id.data = str(user_community_id())


def _cleaned(form):
    """The form's data with ids checked against scope (404 for ids outside it)."""
    data = {k: form[k].data for k in ("name", "phone", "is_party_member", "membership_kind", "note")}
    ok = True
    for key in ("community_id", "company_id"):
        try:
            data[key] = services.pick(form[key].data, form[key].choices)
        except ValueError as exc:
            form[key].errors = list(form[key].errors) + [str(exc)]
            ok = False
    if ok and data["community_id"] is None and not current_user.is_street_admin:
        form.community_id.errors = list(form.community_id.errors) + ["请选择所属社区。"]
        ok = False
    return data if ok else None


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def create():
    _creator_or_404()
    form = PersonForm()
    _prepare(form)
    if request.method == "POST" and not picker.finding():
        valid = form.validate()
        data = _cleaned(form)
        if valid and data:
            person = services.save_person(None, data)
            db.session.commit()
            flash(f"已添加人员「{person.name}」。", "success")
            return redirect(url_for("people.detail", person_id=person.id), 303)
        return render_template("people/form.html", form=form, person=None), 422
    return render_template("people/form.html", form=form, person=None)


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def edit(person_id):
    person = _writable_person_or_404(person_id)
    if request.method == "GET":
        form = PersonForm(obj=person, community_id=str(person.community_id or ""),
                          company_id=str(person.company_id or ""), membership_kind=person.membership_kind or "")
        _prepare(form)
        return render_template("people/form.html", form=form, person=person)
    form = PersonForm()
    _prepare(form)
    if picker.finding():
        return render_template("people/form.html", form=form, person=person)
    valid = form.validate()
    data = _cleaned(form)
    if valid and data and not form.is_stale(person):
        if not save_or_conflict(lambda: services.save_person(person, data), form.form_errors):
            return render_template("people/form.html", form=form, person=person), 409
        flash("人员信息已保存。", "success")
        return redirect(url_for("people.detail", person_id=person.id), 303)
    return render_template("people/form.html", form=form, person=person), 409 if form.form_errors else 422


def _detail(person, position_form=None, end_errors=None, status=200):
    can_write = access.can_edit(person)
    if can_write and position_form is None:
        position_form = PositionForm(formdata=None, start_date=local_today())
    if position_form is not None:
        position_form.organisation.choices = services.organisation_choices()
    positions = db.session.scalars(
        select(Position).where(Position.person_id == person.id)
        .options(selectinload(Position.org_unit), selectinload(Position.company), selectinload(Position.committee))
        .order_by(Position.start_date.desc(), Position.id.desc())
    ).all()
    return render_template("people/detail.html", person=person, positions=positions, today=local_today(),
                           position_form=position_form, end_errors=end_errors or {}, can_write=can_write,
                           end_form=BaseForm(formdata=None), phone=phone_view(person),
                           can_end=access.can_end_position), status


@bp.route("/<int:person_id>")
@roles_required(*READERS)
def detail(person_id):
    return _detail(_person_or_404(person_id))


@bp.route("/<int:person_id>/positions", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_position(person_id):
    person = _writable_person_or_404(person_id)
    form = PositionForm()
    form.organisation.choices = services.organisation_choices()
    valid = form.validate()
    organisation = None
    if form.organisation.data:
        try:
            organisation = services.pick_organisation(form.organisation.data)
        except ValueError as exc:
            form.organisation.errors = list(form.organisation.errors) + [str(exc)]
            valid = False
    if not valid:
        return _detail(person, position_form=form, status=422)
    services.add_position(person, form.role.data, organisation, form.start_date.data, form.end_date.data,
                          form.is_leader.data)
    db.session.commit()
    flash(f"已添加职务「{form.role.data}」。", "success")
    return redirect(url_for("people.detail", person_id=person.id), 303)


@bp.route("/<int:person_id>/positions/<int:position_id>/end", methods=["POST"])
@roles_required(*STAFF_ROLES)
def end_position(person_id, position_id):
    person = _writable_person_or_404(person_id)
    position = get_scoped_or_404(select(Position).where(Position.id == position_id, Position.person_id == person.id))
    if not access.can_end_position(position):
        abort(404)
    form = EndPositionForm()
    if form.validate():
        try:
            services.end_position(position, form.end_date.data)
        except ValueError as exc:
            form.end_date.errors = [str(exc)]
        else:
            db.session.commit()
            flash(f"职务「{position.role}」已于 {form.end_date.data.isoformat()} 结束。", "success")
            return redirect(url_for("people.detail", person_id=person.id), 303)
    errors = [e for errs in form.errors.values() for e in errs]
    return _detail(person, end_errors={position.id: errors}, status=422)


@bp.route("/<int:person_id>/phone", methods=["POST"])
@roles_required(*STAFF_ROLES)
def phone(person_id):
    """Reveal a masked phone (one click, audited); 404 for a person the user may not unmask."""
    person = _person_or_404(person_id)
    if not BaseForm().validate() or phone_view(person).state != "masked":
        abort(404)
    record_unmask(person, "phone")
    db.session.commit()
    return reveal_response(person.phone, person.name, url_for("people.detail", person_id=person.id))


@bp.route("/export.xlsx")
@roles_required(*READERS)
def export():
    people = db.session.scalars(
        _filtered(_filters()).options(selectinload(Person.community), selectinload(Person.company))
        .order_by(Person.name, Person.id)
    ).all()
    rows = [(p.name, access.export_phone(p), p.community.name if p.community else "", p.company.name if p.company else "",
             "是" if p.is_party_member else "否", p.membership_label, p.note) for p in people]
    response = xlsx_response(f"人员名单-{local_today().isoformat()}.xlsx", "人员", [c.header for c in imports.COLUMNS], rows)
    return record_export("人员名单", _filters(), len(rows), personal=("姓名", "电话"), entity="person", response=response)


@bp.route("/import-template.xlsx")
@roles_required(*STAFF_ROLES)
def import_template():
    _creator_or_404()
    return template_response("人员导入模板.xlsx", "人员", imports.COLUMNS)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def import_():
    """Upload, preview (新增/更新/不变/错误), confirm; people matched by name and phone."""
    _creator_or_404()
    return run_import("people/import.html", imports.COLUMNS, imports.plan, imports.apply, url_for("people.index"), "人员")


@bp.route("/pick")
@roles_required(*READERS)
def pick():
    """The person picker's options as the user types (HTMX; webapp/picker.py).
    `?for=appointment`: the people the user may appoint (appointments/access.py)."""
    condition = None
    if request.args.get("for") == "appointment":
        from ..appointments.access import eligible_condition

        condition = eligible_condition()
    return picker.fragment(access.pick_stmt(condition=condition), Person.id, Person.name, label=access.pick_label)
