"""/assessments/ and /assessments/rounds…: each role's starting point, and the monthly rounds
(open, look at, close, reopen)."""
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import contains_eager, selectinload

from ... import figures_cache
from ...auth.models import COMPANY_USER, RESIDENT_REP, STREET_ADMIN
from ...clock import local_today
from ...companies.models import PropertyCompany
from ...compounds.models import Compound
from ...confirm import ask, confirmed
from ...documents import services as documents
from ...extensions import db
from ...forms import page_arg
from ...paging import bounded_count
from ...search import matches
from ...scope import ALL_ROLES, STAFF_ROLES, current_street_id, get_scoped_or_404, roles_required
from .. import services
from ..forms import ReopenForm, RoundForm
from ..models import AssessmentRound, AssessmentSheet, AssessmentTemplate, SheetScore
from . import bp
from ..access import reads_interim, round_filter, sheet_filter, template_filter


@bp.route("/")
@roles_required(*ALL_ROLES)
def index():
    """Each role's starting point: rounds for staff, assigned sheets, own results."""
    rounds = db.session.scalars(select(AssessmentRound).where(round_filter())
                                .order_by(AssessmentRound.month.desc())).all()
    ctx = {"rounds": rounds, "sheet_counts": _sheet_counts(rounds)}
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
        nxt = _next_month(rounds[0].month) if rounds else local_today().replace(day=1)
        form.month.data = f"{nxt:%Y-%m}"
        if rounds:
            _like_last_round(form, rounds[0])
        ctx["round_form"] = form
    ctx["published"] = services.published_rankings(limit=4)
    return render_template("assessments/index.html", **ctx)


def _sheet_counts(rounds):
    """{round id: its number of sheets}, counted in one statement (not by loading each
    round's sheets: a round has one per compound served) and kept until the next write
    (`figures_cache`: at 10,000 compounds six rounds are 60,000 index entries)."""
    if not rounds:
        return {}
    ids = tuple(r.id for r in rounds)
    return figures_cache.kept(("round_sheet_counts", ids), lambda: dict(db.session.execute(
        select(AssessmentSheet.round_id, func.count()).where(AssessmentSheet.round_id.in_(ids))
        .group_by(AssessmentSheet.round_id)).all()))


def _like_last_round(form, last):
    """A new month starts like the last one: its template (or, if that revision has been
    retired, the newest revision of the same template) and its weights."""
    offered = {value for value, _ in form.template_id.choices}
    template = last.template
    if template.id not in offered:
        template = db.session.scalars(
            select(AssessmentTemplate).where(AssessmentTemplate.name == template.name, template_filter(),
                                             AssessmentTemplate.retired.is_(False))
            .order_by(AssessmentTemplate.revision.desc())).first()
    if template is not None:
        form.template_id.data = template.id
    form.cadre_weight.data = last.cadre_weight
    form.rep_weight.data = last.rep_weight


def _next_month(month):
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _template_choices():
    templates = db.session.scalars(select(AssessmentTemplate).where(AssessmentTemplate.retired.is_(False),
                                                                    template_filter())
                                   .order_by(AssessmentTemplate.name, AssessmentTemplate.revision.desc())).all()
    return [(t.id, t.label) for t in templates]


@bp.route("/rounds", methods=["POST"])
@roles_required(STREET_ADMIN)
def round_create():
    form = RoundForm()
    form.template_id.choices = _template_choices()
    if form.validate():
        year, month = (int(x) for x in form.month.data.split("-"))
        first = date(year, month, 1)
        if db.session.scalar(select(AssessmentRound).where(AssessmentRound.month == first,
                                                           AssessmentRound.street_id == current_street_id())):
            form.month.errors.append("该月份的考核已经存在。")
        else:
            template = get_scoped_or_404(select(AssessmentTemplate).where(
                AssessmentTemplate.id == form.template_id.data, template_filter()))
            rnd = services.create_round(first, template, float(form.cadre_weight.data), float(form.rep_weight.data))
            db.session.commit()
            flash(f"已开启{rnd.title}，共 {len(rnd.sheets)} 张考核表。", "success")
            return redirect(url_for(".round_detail", round_id=rnd.id), 303)
    rounds = db.session.scalars(select(AssessmentRound).where(round_filter())
                                .order_by(AssessmentRound.month.desc())).all()
    return render_template("assessments/index.html", rounds=rounds, sheet_counts=_sheet_counts(rounds), round_form=form,
                           published=services.published_rankings(limit=4)), 422


def _round_or_404(round_id):
    return get_scoped_or_404(select(AssessmentRound).where(AssessmentRound.id == round_id, round_filter()))


SHEETS_PAGE = 50
RANKING_TOP = 20


def _sheets_stmt(rnd, q="", state=""):
    """The round's sheets the user may open, by company then compound name, optionally
    by company or compound name (`q`) and by state (`services.SHEET_STATES`)."""
    stmt = (select(AssessmentSheet).join(AssessmentSheet.company).join(AssessmentSheet.compound)
            .where(AssessmentSheet.round_id == rnd.id, sheet_filter())
            .order_by(AssessmentSheet.company_id, Compound.name, AssessmentSheet.id))
    if q:
        stmt = stmt.where(matches(q, PropertyCompany.name, Compound.name))
    if state:
        def having(submitted):
            status = SheetScore.status == "submitted"
            return exists().where(SheetScore.sheet_id == AssessmentSheet.id, status if submitted else ~status)
        stmt = stmt.where({"scored": and_(having(True), ~having(False)), "waiting": and_(having(True), having(False)),
                           "unscored": ~having(True)}[state])
    return stmt


def _round_page(rnd, reopen_form, status=200):
    """The round: its totals and (street readers) company ranking aggregated in SQL, and
    one page of its sheets, found by name and state."""
    q = request.args.get("q", "").strip()[:100]
    state = request.args.get("state") if request.args.get("state") in services.SHEET_STATES else ""
    page = page_arg(request.args)
    summary = services.round_summary(rnd, sheet_filter())
    stmt = _sheets_stmt(rnd, q, state)
    if q:
        total, capped = bounded_count(stmt, AssessmentSheet.id, page, SHEETS_PAGE)
    else:  # counted with the figures already
        total, capped = (summary[state] if state else summary["sheets"]), False
    sheets = db.session.scalars(
        stmt.options(selectinload(AssessmentSheet.scores).selectinload(SheetScore.scorer),
                     contains_eager(AssessmentSheet.company), contains_eager(AssessmentSheet.compound))
        .limit(SHEETS_PAGE).offset((page - 1) * SHEETS_PAGE)).all()  # the rows name both: no query per sheet
    show_results = reads_interim() or rnd.is_closed
    rows = [(s, services.sheet_result(s, rnd) if show_results else None) for s in sheets]
    whole_ranking = request.args.get("ranking") == "all"
    interim = services.round_ranking(rnd, None if whole_ranking else RANKING_TOP) if reads_interim() else None
    return render_template("assessments/round_detail.html", round=rnd, rows=rows, show_results=show_results,
                           interim=interim, interim_total=summary["companies"], whole_ranking=whole_ranking,
                           ranking_top=RANKING_TOP, summary=summary,
                           states=services.SHEET_STATES, q=q, state=state, page=page, total=total, capped=capped,
                           page_size=SHEETS_PAGE, reopen_form=reopen_form), status


@bp.route("/rounds/<int:round_id>")
@roles_required(*STAFF_ROLES)
def round_detail(round_id):
    return _round_page(_round_or_404(round_id), ReopenForm())


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@roles_required(STREET_ADMIN)
def round_close(round_id):
    rnd = _round_or_404(round_id)
    if rnd.is_closed:
        flash("本月考核已经关闭。", "warning")
        return redirect(url_for(".round_detail", round_id=rnd.id), 303)
    if not confirmed():
        return ask(f"关闭{rnd.title}？", url_for(".round_close", round_id=rnd.id),
                   [f"锁定全部 {len(rnd.sheets)} 张考核表的得分，评分不能再提交或修改（重新开启须填写原因并记录）",
                    "各物业企业可以查看本企业本月的结果，本月得分计入季度排名"],
                   services.close_round_gaps(rnd), back=url_for(".round_detail", round_id=rnd.id),
                   button="确认关闭并锁定得分")
    services.close_round(rnd, current_user)
    db.session.commit()
    # The closed month's filled sheets are final: print them once, in the background
    # (webapp/documents/), so that every later print serves the stored, verifiable file.
    documents.issue_later_many("sheet", [s.id for s in rnd.sheets], f"{rnd.title}考核表定稿 PDF", current_user)
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
        return _round_page(rnd, form, 422)
    services.reopen_round(rnd, current_user, form.reason.data)
    db.session.commit()
    flash(f"{rnd.title}已重新开启，原因已记录。", "success")
    return redirect(url_for(".round_detail", round_id=rnd.id), 303)
