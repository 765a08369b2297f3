"""/assessments/sheets/<id>… and /assessments/photos/<id>: one compound's sheet, assigning
representatives, scoring it, and the findings' photos."""
import os

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ... import uploads
from ...auth.models import RESIDENT_REP, STREET_ADMIN, User
from ...clock import local_today
from ...extensions import db
from ...forms import CONFLICT_MESSAGE, save_or_conflict
from ...scope import ALL_ROLES, STAFF_ROLES, get_scoped_or_404, roles_required
from .. import scoring, services
from ..forms import PHOTO_AREA, AssignForm, score_form_class, score_values, store_photo, validate_score_form
from ..models import ScoreLine, SheetScore
from . import bp
from .common import may_see_result, scoped_sheet, scorer_kind_for, visible_scores


@bp.route("/sheets/<int:sheet_id>")
@roles_required(*ALL_ROLES)
def sheet_detail(sheet_id):
    sheet = scoped_sheet(sheet_id)
    rnd = sheet.round
    assign_form = None
    if current_user.role == STREET_ADMIN and not rnd.is_closed:
        assign_form = _assign_form(sheet)
    return render_template("assessments/sheet_detail.html", sheet=sheet, round=rnd, scores=visible_scores(sheet),
                           **_request_figures(sheet),
                           result=services.sheet_result(sheet, rnd) if may_see_result(sheet) else None,
                           show_result=may_see_result(sheet), can_score=scorer_kind_for(sheet) is not None,
                           assign_form=assign_form)


def _request_figures(sheet):
    """The residents' requests of this company at this compound in the round's month, for
    reference on the sheet; a "群众诉求办理" item gets the points the street's rule gives."""
    from ...requests import stats as request_stats

    figures = request_stats.company_month(sheet.company_id, sheet.compound_id, sheet.round.month.year,
                                          sheet.round.month.month)
    rule = request_stats.rule_for(sheet.compound.street_id)
    return {"request_figures": figures, "request_rule": rule,
            "request_points": lambda full: request_stats.points_from(figures, full, request_stats.rule_dict(rule))}


def _assign_form(sheet):
    form = AssignForm()
    taken = {s.scorer_id for s in sheet.scores}
    reps = db.session.scalars(select(User).where(User.role == RESIDENT_REP, User.active.is_(True),
                                                 User.street_id == sheet.round.street_id)
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
        services.assign_representative(sheet, rep)
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
    form.visited_on.data = score.visited_on or local_today()
    for item in form.template_items:
        line = lines.get(item.id)
        if item.rule == "judged":
            form[f"points_{item.id}"].data = line.points if line else item.full_points
        else:
            form[f"findings_{item.id}"].data = line.findings if line else 0
        form[f"finding_{item.id}"].data = line.finding_text if line else ""


def _photos_not_kept(form):
    """Item id → file name of each photo attached to a refused form: a browser cannot
    refill a file field, so the form says plainly which photos to choose again."""
    names = {}
    for item in form.template_items:
        storage = request.files.get(f"photo_{item.id}")
        if storage is not None and storage.filename:
            names[item.id] = "".join(ch for ch in storage.filename if ch.isprintable())[:80]
    return names


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
        return render_template("assessments/score_form.html", sheet=sheet, round=rnd, form=form, **_request_figures(sheet), score=score,
                               points=score_values(form), photos_again={})
    values = validate_score_form(form, request.files)
    if values is None:
        return render_template("assessments/score_form.html", sheet=sheet, round=rnd, form=form, **_request_figures(sheet), score=score,
                               points=score_values(form), photos_again=_photos_not_kept(form)), 422
    for v in values.values():
        data = v.pop("photo_data")
        v["photo"] = store_photo(*data) if data else None

    def write():
        if score.id is None:
            score.sheet = sheet
            db.session.add(score)
        return services.save_score(score, values, form.visited_on.data)

    # The same scorer saving twice at once (two tabs, a double tap): the later one meets
    # a newer version or the one-score-per-scorer key, and is told so.
    if save_or_conflict(write, form.form_errors, CONFLICT_MESSAGE) is None:
        return render_template("assessments/score_form.html", sheet=sheet, round=rnd, form=form, **_request_figures(sheet),
                               score=_my_score(sheet, kind), points=score_values(form),
                               photos_again=_photos_not_kept(form)), 409
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


@bp.route("/photos/<int:line_id>")
@roles_required(*ALL_ROLES)
def photo(line_id):
    """A finding's photo, for those who may read that scorer's lines."""
    line = get_scoped_or_404(select(ScoreLine).where(ScoreLine.id == line_id, ScoreLine.photo.is_not(None)))
    sheet = scoped_sheet(line.score.sheet_id)
    if line.score not in visible_scores(sheet):
        abort(404)
    path = uploads.path_in(PHOTO_AREA, line.photo)
    if not os.path.isfile(path):
        abort(404)
    ext = os.path.splitext(line.photo)[1]
    return uploads.send(path, "image/png" if ext == ".png" else "image/jpeg", f"现场照片-{line.id}{ext}")
