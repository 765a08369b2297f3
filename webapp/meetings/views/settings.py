"""/meetings/settings: the current street's meeting kinds and required set (street admin;
district and city staff read the viewed street's)."""
from flask import abort, flash, redirect, render_template, request, url_for

from ...auth.models import STREET_ADMIN
from ...extensions import db
from ...forms import save_or_conflict
from ...scope import roles_required
from .. import services
from ..forms import KindForm, RequirementForm
from ..models import MeetingKind, Requirement
from . import bp


KIND_TAKEN = "已有同名的会议类型。"


@bp.route("/settings")
@roles_required(STREET_ADMIN)
def settings():
    return _settings_page()


def _settings_page(kind_form=None, req_form=None, status=200):
    kinds = db.session.scalars(services.street_kinds()).all()
    requirements = db.session.scalars(services.street_requirements()).all()
    kind_form = kind_form or KindForm(formdata=None)
    req_form = req_form or RequirementForm(formdata=None)
    req_form.kind_id.choices = [("", "（任意类型）")] + [(str(k.id), k.name) for k in kinds if k.active]
    return render_template("meetings/settings.html", kinds=kinds, requirements=requirements,
                           kind_form=kind_form, req_form=req_form), status


@bp.route("/settings/kinds", methods=["POST"])
@roles_required(STREET_ADMIN)
def add_kind():
    form = KindForm()
    if form.validate():
        if services.kind_name_taken(form.name.data):
            form.name.errors.append(KIND_TAKEN)
        elif save_or_conflict(lambda: services.add_kind(form.data), form.name.errors, KIND_TAKEN):
            flash("已添加会议类型。", "success")
            return redirect(url_for("meetings.settings"), 303)
    return _settings_page(kind_form=form, status=422)


def _toggled(write):
    """Commit a toggle; a concurrent change of the same row answers the page with a message."""
    problems = []
    if save_or_conflict(write, problems):
        return None
    flash(problems[0], "error")
    return _settings_page(status=409)


def _wanted_active():
    """The explicit on/off a toggle form sends ("1" or "0"); None when missing."""
    return {"1": True, "0": False}.get(request.form.get("active", ""))


@bp.route("/settings/kinds/<int:kind_id>/toggle", methods=["POST"])
@roles_required(STREET_ADMIN)
def toggle_kind(kind_id):
    kind = db.session.scalar(services.street_kinds().where(MeetingKind.id == kind_id)) or abort(404)
    active = _wanted_active()
    if active is None:
        flash("请选择启用或停用。", "error")
        return _settings_page(status=422)
    conflict = _toggled(lambda: services.set_kind_active(kind, active))
    if conflict:
        return conflict
    flash(f"“{kind.name}”已{'启用' if kind.active else '停用（已有会议不受影响）'}。", "success")
    return redirect(url_for("meetings.settings"), 303)


@bp.route("/settings/requirements", methods=["POST"])
@roles_required(STREET_ADMIN)
def add_requirement():
    form = RequirementForm()
    form.kind_id.choices = [("", "（任意类型）")] + [(str(k.id), k.name) for k in services.active_kinds()]
    if form.validate():
        services.add_requirement(form.data)
        db.session.commit()
        flash("已添加三会三公开要求。", "success")
        return redirect(url_for("meetings.settings"), 303)
    return _settings_page(req_form=form, status=422)


@bp.route("/settings/requirements/<int:requirement_id>/toggle", methods=["POST"])
@roles_required(STREET_ADMIN)
def toggle_requirement(requirement_id):
    req = db.session.scalar(services.street_requirements().where(Requirement.id == requirement_id)) or abort(404)
    active = _wanted_active()
    if active is None:
        flash("请选择启用或停用。", "error")
        return _settings_page(status=422)
    conflict = _toggled(lambda: services.set_requirement_active(req, active))
    if conflict:
        return conflict
    flash(f"已{'启用' if active else '停用'}要求“{req.label}”。", "success")
    return redirect(url_for("meetings.settings"), 303)
