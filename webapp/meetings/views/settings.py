"""/meetings/settings: meeting kinds and the required set (street admin)."""
from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from ...auth.models import STREET_ADMIN
from ...extensions import db
from ...scope import roles_required
from .. import services
from ..forms import KindForm, RequirementForm
from ..models import MeetingKind, Requirement
from . import bp


@bp.route("/settings")
@roles_required(STREET_ADMIN)
def settings():
    return _settings_page()


def _settings_page(kind_form=None, req_form=None, status=200):
    kinds = db.session.scalars(select(MeetingKind).order_by(MeetingKind.sort_order, MeetingKind.id)).all()
    requirements = db.session.scalars(select(Requirement).order_by(Requirement.id)).all()
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
        if db.session.scalar(select(MeetingKind).where(MeetingKind.name == form.name.data)):
            form.name.errors.append("已有同名的会议类型。")
        else:
            top = db.session.scalar(select(func.max(MeetingKind.sort_order))) or 0
            db.session.add(MeetingKind(name=form.name.data, sort_order=top + 10))
            db.session.commit()
            flash("已添加会议类型。", "success")
            return redirect(url_for("meetings.settings"), 303)
    return _settings_page(kind_form=form, status=422)


def _wanted_active():
    """The explicit on/off a toggle form sends ("1" or "0"); None when missing."""
    return {"1": True, "0": False}.get(request.form.get("active", ""))


@bp.route("/settings/kinds/<int:kind_id>/toggle", methods=["POST"])
@roles_required(STREET_ADMIN)
def toggle_kind(kind_id):
    kind = db.session.get(MeetingKind, kind_id) or abort(404)
    active = _wanted_active()
    if active is None:
        flash("请选择启用或停用。", "error")
        return _settings_page(status=422)
    kind.active = active
    db.session.commit()
    flash(f"“{kind.name}”已{'启用' if kind.active else '停用（已有会议不受影响）'}。", "success")
    return redirect(url_for("meetings.settings"), 303)


@bp.route("/settings/requirements", methods=["POST"])
@roles_required(STREET_ADMIN)
def add_requirement():
    form = RequirementForm()
    form.kind_id.choices = [("", "（任意类型）")] + [(str(k.id), k.name) for k in services.active_kinds()]
    if form.validate():
        db.session.add(Requirement(label=form.label.data, kind_id=form.kind_id.data, period=form.period.data,
                                   min_count=form.min_count.data, needs_publication=form.needs_publication.data))
        db.session.commit()
        flash("已添加三会三公开要求。", "success")
        return redirect(url_for("meetings.settings"), 303)
    return _settings_page(req_form=form, status=422)


@bp.route("/settings/requirements/<int:requirement_id>/toggle", methods=["POST"])
@roles_required(STREET_ADMIN)
def toggle_requirement(requirement_id):
    req = db.session.get(Requirement, requirement_id) or abort(404)
    active = _wanted_active()
    if active is None:
        flash("请选择启用或停用。", "error")
        return _settings_page(status=422)
    req.active = active
    db.session.commit()
    flash(f"已{'启用' if active else '停用'}要求“{req.label}”。", "success")
    return redirect(url_for("meetings.settings"), 303)
