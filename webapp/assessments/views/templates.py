"""/assessments/templates/…: the scoring templates, their items and revisions."""
from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ...auth.models import STREET_ADMIN
from ...extensions import db
from ...forms import save_or_conflict
from ...scope import STAFF_ROLES, get_scoped_or_404, roles_required
from .. import services
from ..forms import AddItemForm, check_template_rules, fill_template_form, template_form_class
from ..models import AssessmentTemplate, TemplateItem, TemplateSection
from ..access import template_filter
from . import bp

REVISION_CONFLICT = "未生成新版本：刚有他人同时生成了该模板的新版本（或该记录已被他人修改）。请返回模板列表查看最新版本。"


@bp.route("/templates/")
@roles_required(*STAFF_ROLES)
def templates():
    items = db.session.scalars(select(AssessmentTemplate).where(template_filter())
                               .order_by(AssessmentTemplate.name, AssessmentTemplate.revision.desc())).all()
    in_use = {t.id for t in items if services.template_in_use(t)}
    return render_template("assessments/templates.html", templates=items, in_use=in_use)


def _template_or_404(template_id):
    return get_scoped_or_404(select(AssessmentTemplate).where(AssessmentTemplate.id == template_id, template_filter()))


@bp.route("/templates/<int:template_id>")
@roles_required(*STAFF_ROLES)
def template_detail(template_id):
    template = _template_or_404(template_id)
    return render_template("assessments/template_detail.html", template=template,
                           frozen=services.template_in_use(template))


@bp.route("/templates/<int:template_id>/revise", methods=["POST"])
@roles_required(STREET_ADMIN)
def template_revise(template_id):
    """A frozen template is changed by making its next revision."""
    template = _template_or_404(template_id)
    errors = []
    copy = save_or_conflict(lambda: services.new_revision(template), errors, REVISION_CONFLICT)
    if copy is None:  # another revision was made at the same moment
        return render_template("errors/error.html", code=409, title="未生成新版本", message=errors[0]), 409
    flash(f"已生成“{copy.label}”，可以修改；原版本保持不变。", "success")
    return redirect(url_for(".template_edit", template_id=copy.id), 303)


def _template_form(template):
    form = template_form_class(template)()
    if request.method == "GET":
        fill_template_form(form, template)
    return form


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@roles_required(STREET_ADMIN)
def template_edit(template_id):
    template = _template_or_404(template_id)
    if services.template_in_use(template):
        flash("该模板已被考核使用，已冻结；请先“生成新版本”再修改。", "warning")
        return redirect(url_for(".template_detail", template_id=template.id), 303)
    form = _template_form(template)
    add_form = _add_item_form(template)
    if request.method == "POST":
        if (form.validate() & check_template_rules(form, template) and not form.is_stale(template)
                and save_or_conflict(lambda: services.update_template(template, form.data), form.form_errors)):
            flash(f"模板已保存，满分合计 {template.total_points:g} 分。", "success")
            return redirect(url_for(".template_detail", template_id=template.id), 303)
        return render_template("assessments/template_edit.html", template=template, form=form,
                               add_form=add_form, preview=_preview_total(form, template)), 409 if form.form_errors else 422
    return render_template("assessments/template_edit.html", template=template, form=form, add_form=add_form,
                           preview=_preview_total(form, template))


def _preview_total(form, template):
    """Section and grand totals from the form's current (possibly unsaved) points."""
    sections = []
    total = 0.0
    for section in template.sections:
        s = 0.0
        for item in section.items:
            try:
                s += float(form[f"full_{item.id}"].data or 0)
            except (TypeError, ValueError):
                pass
        sections.append((section, round(s, 2)))
        total += s
    return {"sections": sections, "total": round(total, 2), "saved": template.total_points}


@bp.route("/templates/<int:template_id>/total", methods=["POST"])
@roles_required(STREET_ADMIN)
def template_total(template_id):
    """HTMX: the live total while the admin edits points."""
    template = _template_or_404(template_id)
    form = template_form_class(template)()
    form.validate()
    return render_template("assessments/_template_total.html", preview=_preview_total(form, template))


def _add_item_form(template):
    form = AddItemForm(prefix="add")
    form.section_id.choices = [(str(s.id), s.title) for s in template.sections] + [("new", "新建部分……")]
    return form


@bp.route("/templates/<int:template_id>/items", methods=["POST"])
@roles_required(STREET_ADMIN)
def template_add_item(template_id):
    template = _template_or_404(template_id)
    if services.template_in_use(template):
        abort(409)
    form = _add_item_form(template)
    if not form.validate():
        edit_form = template_form_class(template)()
        fill_template_form(edit_form, template)
        return render_template("assessments/template_edit.html", template=template, form=edit_form,
                               add_form=form, preview=_preview_total(edit_form, template)), 422
    services.add_template_item(template, form.data)
    db.session.commit()
    flash(f"已添加考核项目“{form.title.data}”。", "success")
    return redirect(url_for(".template_edit", template_id=template.id), 303)


@bp.route("/templates/<int:template_id>/items/<int:item_id>/delete", methods=["POST"])
@roles_required(STREET_ADMIN)
def template_delete_item(template_id, item_id):
    template = _template_or_404(template_id)
    item = get_scoped_or_404(select(TemplateItem).join(TemplateSection).where(
        TemplateItem.id == item_id, TemplateSection.template_id == template.id))
    if services.template_in_use(template):
        abort(409)
    services.delete_template_item(template, item)
    db.session.commit()
    flash(f"已删除考核项目“{item.title}”。", "success")
    return redirect(url_for(".template_edit", template_id=template.id), 303)
