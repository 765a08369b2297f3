"""/requests/settings: the street's categories (default handler, time limit, warning
point), outside departments and its own days off; the page says which years the
official holiday calendar does not know yet (those count weekends only)."""
from flask import abort, flash, render_template, request, url_for
from sqlalchemy import select

from ...clock import local_today
from ...extensions import db
from ...forms import save_or_conflict
from ...htmx import redirect_to
from ...scope import get_scoped_or_404, roles_required, STAFF_ROLES
from .. import access, services, stats, workdays
from ..forms import CategoryForm, DayOffForm, DepartmentForm, ScoreRuleForm
from ..models import RequestCategory, StreetDayOff
from . import bp
from .common import categories, departments, street_id

CATEGORY_EXISTS = "未保存：本街道已有同名类别。"


def _require_settings():
    if not access.can_edit_settings():
        abort(403)


def _page(category_form=None, department_form=None, day_form=None, rule_form=None, status=200):
    today = local_today()
    rule = stats.rule_for(street_id())
    if rule_form is None:
        rule_form = ScoreRuleForm(formdata=None, obj=rule)
        rule_form.version.data = rule.version or 0
    days = db.session.scalars(select(StreetDayOff).where(access.day_off_filter(), StreetDayOff.day >= today)
                              .order_by(StreetDayOff.day).limit(100)).all()
    unknown = [y for y in (today.year, today.year + 1) if not workdays.known_year(y)]
    return render_template("requests/settings.html", categories=categories(active_only=False),
                           departments=departments(active_only=False), days=days, unknown_years=unknown,
                           department_form=department_form or DepartmentForm(formdata=None),
                           day_form=day_form or DayOffForm(formdata=None), rule=rule, rule_form=rule_form), status


@bp.route("/settings")
@roles_required(*STAFF_ROLES)
def settings():
    _require_settings()
    return _page()


def _category_form(category=None):
    form = CategoryForm(obj=category) if request.method == "GET" else CategoryForm()
    form.department_id.choices = [(None, "不指定")] + [(d.id, d.name) for d in departments()]
    if request.method == "GET" and category is not None:
        form.version.data = category.version
    return form


@bp.route("/settings/categories/new", methods=["GET", "POST"])
@bp.route("/settings/categories/<int:category_id>", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def category(category_id=None):
    _require_settings()
    item = None
    if category_id is not None:
        item = get_scoped_or_404(select(RequestCategory).where(RequestCategory.id == category_id, access.category_filter()))
    form = _category_form(item)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit() and not (item is not None and form.is_stale(item)):
            data = {k: v for k, v in form.data.items() if k not in ("csrf_token", "version")}
            data["sort_order"] = data.get("sort_order") or 0
            if save_or_conflict(lambda: services.save_category(item, data, street_id()), form.form_errors,
                                duplicate=CATEGORY_EXISTS):
                flash("类别已保存。", "success")
                return redirect_to(url_for(".settings"))
        status = 409 if form.form_errors else 422
    return render_template("requests/category.html", form=form, item=item), status


@bp.route("/settings/departments", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_department():
    _require_settings()
    form = DepartmentForm()
    if form.validate_on_submit():
        data = {"name": form.name.data, "phone": form.phone.data, "active": True}
        if save_or_conflict(lambda: services.save_department(None, data, street_id()), form.form_errors,
                            duplicate="未保存：本街道已有同名部门。"):
            flash("部门已添加。", "success")
            return redirect_to(url_for(".settings"))
    return _page(department_form=form, status=409 if form.form_errors else 422)


@bp.route("/settings/score-rule", methods=["POST"])
@roles_required(*STAFF_ROLES)
def score_rule():
    """The street's rule for the "群众诉求办理" assessment item."""
    _require_settings()
    form = ScoreRuleForm()
    current = stats.rule_for(street_id())
    if form.validate_on_submit() and not (current.id is not None and form.is_stale(current)):
        if save_or_conflict(lambda: services.save_score_rule(street_id(), form.data), form.form_errors):
            flash("考核折算规则已保存。", "success")
            return redirect_to(url_for(".settings"))
    return _page(rule_form=form, status=409 if form.form_errors else 422)


@bp.route("/settings/days-off", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_day_off():
    _require_settings()
    form = DayOffForm()
    if form.validate_on_submit():
        if save_or_conflict(lambda: services.add_day_off(street_id(), form.day.data, form.working.data, form.note.data),
                            form.form_errors, duplicate="未保存：这一天已经设置过了。"):
            flash("已保存。按工作日计算的时限将跳过这一天。" if not form.working.data else "已保存为补班日。", "success")
            return redirect_to(url_for(".settings"))
    return _page(day_form=form, status=409 if form.form_errors else 422)


@bp.route("/settings/days-off/<int:day_id>/delete", methods=["POST"])
@roles_required(*STAFF_ROLES)
def delete_day_off(day_id):
    _require_settings()
    entry = get_scoped_or_404(select(StreetDayOff).where(StreetDayOff.id == day_id, access.day_off_filter()))
    from ...forms import BaseForm

    if not BaseForm().validate():
        return _page(status=422)
    save_or_conflict(lambda: services.remove_day_off(entry), [])
    flash("已删除。", "success")
    return redirect_to(url_for(".settings"))
