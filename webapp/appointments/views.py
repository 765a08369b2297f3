"""/appointments/: cross-appointments (交叉任职 / 双向进入), their Excel export and the gaps."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import picker
from ..clock import local_today
from ..companies import access as company_access
from ..companies.models import PropertyCompany
from ..compounds import access as compound_access
from ..compounds.models import Compound, OwnersCommittee
from ..audit.services import record_export
from ..excel import xlsx_response
from ..extensions import db
from ..forms import page_arg, save_or_conflict
from ..paging import bounded_count
from ..people import access as people_access
from ..people.models import Person
from ..people.services import pick, unit_label
from ..scope import STAFF_ROLES, can_change_place, get_scoped_or_404, roles_required, visible_communities
from ..structure.models import OrgUnit
from . import access, services
from .access import appointment_filter
from .forms import AppointmentForm, EndAppointmentForm
from .models import CrossAppointment

bp = Blueprint("appointments", __name__, url_prefix="/appointments")
FILTER_KEYS = ("company", "compound", "community", "unit", "person")
PAGE_SIZE = 50
EXPORT_HEADERS = ["姓名", "方向", "物业企业", "社区", "社区侧组织", "小区", "本方职务", "对方兼任职务",
                  "开始日期", "结束日期", "批准文件", "状态"]


def _filters():
    f = {k: request.args.get(k, "") for k in FILTER_KEYS}
    f = {k: v if v.isdigit() and len(v) < 10 else "" for k, v in f.items()}
    status = request.args.get("status", "")
    f["status"] = status if status in ("active", "ended") else ""
    return f


def _filtered(f):
    stmt = select(CrossAppointment).where(appointment_filter())
    columns = {"company": CrossAppointment.company_id, "compound": CrossAppointment.compound_id,
               "community": CrossAppointment.community_id, "unit": CrossAppointment.org_unit_id,
               "person": CrossAppointment.person_id}
    for key, column in columns.items():
        if f[key]:
            stmt = stmt.where(column == int(f[key]))
    if f["status"] == "active":
        stmt = stmt.where(CrossAppointment.active())
    elif f["status"] == "ended":
        stmt = stmt.where(CrossAppointment.end_date < local_today())
    return stmt.options(
        selectinload(CrossAppointment.person), selectinload(CrossAppointment.company),
        selectinload(CrossAppointment.org_unit), selectinload(CrossAppointment.committee),
        selectinload(CrossAppointment.compound), selectinload(CrossAppointment.community),
    ).order_by(CrossAppointment.start_date.desc(), CrossAppointment.id.desc())


def _filter_label(f):
    """Words naming the active record filters, e.g. 物业企业：泛华物业服务有限公司. A filter
    naming a record the user may not see answers 404 (it never prints its name)."""
    labels = {"company": "物业企业", "compound": "小区", "unit": "组织", "person": "人员"}
    parts = []
    for key, label in labels.items():
        if f[key]:
            obj = access.filter_record(key, int(f[key]))
            if obj is None:
                abort(404)
            parts.append(f"{label}：{obj.name}")
    return "；".join(parts)


@bp.route("/")
@roles_required(*STAFF_ROLES)
def index():
    f = _filters()
    label = _filter_label(f)
    page = page_arg(request.args)
    stmt = _filtered(f)
    total, capped = bounded_count(stmt, CrossAppointment.id, page, PAGE_SIZE)
    rows = db.session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("appointments/index.html", rows=rows, f=f, today=local_today(),
                           total=total, capped=capped, page=page, page_size=PAGE_SIZE,
                           communities=visible_communities(),
                           company_picker=picker.pick("companies.pick", company_access.pick_stmt(), PropertyCompany.id,
                                                      PropertyCompany.name, "company", selected=f["company"]),
                           filter_label=label, can_write=access.can_create(), can_edit=access.can_edit)


@bp.route("/export.xlsx")
@roles_required(*STAFF_ROLES)
def export():
    today = local_today()
    f = _filters()
    _filter_label(f)
    rows = [
        (a.person.name, a.direction_label, a.company.name, a.community.name, a.community_side_name,
         a.compound.name if a.compound else "", a.home_role, a.host_role, a.start_date, a.end_date,
         a.approval_document, "在任" if a.active_on(today) else ("未开始" if a.start_date > today else "已结束"))
        for a in db.session.scalars(_filtered(f)).all()
    ]
    response = xlsx_response(f"交叉任职-{today.isoformat()}.xlsx", "交叉任职", EXPORT_HEADERS, rows)
    return record_export("交叉任职", _filters(), len(rows), personal=("姓名",), entity="cross_appointment", response=response)


@bp.route("/gaps")
@roles_required(*STAFF_ROLES)
def gaps():
    return render_template("appointments/gaps.html", gaps=services.gaps(), today=local_today())


def _prepare(form):
    """The form's choices. People, companies and compounds are pickers (webapp/picker.py):
    the chosen one and what the clerk searched for, never the whole list."""
    picker.fill(form.person_id, "people.pick", people_access.pick_stmt(condition=access.eligible_condition()),
                Person.id, Person.name, blank="请选择", label=people_access.pick_label, **{"for": "appointment"})
    picker.fill(form.company_id, "companies.pick", company_access.pick_stmt(), PropertyCompany.id,
                PropertyCompany.name, blank="请选择")
    communities = visible_communities()
    form.community_id.choices = ([("", "请选择")] if len(communities) != 1 else []) + [(str(c.id), c.name) for c in communities]
    form.community_side.choices = {
        None: [("", "请选择（组织架构单位或业委会）")],  # no silent default: the clerk chooses
        "组织架构单位": [(f"unit:{u.id}", unit_label(u)) for u in access.side_units()],
        "业委会 / 自管会": [(f"committee:{c.id}", c.name) for c in access.side_committees()],
    }
    picker.fill(form.compound_id, "compounds.pick", compound_access.pick_stmt(), Compound.id, Compound.name,
                blank=None if access.needs_compound() else "（不限于某一小区）", label=compound_access.pick_label)


def _side(value, form):
    """('unit'|'committee', id) for the community-side choice; 404 outside scope."""
    kind, _, raw = (value or "").partition(":")
    if kind not in ("unit", "committee") or not raw.isdigit():
        raise ValueError("请从列表中选择社区侧组织。")
    allowed = {v for group in form.community_side.choices.values() for v, _ in group}
    if value not in allowed:
        abort(404)
    return kind, int(raw)


def _cleaned(form):
    """Checked data (ids within scope, both sides in the chosen community), or None."""
    data = {k: form[k].data for k in ("direction", "home_role", "host_role", "start_date", "end_date",
                                       "approval_document")}
    ok = True

    def fail(field, message):
        nonlocal ok
        field.errors = list(field.errors) + [message]
        ok = False

    for key in ("person_id", "company_id", "community_id", "compound_id"):
        try:
            data[key] = pick(form[key].data, form[key].choices)
        except ValueError as exc:
            fail(form[key], str(exc))
    data["community_side"] = None
    if form.community_side.data:
        try:
            data["community_side"] = _side(form.community_side.data, form)
        except ValueError as exc:
            fail(form.community_side, str(exc))
    community_id = data.get("community_id")
    if ok and access.needs_compound() and not data.get("compound_id"):
        fail(form.compound_id, "请选择本网格的小区。")
    elif community_id and not can_change_place(community_id, data.get("compound_id")):
        abort(404)
    if community_id and data.get("compound_id"):
        if db.session.get(Compound, data["compound_id"]).community_id != community_id:
            fail(form.compound_id, "该小区不属于所选社区。")
    if community_id and data["community_side"]:
        kind, org_id = data["community_side"]
        if kind == "unit":
            side_community = db.session.get(OrgUnit, org_id).community_id
        else:
            side_community = db.session.get(OwnersCommittee, org_id).community_id
        if side_community is not None and side_community != community_id:
            fail(form.community_side, "该组织不属于所选社区。")
    return data if ok and not form.errors else None


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def create():
    if not access.can_create():
        abort(404)
    form = AppointmentForm()
    if request.method == "GET":
        for key in ("company", "compound", "person", "community"):
            value = request.args.get(key, "")
            if value.isdigit():
                form[key + "_id"].data = value
    _prepare(form)
    if request.method == "GET":
        for key in ("company", "compound", "person", "community"):
            field = form[key + "_id"]
            if field.data not in {v for v, _ in field.choices}:
                field.data = ""
        if form.compound_id.data and not form.community_id.data:
            # The compound's community (the gaps page's 登记 link names the compound).
            community = str(db.session.get(Compound, int(form.compound_id.data)).community_id)
            if community in {v for v, _ in form.community_id.choices}:
                form.community_id.data = community
        return render_template("appointments/form.html", form=form, appointment=None)
    if picker.finding():  # a picker's "查找" without JavaScript
        return render_template("appointments/form.html", form=form, appointment=None)
    valid = form.validate()
    data = _cleaned(form)
    if valid and data:
        appointment = services.save_appointment(None, data)
        db.session.commit()
        flash(f"已登记「{appointment.person.name}」的交叉任职。", "success")
        return redirect(url_for("appointments.index"), 303)
    return render_template("appointments/form.html", form=form, appointment=None), 422


def _writable_or_404(appointment_id):
    appointment = get_scoped_or_404(
        select(CrossAppointment).where(CrossAppointment.id == appointment_id, appointment_filter()))
    if not access.can_edit(appointment):
        abort(404)
    return appointment


@bp.route("/<int:appointment_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def edit(appointment_id):
    appointment = _writable_or_404(appointment_id)
    if request.method == "GET":
        side = f"unit:{appointment.org_unit_id}" if appointment.org_unit_id else (
            f"committee:{appointment.committee_id}" if appointment.committee_id else "")
        form = AppointmentForm(
            obj=appointment, person_id=str(appointment.person_id), company_id=str(appointment.company_id),
            community_id=str(appointment.community_id), compound_id=str(appointment.compound_id or ""),
            community_side=side)
        _prepare(form)
        return render_template("appointments/form.html", form=form, appointment=appointment,
                               end_form=EndAppointmentForm(formdata=None, end_date=local_today()))
    form = AppointmentForm()
    _prepare(form)
    if picker.finding():  # a picker's "查找" without JavaScript
        return render_template("appointments/form.html", form=form, appointment=appointment)
    valid = form.validate()
    data = _cleaned(form)
    status = 422
    if valid and data and not form.is_stale(appointment):
        if save_or_conflict(lambda: services.save_appointment(appointment, data), form.form_errors):
            flash("交叉任职已保存。", "success")
            return redirect(url_for("appointments.index"), 303)
    if form.form_errors:
        status = 409
    return render_template("appointments/form.html", form=form, appointment=appointment,
                           end_form=EndAppointmentForm(formdata=None, end_date=local_today())), status


@bp.route("/<int:appointment_id>/end", methods=["POST"])
@roles_required(*STAFF_ROLES)
def end(appointment_id):
    appointment = _writable_or_404(appointment_id)
    end_form = EndAppointmentForm()
    if end_form.validate():
        try:
            services.end_appointment(appointment, end_form.end_date.data)
        except ValueError as exc:
            end_form.end_date.errors = [str(exc)]
        else:
            db.session.commit()
            flash(f"「{appointment.person.name}」的交叉任职已于 {end_form.end_date.data.isoformat()} 结束。", "success")
            return redirect(url_for("appointments.index"), 303)
    side = f"unit:{appointment.org_unit_id}" if appointment.org_unit_id else f"committee:{appointment.committee_id}"
    form = AppointmentForm(formdata=None, obj=appointment, person_id=str(appointment.person_id),
                           company_id=str(appointment.company_id), community_id=str(appointment.community_id),
                           compound_id=str(appointment.compound_id or ""), community_side=side)
    _prepare(form)
    return render_template("appointments/form.html", form=form, appointment=appointment, end_form=end_form), 422
