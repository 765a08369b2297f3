"""/district/…: the district's and the city's pages.

- /district/                                 every district the user reads, street by street
- /district/<region_id>/                     one district, street by street
- /district/<region_id>/ranking              the quarter's cross-street ranking of companies
- /district/<region_id>/selections           金牌红色物业 selections (list; POST: a new one)
- /district/selections/<id>                  one selection: candidates, criteria, decision
- /district/selections/<id>/criteria|decide|publish   its writes (district staff)
- /district/<region_id>/templates            assessment templates the district publishes
- /district/templates/offered, /district/templates/<id>/adopt   a street adopts one

Who reads what: `access.py`. Every figure links down into the street through the
streets domain's "view this street" route, with `next` = the filtered list behind it.
"""
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import figures_cache
from ..assessments import scoring
from ..assessments.models import AssessmentRound, AssessmentTemplate, quarter_label
from ..clock import local_today
from ..confirm import ask, confirmed
from ..extensions import db
from ..forms import id_arg, page_arg, save_or_conflict
from ..scope import roles_required
from . import access, figures, ranking, services
from .forms import CriteriaForm, DecisionForm, SelectionForm
from .models import GoldCandidate, GoldSelection

bp = Blueprint("district", __name__, url_prefix="/district")

# The streets domain's route that lets an above-street user look at one street's pages.
VIEW_STREET_ENDPOINT = "streets.view"


RANKING_PAGE = 50


def into(street, endpoint, **args):
    """The link from a district figure down into the street's list behind it, or None
    while the streets domain's view-street route is not there.

    A district page links each of its figures for every street (a city: 100 streets × 7
    figures), so each link pattern is built once per request by url_for and the street
    put in by string (the same URL url_for would build)."""
    if VIEW_STREET_ENDPOINT not in current_app.view_functions:
        return None
    cache = g.setdefault("district_into", {})
    key = (endpoint, tuple(sorted(args.items())))
    parts = cache.get(key)
    if parts is None:
        built = url_for(VIEW_STREET_ENDPOINT, street_id=_SENTINEL, next=url_for(endpoint, **args))
        parts = cache[key] = built.split(str(_SENTINEL), 1)
    return f"{parts[0]}{street.id}{parts[1]}"


_SENTINEL = 987654321


def _period():
    """(period, year, number) from ?period=month|quarter&year=&n=, default this quarter."""
    today = local_today()
    period = request.args.get("period") if request.args.get("period") in ("month", "quarter") else "quarter"
    year = id_arg(request.args, "year") or today.year
    number = id_arg(request.args, "n")
    if not (2000 <= year <= 2100) or (number is not None and not 1 <= number <= (12 if period == "month" else 4)):
        year, number = today.year, None
    return figures.period_of(today, period, year, number)


def _period_label(period, year, number):
    return f"{year}年{number}月" if period == "month" else f"{year}年第{'一二三四'[number - 1]}季度"


def _street_page(districts, single=None):
    period, year, number = _period()
    streets = access.streets_of([d.id for d in districts])
    rows, everything = _street_rows(streets, period, year, number)
    sections = []
    for d in districts:
        mine = [r for r in rows if r["street"].region_id == d.id]
        sections.append({"district": d, "rows": mine, "total": figures.total_row(mine, figures.requests_hook() is not None)})
    return render_template(
        "district/index.html", sections=sections, single=single, period=period, year=year, number=number,
        period_label=_period_label(period, year, number), into=into, requests_as_of=everything["requests_as_of"],
        requests_ready=figures.requests_hook() is not None, today=local_today(),
        links_ready=VIEW_STREET_ENDPOINT in current_app.view_functions,
    )


def _street_rows(streets, period, year, number):
    """`figures.street_rows`, kept per worker until the next write (`figures_cache`): the
    rows name their street by id there, and get this request's Street rows back."""
    def build():
        rows, everything = figures.street_rows(streets, period, year, number)
        return [dict(r, street=r["street"].id) for r in rows], everything

    key = ("district", tuple(s.id for s in streets), period, year, number, local_today())
    rows, everything = figures_cache.kept(key, build)
    by_id = {s.id: s for s in streets}
    return [dict(r, street=by_id[r["street"]]) for r in rows], everything


@bp.route("/")
@roles_required(*access.READERS)
def index():
    """District staff: their district; city staff: every district of the city, in turn."""
    return _street_page(access.visible_districts())


@bp.route("/<int:region_id>/")
@roles_required(*access.READERS)
def district(region_id):
    region = access.district_or_404(region_id)
    return _street_page([region], single=region)


def _quarter_arg(streets):
    quarter = (request.args.get("quarter") or "").strip().upper()
    if not quarter:
        latest = None
        if streets:
            latest = db.session.scalar(
                select(AssessmentRound.month).where(AssessmentRound.street_id.in_([s.id for s in streets]),
                                                    AssessmentRound.status == "closed")
                .order_by(AssessmentRound.month.desc()).limit(1))
        quarter = scoring.quarter_of(latest or local_today())
    try:
        scoring.quarter_months(quarter)
    except ValueError:
        abort(404)
    return quarter


def _neighbours(quarter):
    year, q = quarter.split("Q")
    return (f"{int(year) - (q == '1')}Q{(int(q) - 2) % 4 + 1}", f"{int(year) + (q == '4')}Q{int(q) % 4 + 1}")


@bp.route("/<int:region_id>/ranking")
@roles_required(*access.READERS)
def district_ranking(region_id):
    """Each street's quarter scores of the companies side by side, and the district's order."""
    region = access.district_or_404(region_id)
    streets = access.streets_of([region.id])
    quarter = _quarter_arg(streets)
    def build():
        data = ranking.cross_street(streets, quarter)
        data.pop("streets")  # Street rows: this request's, below
        return data

    data = dict(figures_cache.kept(("district_ranking", tuple(s.id for s in streets), quarter), build),
                streets=list(streets))
    page = page_arg(request.args)
    total = len(data["lines"])
    data["lines"] = data["lines"][(page - 1) * RANKING_PAGE:page * RANKING_PAGE]
    prev_q, next_q = _neighbours(quarter)
    return render_template("district/ranking.html", region=region, data=data, quarter=quarter,
                           label=quarter_label(quarter), prev_q=prev_q, next_q=next_q, into=into,
                           can_select=access.can_run_selection(region), page=page, total=total,
                           page_size=RANKING_PAGE)


# --- 金牌红色物业 selection -------------------------------------------------------------

def _selection_or_404(selection_id):
    selection = db.session.scalar(
        select(GoldSelection).where(GoldSelection.id == selection_id, access.selection_filter())
        .options(selectinload(GoldSelection.candidates).selectinload(GoldCandidate.company))
    )
    if selection is None:
        abort(404)
    return selection


def _require_writer(region):
    if not access.can_run_selection(region):
        abort(403)


def _selections_page(region, form, status=200):
    selections = db.session.scalars(select(GoldSelection).where(GoldSelection.region_id == region.id)
                                    .order_by(GoldSelection.period.desc())).all()
    return render_template("district/selections.html", region=region, selections=selections, form=form,
                           can_select=access.can_run_selection(region)), status


@bp.route("/<int:region_id>/selections", methods=["GET", "POST"])
@roles_required(*access.READERS)
def selections(region_id):
    """The district's selections; district staff start a new one (candidates from the ranking)."""
    region = access.district_or_404(region_id)
    form = SelectionForm()
    if request.method == "GET":
        if not form.period.data:
            form.period.data = request.args.get("quarter") or scoring.quarter_of(local_today())
        return _selections_page(region, form)
    _require_writer(region)
    if not form.validate():
        return _selections_page(region, form, 422)
    try:
        selection = services.create_selection(region, form.data)
    except services.SelectionError as e:
        form.form_errors.append(str(e))
        return _selections_page(region, form, 422)
    if save_or_conflict(errors=form.form_errors, duplicate="本区该季度已有评选，请打开已有的评选。") is None:
        return _selections_page(region, form, 409)
    flash(f"已建立评选，{len(selection.candidates)} 家企业按排名列为候选。", "success")
    return redirect(url_for(".selection", selection_id=selection.id), 303)


def _selection_page(selection, criteria_form=None, decision_form=None, status=200):
    region = selection.region
    return render_template(
        "district/selection.html", selection=selection, region=region,
        criteria_form=criteria_form or CriteriaForm(obj=selection),
        decision_form=decision_form or DecisionForm(version=selection.version),
        can_select=access.can_run_selection(region), label=quarter_label(selection.period),
    ), status


@bp.route("/selections/<int:selection_id>")
@roles_required(*access.READERS)
def selection(selection_id):
    return _selection_page(_selection_or_404(selection_id))


@bp.route("/selections/<int:selection_id>/criteria", methods=["POST"])
@roles_required(*access.WRITERS)
def selection_criteria(selection_id):
    selection = _selection_or_404(selection_id)
    _require_writer(selection.region)
    form = CriteriaForm()
    if not form.validate() or form.is_stale(selection):
        return _selection_page(selection, criteria_form=form, status=409 if form.form_errors else 422)
    try:
        services.update_criteria(selection, form.data)
    except services.SelectionError as e:
        form.form_errors.append(str(e))
        return _selection_page(selection, criteria_form=form, status=422)
    if save_or_conflict(errors=form.form_errors) is None:
        return _selection_page(_selection_or_404(selection_id), criteria_form=form, status=409)
    flash("评选名称和标准已保存。", "success")
    return redirect(url_for(".selection", selection_id=selection.id), 303)


def _chosen_ids():
    raw = request.form.getlist("chosen") or (request.form.get("chosen_ids") or "").split(",")
    ids = []
    for value in raw:
        value = value.strip()
        if value.isdigit() and len(value) < 10:
            ids.append(int(value))
    return ids


@bp.route("/selections/<int:selection_id>/decide", methods=["POST"])
@roles_required(*access.WRITERS)
def selection_decide(selection_id):
    """Fix the chosen companies (asks first: a decided selection no longer changes)."""
    selection = _selection_or_404(selection_id)
    _require_writer(selection.region)
    form = DecisionForm()
    chosen = _chosen_ids()
    if not form.validate() or form.is_stale(selection):
        return _selection_page(selection, decision_form=form, status=409 if form.form_errors else 422)
    names = [c.title for c in selection.candidates if c.id in set(chosen)]
    if not names or len(names) != len(set(chosen)):
        form.form_errors.append("请至少勾选一家候选企业（只能勾选本评选的候选企业）。")
        return _selection_page(selection, decision_form=form, status=422)
    if not confirmed():
        return ask(f"决定{selection.title}的入选企业？", url_for(".selection_decide", selection_id=selection.id),
                   [f"入选：{'、'.join(names)}", "决定后候选名单、入选企业和评选标准不能再修改；公示需另行确认"],
                   fields={"chosen_ids": ",".join(str(i) for i in chosen), "note": form.note.data or "",
                           "version": selection.version},
                   back=url_for(".selection", selection_id=selection.id), button="确认决定")
    try:
        services.decide(selection, chosen, form.note.data, current_user)
    except services.SelectionError as e:
        form.form_errors.append(str(e))
        return _selection_page(selection, decision_form=form, status=422)
    if save_or_conflict(errors=form.form_errors) is None:
        return _selection_page(_selection_or_404(selection_id), decision_form=form, status=409)
    flash("评选结果已决定。", "success")
    return redirect(url_for(".selection", selection_id=selection.id), 303)


@bp.route("/selections/<int:selection_id>/publish", methods=["POST"])
@roles_required(*access.WRITERS)
def selection_publish(selection_id):
    """Publish a decided selection to every street's public board in the district."""
    selection = _selection_or_404(selection_id)
    _require_writer(selection.region)
    if selection.status != "decided":
        flash("只有已决定、尚未公示的评选才能公示。", "error")
        return redirect(url_for(".selection", selection_id=selection.id), 303)
    streets = access.streets_of([selection.region_id])
    if not confirmed():
        return ask(f"公示{selection.title}？", url_for(".selection_publish", selection_id=selection.id),
                   [f"入选企业：{'、'.join(c.title for c in selection.chosen)}",
                    f"立即显示在本区 {len(streets)} 个街道的公示栏上：{'、'.join(s.name for s in streets)}"],
                   back=url_for(".selection", selection_id=selection.id), button="确认公示")
    services.publish(selection, current_user)
    db.session.commit()
    flash(f"已公示到本区 {len(streets)} 个街道的公示栏。", "success")
    return redirect(url_for(".selection", selection_id=selection.id), 303)


# --- assessment templates the district publishes, the streets adopt --------------------

def _templates_page(region, error=None, status=200):
    published = db.session.scalars(access.district_templates(region.id)).all()
    sources = db.session.scalars(access.street_templates(region.id).options(selectinload(AssessmentTemplate.street))).all()
    return render_template("district/templates.html", region=region, published=published, sources=sources,
                           can_publish=access.can_run_selection(region), error=error), status


@bp.route("/<int:region_id>/templates", methods=["GET", "POST"])
@roles_required(*access.READERS)
def templates(region_id):
    """The district's published assessment templates; district staff publish a copy of one
    of their streets' templates for every street to adopt."""
    region = access.district_or_404(region_id)
    if request.method == "GET":
        return _templates_page(region)
    _require_writer(region)
    source_id = id_arg(request.form, "source")
    source = db.session.scalar(access.street_templates(region.id).where(AssessmentTemplate.id == source_id)) \
        if source_id else None
    if source is None:
        return _templates_page(region, "请选择本区街道的一个考核模板。", 422)
    copy = services.publish_template(region, source)
    db.session.commit()
    flash(f"已发布“{copy.label}”，本区各街道可以采用。", "success")
    return redirect(url_for(".templates", region_id=region.id), 303)


def _offered_street():
    from ..compounds.models import Street

    if not access.can_adopt():
        abort(403)
    street = db.session.get(Street, current_user.street_id)
    if street is None or street.region_id is None:
        abort(404)
    return street


@bp.route("/templates/offered")
@roles_required(*access.ADOPTERS)
def offered_templates():
    """A street administrator's view: the templates its district published, to adopt."""
    street = _offered_street()
    published = db.session.scalars(access.district_templates(street.region_id)).all()
    return render_template("district/offered.html", street=street, published=published,
                           adopted=services.adopted_ids(street, [t.id for t in published]))


@bp.route("/templates/<int:template_id>/adopt", methods=["POST"])
@roles_required(*access.ADOPTERS)
def adopt_template(template_id):
    street = _offered_street()
    template = db.session.scalar(access.district_templates(street.region_id)
                                 .where(AssessmentTemplate.id == template_id))
    if template is None:
        abort(404)
    if template.id in services.adopted_ids(street, [template.id]) and not confirmed():
        return ask(f"再次采用“{template.label}”？", url_for(".adopt_template", template_id=template.id),
                   ["本街道已采用过这个模板；再次采用会在本街道的模板中再添一个新版本"],
                   back=url_for(".offered_templates"), button="仍然采用")
    copy = services.adopt_template(template, street)
    db.session.commit()
    flash(f"已采用，本街道的模板中新增“{copy.label}”，可在考核模板页修改后使用。", "success")
    return redirect(url_for("assessments.template_detail", template_id=copy.id), 303)
