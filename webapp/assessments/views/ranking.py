"""/assessments/ranking…: the quarterly ranking, its prizes and its publication."""

from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ... import figures_cache
from ...auth.models import STREET_ADMIN
from ...clock import local_today
from ...confirm import ask, confirmed
from ...documents import services as documents
from ...extensions import db
from ...forms import page_arg
from ...scope import STAFF_ROLES, current_street_id, roles_required
from ..access import quarter_filter, reads_interim
from .. import scoring, services
from ..forms import PrizeForm
from ..models import AssessmentRound, QuarterRanking, quarter_label
from . import bp


def _quarter_arg():
    quarter = (request.args.get("quarter") or "").upper() or _default_quarter()
    try:
        scoring.quarter_months(quarter)
    except ValueError:
        abort(404)
    return quarter


def _default_quarter():
    latest = db.session.scalar(select(AssessmentRound.month).where(AssessmentRound.status == "closed",
                                                                   AssessmentRound.street_id == current_street_id())
                               .order_by(AssessmentRound.month.desc()).limit(1))
    return scoring.quarter_of(latest or local_today())


RANKING_PAGE = 50


def _ranking(quarter, interim):
    """`services.ranking_for_quarter`, kept per worker until the next write
    (`figures_cache`), without its QuarterRanking row (read afresh by the caller)."""
    def build():
        data = services.ranking_for_quarter(quarter, interim=interim)
        data.pop("setting")
        return data

    return figures_cache.kept(("ranking", current_street_id(), quarter, interim), build)


def _ranking_context(quarter, svg_size=(240, 60), interim=None, page=None):
    """What the ranking page and PDF show; `interim` (default: as the request asks and the
    user may) includes months not yet closed. `page`: the page shows RANKING_PAGE
    companies a page (`shown`, each with its trend chart); the PDF (no page) all of them.
    `bottom_rows`: the companies ever placed in the bottom three (the history table)."""
    if interim is None:
        interim = reads_interim() and request.args.get("interim") == "1"
    data = dict(_ranking(quarter, interim), setting=services.quarter_setting(quarter))
    complete = services.quarter_complete(quarter)
    shown = data["rows"][(page - 1) * RANKING_PAGE:page * RANKING_PAGE] if page else data["rows"]
    # New entries carrying their chart: the ranked ones are shared with the next request.
    data["shown"] = [replace(entry, extra={**entry.extra, "svg": services.trend_svg(entry.name, entry.extra["trend"],
                                                                                     *svg_size)})
                     for entry in shown]
    data["bottom_rows"] = [e for e in data["rows"] if e.extra["bottom"]]
    year, q = quarter.split("Q")
    prev_q = f"{int(year) - (q == '1')}Q{(int(q) - 2) % 4 + 1}"
    next_q = f"{int(year) + (q == '4')}Q{int(q) % 4 + 1}"
    from ...compounds.models import Street

    street_id = current_street_id()
    return dict(data=data, quarter=quarter, complete=complete, prev_q=prev_q, next_q=next_q, page=page or 1,
                total=len(data["rows"]), page_size=RANKING_PAGE,
                tie_rule=scoring.TIE_BREAK_TEXT, exit_rule=scoring.EXIT_RULE_TEXT, quarter_label=quarter_label,
                street=db.session.get(Street, street_id) if street_id else None)


@bp.route("/ranking")
@roles_required(*STAFF_ROLES)
def ranking():
    quarter = _quarter_arg()
    ctx = _ranking_context(quarter, page=page_arg(request.args))
    setting = ctx["data"]["setting"]
    if current_user.role == STREET_ADMIN:
        form = PrizeForm(obj=setting) if setting else PrizeForm(first_prize=0, second_prize=0, third_prize=0)
        ctx["prize_form"] = form
    return render_template("assessments/ranking.html", **ctx)



@bp.route("/ranking/prizes", methods=["POST"])
@roles_required(STREET_ADMIN)
def ranking_prizes():
    quarter = _quarter_arg()
    form = PrizeForm()
    qr = db.session.scalar(select(QuarterRanking).where(QuarterRanking.quarter == quarter, quarter_filter()))
    if qr is not None and qr.is_published:
        flash("本季度排名已发布，奖金金额不能再修改。", "error")
        return redirect(url_for(".ranking", quarter=quarter), 303)
    if not form.validate():
        ctx = _ranking_context(quarter, page=1)
        ctx["prize_form"] = form
        return render_template("assessments/ranking.html", **ctx), 422
    services.set_prizes(quarter, form.data)
    db.session.commit()
    flash("本季度奖金金额已保存。", "success")
    return redirect(url_for(".ranking", quarter=quarter), 303)


@bp.route("/ranking/publish", methods=["POST"])
@roles_required(STREET_ADMIN)
def ranking_publish():
    """Freeze the quarter's ranking and hand it to the notice board."""
    quarter = _quarter_arg()
    qr = db.session.scalar(select(QuarterRanking).where(QuarterRanking.quarter == quarter, quarter_filter()))
    if qr is not None and qr.is_published:
        flash("本季度排名已经发布。", "warning")
        return redirect(url_for(".ranking", quarter=quarter), 303)
    if services.quarter_complete(quarter) and not confirmed():
        rows = services.ranking_for_quarter(quarter)["rows"]
        return ask(f"发布{quarter_label(quarter)}考核排名？", url_for(".ranking_publish", quarter=quarter),
                   [f"冻结本季度 {len(rows)} 家物业企业的排名、得分和奖金，发布后不能再修改",
                    "排名立即显示在各社区公示栏和大屏上，居民可以看到"
                    + ("；列入退出提示的企业同时公示" if any(e.extra["flagged"] for e in rows) else "")],
                   services.publish_gaps(quarter), back=url_for(".ranking", quarter=quarter),
                   button="确认发布到公示栏")
    try:
        published = services.publish_quarter(quarter, current_user)
    except ValueError as e:
        flash(str(e), "error")
        return redirect(url_for(".ranking", quarter=quarter), 303)
    db.session.commit()
    documents.issue_later("ranking", published.id, f"{quarter_label(quarter)}考核排名定稿 PDF", current_user)
    flash(f"{quarter_label(quarter)}考核排名已发布到公示栏。", "success")
    return redirect(url_for(".ranking", quarter=quarter), 303)
