"""/assessments/: templates, monthly rounds, scoring sheets, quarterly ranking and PDFs.

Who sees what:
- street admin: everything, including interim results of open rounds;
- community staff / grid workers: sheets of compounds in their place; they score them as
  cadres; results and rankings only once a round is closed;
- company users: their own company's sheets, only in closed rounds; never the ranking;
- resident representatives: only the sheets they are asked to fill.
"""
import io
import os
import zipfile
from datetime import date

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, send_file,
                   url_for)
from flask_login import current_user
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..auth.models import COMPANY_USER, RESIDENT_REP, STREET_ADMIN, User
from ..compounds.models import Compound
from ..extensions import db
from ..pdf import html_to_pdf, pdf_response
from ..scope import ALL_ROLES, STAFF_ROLES, compound_filter, get_scoped_or_404, roles_required
from . import batch, scoring, services
from .forms import (AddItemForm, AssignForm, PrizeForm, ReopenForm, RoundForm, check_template_rules,
                    fill_template_form, score_form_class, score_values, store_photo, template_form_class,
                    validate_score_form)
from .models import (AssessmentRound, AssessmentSheet, AssessmentTemplate, QuarterRanking, ScoreLine, SheetScore,
                     TemplateItem, TemplateSection, quarter_label)

bp = Blueprint("assessments", __name__, url_prefix="/assessments")


def _htmx():
    return request.headers.get("HX-Request") == "true"


# --- scope ---------------------------------------------------------------------------------

def sheet_filter(user=None):
    """SQL condition on AssessmentSheet for the sheets the user may open."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return AssessmentSheet.id.is_not(None)
    if user.role in STAFF_ROLES:
        return AssessmentSheet.compound_id.in_(select(Compound.id).where(compound_filter(user)))
    if user.role == COMPANY_USER:
        closed = select(AssessmentRound.id).where(AssessmentRound.status == "closed")
        return and_(AssessmentSheet.company_id == user.company_id, AssessmentSheet.round_id.in_(closed))
    if user.role == RESIDENT_REP:
        return exists().where(SheetScore.sheet_id == AssessmentSheet.id, SheetScore.scorer_id == user.id)
    return AssessmentSheet.id.is_(None)


def scoped_sheet(sheet_id):
    return get_scoped_or_404(select(AssessmentSheet).where(AssessmentSheet.id == sheet_id, sheet_filter()))


def visible_scores(sheet, user=None):
    """The scorer fillings the user may read on a sheet they can open."""
    user = user or current_user
    if user.role == RESIDENT_REP:
        return [s for s in sheet.scores if s.scorer_id == user.id]
    if user.role == STREET_ADMIN or sheet.round.is_closed:
        return list(sheet.scores)
    return [s for s in sheet.scores if s.scorer_id == user.id]


def may_see_result(sheet, user=None):
    user = user or current_user
    if user.role == RESIDENT_REP:
        return False
    return user.role == STREET_ADMIN or sheet.round.is_closed


def scorer_kind_for(sheet, user=None):
    """'cadre' / 'rep' when the user may score this sheet now, else None."""
    user = user or current_user
    if sheet.round.is_closed:
        return None
    if user.role in STAFF_ROLES:
        return "cadre"
    if user.role == RESIDENT_REP and any(s.scorer_id == user.id for s in sheet.scores):
        return "rep"
    return None


# --- index ---------------------------------------------------------------------------------

@bp.route("/")
@roles_required(*ALL_ROLES)
def index():
    """Each role's starting point: rounds for staff, assigned sheets, own results."""
    rounds = db.session.scalars(select(AssessmentRound).order_by(AssessmentRound.month.desc())).all()
    ctx = {"rounds": rounds}
    if current_user.role == RESIDENT_REP:
        ctx["my_scores"] = db.session.scalars(
            select(SheetScore).join(AssessmentSheet).join(AssessmentRound)
            .where(SheetScore.scorer_id == current_user.id)
            .order_by(AssessmentRound.month.desc(), SheetScore.id)).all()
    elif current_user.role == COMPANY_USER:
        ctx["my_sheets"] = db.session.scalars(
            select(AssessmentSheet).join(AssessmentRound).where(sheet_filter())
            .order_by(AssessmentRound.month.desc(), AssessmentSheet.id)).all()
    if current_user.role == STREET_ADMIN:
        form = RoundForm()
        form.template_id.choices = _template_choices()
        nxt = _next_month(rounds[0].month) if rounds else date.today().replace(day=1)
        form.month.data = f"{nxt:%Y-%m}"
        ctx["round_form"] = form
    ctx["published"] = services.published_rankings(limit=4)
    return render_template("assessments/index.html", **ctx)


def _next_month(month):
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _template_choices():
    templates = db.session.scalars(select(AssessmentTemplate).where(AssessmentTemplate.retired.is_(False))
                                   .order_by(AssessmentTemplate.name, AssessmentTemplate.revision.desc())).all()
    return [(t.id, t.label) for t in templates]


# --- templates -----------------------------------------------------------------------------

@bp.route("/templates/")
@roles_required(*STAFF_ROLES)
def templates():
    items = db.session.scalars(select(AssessmentTemplate).order_by(AssessmentTemplate.name,
                                                                   AssessmentTemplate.revision.desc())).all()
    in_use = {t.id for t in items if services.template_in_use(t)}
    return render_template("assessments/templates.html", templates=items, in_use=in_use)


def _template_or_404(template_id):
    return get_scoped_or_404(select(AssessmentTemplate).where(AssessmentTemplate.id == template_id))


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
    copy = services.new_revision(template)
    db.session.commit()
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
        if form.validate() & check_template_rules(form, template) and not form.is_stale(template):
            template.name = form.name.data
            template.note = form.note.data or ""
            for section in template.sections:
                section.title = form[f"section_{section.id}"].data
            for item in template.items:
                i = item.id
                item.title = form[f"title_{i}"].data
                item.full_points = float(form[f"full_{i}"].data)
                item.rule = form[f"rule_{i}"].data
                item.per_finding = float(form[f"per_{i}"].data)
                item.floor = float(form[f"floor_{i}"].data)
                item.guidance = form[f"guidance_{i}"].data or ""
            db.session.commit()
            flash(f"模板已保存，满分合计 {template.total_points:g} 分。", "success")
            return redirect(url_for(".template_detail", template_id=template.id), 303)
        return render_template("assessments/template_edit.html", template=template, form=form,
                               add_form=add_form, preview=_preview_total(form, template)), 422
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
    if form.section_id.data == "new":
        section = TemplateSection(title=form.new_section.data, position=len(template.sections))
        template.sections.append(section)
    else:
        section = next(s for s in template.sections if str(s.id) == form.section_id.data)
    section.items.append(TemplateItem(title=form.title.data, full_points=float(form.full_points.data),
                                      position=len(section.items), rule="per_finding", per_finding=1, floor=0))
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
    section = item.section
    section.items.remove(item)  # delete-orphan removes the row
    if not section.items:
        template.sections.remove(section)
    db.session.commit()
    flash(f"已删除考核项目“{item.title}”。", "success")
    return redirect(url_for(".template_edit", template_id=template.id), 303)


@bp.route("/templates/<int:template_id>/blank.pdf")
@roles_required(*STAFF_ROLES, RESIDENT_REP)
def template_blank_pdf(template_id):
    template = _template_or_404(template_id)
    html = render_template("assessments/pdf/sheets.html", entries=[_blank_entry(template)], title=template.label)
    return pdf_response(html_to_pdf(html), f"{template.name}-空白考核表.pdf")


def _blank_entry(template, sheet=None):
    return {"template": template, "sheet": sheet, "score": None, "lines": {}, "result": None}


# --- rounds --------------------------------------------------------------------------------

@bp.route("/rounds", methods=["POST"])
@roles_required(STREET_ADMIN)
def round_create():
    form = RoundForm()
    form.template_id.choices = _template_choices()
    if form.validate():
        year, month = (int(x) for x in form.month.data.split("-"))
        first = date(year, month, 1)
        if db.session.scalar(select(AssessmentRound).where(AssessmentRound.month == first)):
            form.month.errors.append("该月份的考核已经存在。")
        else:
            template = db.session.get(AssessmentTemplate, form.template_id.data)
            rnd = services.create_round(first, template, float(form.cadre_weight.data), float(form.rep_weight.data))
            db.session.commit()
            flash(f"已开启{rnd.title}，共 {len(rnd.sheets)} 张考核表。", "success")
            return redirect(url_for(".round_detail", round_id=rnd.id), 303)
    rounds = db.session.scalars(select(AssessmentRound).order_by(AssessmentRound.month.desc())).all()
    return render_template("assessments/index.html", rounds=rounds, round_form=form,
                           published=services.published_rankings(limit=4)), 422


def _round_or_404(round_id):
    return get_scoped_or_404(select(AssessmentRound).where(AssessmentRound.id == round_id))


@bp.route("/rounds/<int:round_id>")
@roles_required(*STAFF_ROLES)
def round_detail(round_id):
    rnd = _round_or_404(round_id)
    sheets = db.session.scalars(
        select(AssessmentSheet).join(AssessmentSheet.company).join(AssessmentSheet.compound)
        .where(AssessmentSheet.round_id == rnd.id, sheet_filter())
        .options(selectinload(AssessmentSheet.scores))
        .order_by(AssessmentSheet.company_id, Compound.name)).all()
    show_results = current_user.role == STREET_ADMIN or rnd.is_closed
    rows = [(s, services.sheet_result(s, rnd) if show_results else None) for s in sheets]
    interim = None
    if current_user.role == STREET_ADMIN:
        interim = _round_ranking(rnd)
    return render_template("assessments/round_detail.html", round=rnd, rows=rows, show_results=show_results,
                           interim=interim, reopen_form=ReopenForm())


def _round_ranking(rnd):
    """The month's company ranking (interim while open; street admin only)."""
    per_company = {}
    names = {}
    for sheet in rnd.sheets:
        result = services.sheet_result(sheet, rnd)
        names[sheet.company_id] = sheet.company.name
        if result is not None:
            per_company.setdefault(sheet.company_id, []).append(result)
    entries = [scoring.Placed(key=k, name=names[k], score=scoring.mean(v), tie_key=min(v))
               for k, v in per_company.items()]
    return scoring.rank(entries)


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@roles_required(STREET_ADMIN)
def round_close(round_id):
    rnd = _round_or_404(round_id)
    if rnd.is_closed:
        flash("本月考核已经关闭。", "warning")
        return redirect(url_for(".round_detail", round_id=rnd.id), 303)
    services.close_round(rnd, current_user)
    db.session.commit()
    flash(f"{rnd.title}已关闭，得分已锁定，企业可查看本企业结果。", "success")
    return redirect(url_for(".round_detail", round_id=rnd.id), 303)


@bp.route("/rounds/<int:round_id>/reopen", methods=["POST"])
@roles_required(STREET_ADMIN)
def round_reopen(round_id):
    rnd = _round_or_404(round_id)
    form = ReopenForm()
    if not rnd.is_closed:
        flash("本月考核尚未关闭。", "warning")
        return redirect(url_for(".round_detail", round_id=rnd.id), 303)
    if not form.validate():
        rows = [(s, services.sheet_result(s, rnd)) for s in rnd.sheets]
        return render_template("assessments/round_detail.html", round=rnd, rows=rows, show_results=True,
                               interim=_round_ranking(rnd), reopen_form=form), 422
    services.reopen_round(rnd, current_user, form.reason.data)
    db.session.commit()
    flash(f"{rnd.title}已重新开启，原因已记录。", "success")
    return redirect(url_for(".round_detail", round_id=rnd.id), 303)


def _sheet_entries(sheets, rnd, visible=None):
    """What the PDF template needs for each sheet: template, sheet, scorers' lines, result.

    `visible` limits the scorers shown (ids); None shows every submitted scorer."""
    entries = []
    for sheet in sheets:
        lines = {}
        submitted = [s for s in sheet.scores if s.is_submitted and (visible is None or s.id in visible)]
        for s in submitted:
            for line in s.lines:
                lines[(s.id, line.item_id)] = line
        entries.append({"template": rnd.template, "sheet": sheet, "score": submitted, "lines": lines,
                        "result": services.sheet_result(sheet, rnd)})
    return entries


def _round_sheets(rnd):
    return db.session.scalars(
        select(AssessmentSheet).join(AssessmentSheet.company).join(AssessmentSheet.compound)
        .where(AssessmentSheet.round_id == rnd.id)
        .options(selectinload(AssessmentSheet.scores).selectinload(SheetScore.lines),
                 selectinload(AssessmentSheet.scores).selectinload(SheetScore.scorer))
        .order_by(AssessmentSheet.company_id, Compound.name)).all()


def _round_html(rnd, sheets):
    return render_template("assessments/pdf/sheets.html", entries=_sheet_entries(sheets, rnd), title=rnd.title,
                           round=rnd, batch=True)


def render_round_pdf(rnd, sheets=None):
    """Every sheet of the round in one PDF: chunks of sheets rendered apart, then joined."""
    sheets = sheets if sheets is not None else _round_sheets(rnd)
    return batch.join_pdfs(batch.render_many([_round_html(rnd, chunk) for chunk in batch.chunks(sheets)]))


@bp.route("/rounds/<int:round_id>/sheets.pdf")
@roles_required(STREET_ADMIN)
def round_pdf(round_id):
    """Every sheet of the round, filled as far as it is, in one PDF (one HTML, page breaks)."""
    rnd = _round_or_404(round_id)
    return pdf_response(render_round_pdf(rnd), f"{rnd.title}-全部考核表.pdf")


@bp.route("/rounds/<int:round_id>/sheets.zip")
@roles_required(STREET_ADMIN)
def round_zip(round_id):
    """One PDF per company in a zip."""
    rnd = _round_or_404(round_id)
    by_company = {}
    for sheet in _round_sheets(rnd):
        by_company.setdefault(sheet.company.name, []).append(sheet)
    # One HTML per company (chunked if a company has many sheets), rendered side by side.
    jobs = [(name, chunk) for name, sheets in by_company.items() for chunk in batch.chunks(sheets)]
    rendered = batch.render_many([_round_html(rnd, chunk) for _, chunk in jobs])
    parts = {}
    for (name, _), data in zip(jobs, rendered):
        parts.setdefault(name, []).append(data)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, pdfs in parts.items():
            zf.writestr(f"{rnd.month:%Y-%m}-{name}.pdf", batch.join_pdfs(pdfs))
    buf.seek(0)
    return send_file(buf, mimetype="application/zip", as_attachment=True,
                     download_name=f"{rnd.month:%Y-%m}-考核表.zip")


# --- sheets --------------------------------------------------------------------------------

@bp.route("/sheets/<int:sheet_id>")
@roles_required(*ALL_ROLES)
def sheet_detail(sheet_id):
    sheet = scoped_sheet(sheet_id)
    rnd = sheet.round
    assign_form = None
    if current_user.role == STREET_ADMIN and not rnd.is_closed:
        assign_form = _assign_form(sheet)
    return render_template("assessments/sheet_detail.html", sheet=sheet, round=rnd, scores=visible_scores(sheet),
                           result=services.sheet_result(sheet, rnd) if may_see_result(sheet) else None,
                           show_result=may_see_result(sheet), can_score=scorer_kind_for(sheet) is not None,
                           assign_form=assign_form)


def _assign_form(sheet):
    form = AssignForm()
    taken = {s.scorer_id for s in sheet.scores}
    reps = db.session.scalars(select(User).where(User.role == RESIDENT_REP, User.active.is_(True))
                              .order_by(User.display_name)).all()
    form.user_id.choices = [(u.id, u.display_name) for u in reps if u.id not in taken]
    return form


@bp.route("/sheets/<int:sheet_id>/assign", methods=["POST"])
@roles_required(STREET_ADMIN)
def sheet_assign(sheet_id):
    """Ask a resident representative to fill this sheet."""
    sheet = scoped_sheet(sheet_id)
    try:
        services.ensure_open(sheet.round)
    except services.RoundClosed as e:
        flash(str(e), "error")
        return redirect(url_for(".sheet_detail", sheet_id=sheet.id), 303)
    form = _assign_form(sheet)
    if form.validate():
        rep = db.session.get(User, form.user_id.data)
        db.session.add(SheetScore(sheet=sheet, scorer=rep, scorer_kind="rep"))
        db.session.commit()
        flash(f"已请{rep.display_name}填写本表。", "success")
    else:
        flash("请选择一位尚未分配的居民代表。", "error")
    return redirect(url_for(".sheet_detail", sheet_id=sheet.id), 303)


def _my_score(sheet, kind):
    mine = next((s for s in sheet.scores if s.scorer_id == current_user.id), None)
    return mine if mine is not None else SheetScore(scorer_kind=kind, scorer_id=current_user.id)


def _fill_score_form(form, score):
    lines = {line.item_id: line for line in score.lines}
    form.visited_on.data = score.visited_on or date.today()
    for item in form.template_items:
        line = lines.get(item.id)
        if item.rule == "judged":
            form[f"points_{item.id}"].data = line.points if line else item.full_points
        else:
            form[f"findings_{item.id}"].data = line.findings if line else 0
        form[f"finding_{item.id}"].data = line.finding_text if line else ""


@bp.route("/sheets/<int:sheet_id>/score", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES, RESIDENT_REP)
def sheet_score(sheet_id):
    """The scoring form: findings per item, a running total, a finding for each deduction."""
    sheet = scoped_sheet(sheet_id)
    rnd = sheet.round
    kind = scorer_kind_for(sheet)
    if rnd.is_closed:
        if request.method == "POST":
            return render_template("assessments/closed.html", round=rnd, sheet=sheet), 409
        flash("本月考核已关闭，评分不能再修改。", "warning")
        return redirect(url_for(".sheet_detail", sheet_id=sheet.id), 303)
    if kind is None:
        abort(404)
    score = _my_score(sheet, kind)
    form = score_form_class(rnd.template)()
    if request.method == "GET":
        _fill_score_form(form, score)
        return render_template("assessments/score_form.html", sheet=sheet, round=rnd, form=form, score=score,
                               points=score_values(form))
    values = validate_score_form(form, request.files)
    if values is None:
        return render_template("assessments/score_form.html", sheet=sheet, round=rnd, form=form, score=score,
                               points=score_values(form)), 422
    for v in values.values():
        data = v.pop("photo_data")
        v["photo"] = store_photo(*data) if data else None
    if score.id is None:
        score.sheet = sheet
        db.session.add(score)
    services.save_score(score, values, form.visited_on.data)
    db.session.commit()
    flash(f"评分已保存：{score.total:g} 分。", "success")
    return redirect(url_for(".sheet_detail", sheet_id=sheet.id), 303)


@bp.route("/sheets/<int:sheet_id>/score/total", methods=["POST"])
@roles_required(*STAFF_ROLES, RESIDENT_REP)
def sheet_score_total(sheet_id):
    """HTMX: the running total (and each item's points) from the form as typed."""
    sheet = scoped_sheet(sheet_id)
    if scorer_kind_for(sheet) is None:
        abort(404)
    form = score_form_class(sheet.round.template)()
    form.validate()
    points = score_values(form)
    complete = all(p is not None for p in points.values())
    total = scoring.r2(sum(p for p in points.values() if p is not None))
    return render_template("assessments/_score_total.html", form=form, points=points, total=total,
                           complete=complete, template=sheet.round.template)


@bp.route("/sheets/<int:sheet_id>/blank.pdf")
@roles_required(*STAFF_ROLES, RESIDENT_REP)
def sheet_blank_pdf(sheet_id):
    """A blank sheet pre-filled with the company and compound, to carry on the visit."""
    sheet = scoped_sheet(sheet_id)
    html = render_template("assessments/pdf/sheets.html", entries=[_blank_entry(sheet.round.template, sheet)],
                           title=sheet.round.title, round=sheet.round)
    return pdf_response(html_to_pdf(html), f"{sheet.round.month:%Y-%m}-{sheet.company.name}-{sheet.compound.name}-空白表.pdf")


def render_sheet_pdf(sheet):
    rnd = sheet.round
    entry = _sheet_entries([sheet], rnd, visible={s.id for s in visible_scores(sheet)})[0]
    if not may_see_result(sheet):
        entry["result"] = None
    html = render_template("assessments/pdf/sheets.html", entries=[entry], title=rnd.title, round=rnd)
    return html, html_to_pdf(html)


@bp.route("/sheets/<int:sheet_id>/sheet.pdf")
@roles_required(*ALL_ROLES)
def sheet_pdf(sheet_id):
    """The filled sheet: scores, findings and signature lines."""
    sheet = scoped_sheet(sheet_id)
    _, data = render_sheet_pdf(sheet)
    return pdf_response(data, f"{sheet.round.month:%Y-%m}-{sheet.company.name}-{sheet.compound.name}-考核表.pdf")


@bp.route("/photos/<int:line_id>")
@roles_required(*ALL_ROLES)
def photo(line_id):
    """A finding's photo, for those who may read that scorer's lines."""
    line = get_scoped_or_404(select(ScoreLine).where(ScoreLine.id == line_id, ScoreLine.photo.is_not(None)))
    sheet = scoped_sheet(line.score.sheet_id)
    if line.score not in visible_scores(sheet):
        abort(404)
    path = os.path.join(current_app.config["UPLOAD_DIR"], "assessments", os.path.basename(line.photo))
    if not os.path.isfile(path):
        abort(404)
    mimetype = "image/png" if line.photo.endswith(".png") else "image/jpeg"
    return send_file(path, mimetype=mimetype)


# --- quarterly ranking ---------------------------------------------------------------------

def _quarter_arg():
    quarter = (request.args.get("quarter") or "").upper() or _default_quarter()
    try:
        scoring.quarter_months(quarter)
    except ValueError:
        abort(404)
    return quarter


def _default_quarter():
    latest = db.session.scalar(select(AssessmentRound.month).where(AssessmentRound.status == "closed")
                               .order_by(AssessmentRound.month.desc()).limit(1))
    return scoring.quarter_of(latest or date.today())


def _ranking_context(quarter, svg_size=(240, 60)):
    interim = current_user.role == STREET_ADMIN and request.args.get("interim") == "1"
    data = services.ranking_for_quarter(quarter, interim=interim)
    complete = services.quarter_complete(quarter)
    for entry in data["rows"]:
        entry.extra["svg"] = services.trend_svg(entry.name, entry.extra["trend"], *svg_size)
    year, q = quarter.split("Q")
    prev_q = f"{int(year) - (q == '1')}Q{(int(q) - 2) % 4 + 1}"
    next_q = f"{int(year) + (q == '4')}Q{int(q) % 4 + 1}"
    return dict(data=data, quarter=quarter, complete=complete, prev_q=prev_q, next_q=next_q,
                tie_rule=scoring.TIE_BREAK_TEXT, exit_rule=scoring.EXIT_RULE_TEXT, quarter_label=quarter_label)


@bp.route("/ranking")
@roles_required(*STAFF_ROLES)
def ranking():
    quarter = _quarter_arg()
    ctx = _ranking_context(quarter)
    setting = ctx["data"]["setting"]
    if current_user.role == STREET_ADMIN:
        form = PrizeForm(obj=setting) if setting else PrizeForm(first_prize=0, second_prize=0, third_prize=0)
        ctx["prize_form"] = form
    return render_template("assessments/ranking.html", **ctx)


def _quarter_setting(quarter):
    qr = db.session.scalar(select(QuarterRanking).where(QuarterRanking.quarter == quarter))
    if qr is None:
        qr = QuarterRanking(quarter=quarter)
        db.session.add(qr)
    return qr


@bp.route("/ranking/prizes", methods=["POST"])
@roles_required(STREET_ADMIN)
def ranking_prizes():
    quarter = _quarter_arg()
    form = PrizeForm()
    qr = db.session.scalar(select(QuarterRanking).where(QuarterRanking.quarter == quarter))
    if qr is not None and qr.is_published:
        flash("本季度排名已发布，奖金金额不能再修改。", "error")
        return redirect(url_for(".ranking", quarter=quarter), 303)
    if not form.validate():
        ctx = _ranking_context(quarter)
        ctx["prize_form"] = form
        return render_template("assessments/ranking.html", **ctx), 422
    qr = _quarter_setting(quarter)
    qr.first_prize = float(form.first_prize.data)
    qr.second_prize = float(form.second_prize.data)
    qr.third_prize = float(form.third_prize.data)
    db.session.commit()
    flash("本季度奖金金额已保存。", "success")
    return redirect(url_for(".ranking", quarter=quarter), 303)


@bp.route("/ranking/publish", methods=["POST"])
@roles_required(STREET_ADMIN)
def ranking_publish():
    """Freeze the quarter's ranking and hand it to the notice board."""
    quarter = _quarter_arg()
    qr = db.session.scalar(select(QuarterRanking).where(QuarterRanking.quarter == quarter))
    if qr is not None and qr.is_published:
        flash("本季度排名已经发布。", "warning")
        return redirect(url_for(".ranking", quarter=quarter), 303)
    try:
        services.publish_quarter(quarter, current_user)
    except ValueError as e:
        flash(str(e), "error")
        return redirect(url_for(".ranking", quarter=quarter), 303)
    db.session.commit()
    flash(f"{quarter_label(quarter)}考核排名已发布到公示栏。", "success")
    return redirect(url_for(".ranking", quarter=quarter), 303)


@bp.route("/ranking.pdf")
@roles_required(*STAFF_ROLES)
def ranking_pdf():
    quarter = _quarter_arg()
    ctx = _ranking_context(quarter, svg_size=(150, 44))
    html = render_template("assessments/pdf/ranking.html", **ctx)
    return pdf_response(html_to_pdf(html), f"{quarter_label(quarter)}物业考核排名.pdf")
