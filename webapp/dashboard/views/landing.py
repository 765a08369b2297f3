"""/ : the page each role lands on, and /healthz.

Street and community staff: coverage against the target date, requests, meetings and
follow-up tasks, the counts the street records, the latest ranking — every figure from
`dashboard.figures`, each linking to the list behind it. Company managers: their standing
in the assessment, findings to rectify and tasks meetings gave them. Resident
representatives: the score sheets waiting for them, one tap each (phone-sized)."""
from flask import jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from ... import figures_cache
from ...clock import local_today
from ...extensions import db
from .. import access, charts, figures
from ..periods import Period, month_labels, trailing_months
from . import bp


def staff_context(place, today=None):
    """Everything the staff landing page shows for `place`, as of today."""
    today = today or local_today()
    period = Period.month_of(today)
    months = trailing_months(period.start, 12)
    coverage = figures.coverage(place.street_id, today, place)
    snapshots = figures.coverage_trend(place, months)
    snapshots[period.start] = (coverage["covered"], coverage["compounds"])  # the running month: live
    appointments = figures.appointments_trend(place, months, today_count=coverage["appointments"])
    requests = figures.requests_summary(place, period)
    meetings = figures.meetings_summary(place, period)
    met, compounds, requirements = figures.compliance_count(place, period.start)
    labels = month_labels(months)
    covered_series = [snapshots[m][0] if m in snapshots else None for m in months]
    ctx = {
        "today": today, "period": period, "place": place, "months": months, "labels": labels,
        "coverage": coverage, "requests": requests, "meetings": meetings,
        "compliance": {"met": met, "compounds": compounds, "requirements": requirements},
        "tasks": figures.tasks_summary(place, today),
        "recorded": figures.recorded_summary(place, period),
        "ranking": figures.latest_ranking(place.street_id),
        "covered_series": covered_series, "appointments_series": appointments,
    }
    ctx["charts"] = staff_charts(ctx)
    return ctx


def staff_charts(ctx):
    """The landing page's (and the report's) charts, each with the table of its numbers."""
    labels, period, today = ctx["labels"], ctx["period"], ctx["today"]
    coverage, requests, meetings = ctx["coverage"], ctx["requests"], ctx["meetings"]
    covered, appointments = ctx["covered_series"], ctx["appointments_series"]
    request_counts = [n for _, n in requests["by_month"]]
    meeting_counts = [n for _, n in meetings["by_month"]]
    categories = [(label, n) for _, label, n in requests["by_category"]]
    communities = coverage["communities"]
    return {
        "coverage": {
            "svg": charts.line_chart(
                "chart-coverage", f"近十二个月红色物业覆盖小区数与在任交叉任职数（截至{today.month}月{today.day}日）",
                labels, [("覆盖小区", covered), ("在任交叉任职", appointments)]),
            "caption": "近十二个月覆盖小区与在任交叉任职（月末；覆盖数取当月关账时的记录）",
            "headers": ["月份", "覆盖小区", "在任交叉任职"], "rows": list(zip(labels, covered, appointments))},
        "communities": {
            "svg": charts.bar_chart("chart-communities", "各社区已覆盖小区数", [c["name"] for c in communities],
                                    [c["covered"] for c in communities], unit="个"),
            "caption": "各社区已覆盖小区", "headers": ["社区", "已覆盖", "小区数"],
            "rows": [(c["name"], c["covered"], c["compounds"]) for c in communities]},
        "requests": {
            "svg": charts.line_chart("chart-requests", "近十二个月每月收到的群众诉求（件）", labels,
                                     [("群众诉求", request_counts)], unit="件"),
            "caption": "近十二个月每月收到的群众诉求", "headers": ["月份", "件数"],
            "rows": list(zip(labels, request_counts))},
        "categories": {
            "svg": charts.bar_chart("chart-categories", f"{period.label}群众诉求按类别（件）",
                                    [c for c, _ in categories], [n for _, n in categories], unit="件"),
            "caption": f"{period.label}群众诉求按类别", "headers": ["类别", "件数"], "rows": categories},
        "meetings": {
            "svg": charts.line_chart("chart-meetings", "近十二个月每月召开的会议（次）", labels,
                                     [("会议", meeting_counts)], unit="次"),
            "caption": "近十二个月每月召开的会议", "headers": ["月份", "次数"],
            "rows": list(zip(labels, meeting_counts))},
    }


@bp.route("/")
@login_required
def index():
    kind = access.landing()
    if kind == "company":
        company_id = current_user.company_id or -1
        count, findings = figures.company_findings(company_id)
        today = local_today()
        return render_template("dashboard/company.html", standing=figures.company_standing(company_id),
                               findings=findings, findings_count=count, tasks=figures.company_tasks(company_id),
                               requests=figures.company_requests(company_id, Period.month_of(today)), today=today)
    if kind == "rep":
        count, sheets = figures.waiting_sheets(current_user.id)
        return render_template("dashboard/rep.html", count=count, sheets=sheets)
    place, today = access.place_for(), local_today()
    ctx = figures_cache.kept(("dashboard", place, today), lambda: staff_context(place, today))
    return render_template("dashboard/index.html", **ctx, can_report=current_user.role in access.REPORT_ROLES)


@bp.route("/healthz")
def healthz():
    """The database answers (503 when it does not), and the schema revision it is at."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    try:
        revision = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
    except Exception:  # reachable but not upgraded yet
        db.session.rollback()
        revision = []
    return jsonify(status="ok", database="ok", schema_revision=sorted(revision))
