"""/reports/: the street's monthly and quarterly reports to the district.

- `/reports/` lists the recent months and quarters with their PDF and xlsx.
- `/reports/<yyyy-mm>.pdf`, `/reports/<yyyy>-Q<n>.pdf` (and `.xlsx`): GET answers a closed
  period's stored PDF straight away once issued; otherwise it offers one button, and
  POST starts the report as a background job (dashboard/reports.py `run_job`) and goes to
  its progress page. The street admin's, for their street."""
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from ...clock import local_today
from ...documents import services as documents
from ...forms import BaseForm
from ...jobs import services as jobs
from ...scope import current_street_id, roles_required
from .. import access, reports as report_module
from ..periods import Period, add_months, month_start
from . import bp


def _period_or_404(slug):
    try:
        return Period.parse(slug)
    except ValueError:
        abort(404)


@bp.route("/reports/")
@roles_required(*access.REPORT_ROLES)
def reports():
    today = local_today()
    this_month = month_start(today)
    months = [Period.month_of(add_months(this_month, -i)) for i in range(12)]
    quarters = []
    q = Period.quarter_of(today)
    for _ in range(4):
        quarters.append(q)
        q = q.previous()
    street_id = current_street_id()
    stored = {p.slug: report_module.stored_document(street_id, p) for p in months + quarters if p.is_closed(today)}
    return render_template("dashboard/reports.html", months=months, quarters=quarters, stored=stored, today=today)


def _report(slug, fmt):
    period = _period_or_404(slug)
    today = local_today()
    if period.start > today:
        abort(404)
    street_id = current_street_id()
    if fmt == "pdf" and request.method == "GET":
        doc = report_module.stored_document(street_id, period)
        if doc is not None:
            return documents.serve(doc)
    what = "PDF" if fmt == "pdf" else "Excel 工作簿"
    heading = f"{period.label}红色物业工作报告（{what}）"
    if request.method == "GET":
        if current_user.role not in access.REPORT_ROLES:  # district and city staff: read only
            return render_template("dashboard/report_pending.html", heading=heading, period=period)
        note = ("本期已结束：生成后作为正式文件保存，此后每次打印内容相同，并可凭核验码查验。"
                if period.is_closed(today) and fmt == "pdf" else
                "本期尚未结束，数据截至今天。" if not period.is_closed(today) else "")
        return render_template("jobs/offer.html", heading=heading, form=BaseForm(),
                               message=f"{note}报告将在后台生成。", action=request.path)
    if not BaseForm().validate_on_submit():
        abort(400)
    job = jobs.start("street_report", heading, {"period": period.slug, "format": fmt, "street_id": street_id},
                     user=current_user, total=3, unit="步")
    return redirect(url_for("jobs.detail", job_id=job.id), code=303)


@bp.get("/reports/<period>.pdf")
@roles_required(*access.REPORT_ROLES)
def report_pdf(period):
    """A closed period's stored PDF, or the page that offers to make it. GET-only, so
    district and city staff read the reports of the street they view."""
    return _report(period, "pdf")


@bp.post("/reports/<period>.pdf")
@roles_required(*access.REPORT_ROLES)
def report_pdf_start(period):
    return _report(period, "pdf")


@bp.get("/reports/<period>.xlsx")
@roles_required(*access.REPORT_ROLES)
def report_xlsx(period):
    return _report(period, "xlsx")


@bp.post("/reports/<period>.xlsx")
@roles_required(*access.REPORT_ROLES)
def report_xlsx_start(period):
    return _report(period, "xlsx")
