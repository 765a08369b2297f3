"""The street's monthly and quarterly report to the district: its figures, the PDF and
the xlsx workbook, the background job that makes them, and the stored document a closed
period's PDF becomes.

`report_data(street_id, period)` gathers every figure as of the period's end (today for
the period that runs) beside the period before, from `dashboard.figures`; the PDF
(templates/dashboard/report.html, A4) and the workbook (one sheet per table) print the
same dict. A closed period's PDF is issued once through `documents.services.issue`
("street_report" kind, see `final`), so it prints the same figures whenever it is asked
for and is verifiable at /verify/<code>.
"""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..clock import local_today
from ..compounds.models import Community, Compound, Street
from ..extensions import db
from ..jobs.services import JobError, Result
from . import figures, services
from .figures import Place
from .models import CoverageSnapshot, StreetReport
from .periods import Period, month_labels, trailing_months

MEETINGS_LISTED = 400  # meetings held, listed in the report (the count is always whole)


def _change(value, previous):
    if value is None or previous is None:
        return None
    return value - previous


def _snapshot(street_id, month):
    """The street's coverage snapshot at a month's end: dict or None."""
    rows = db.session.execute(select(CoverageSnapshot).where(
        CoverageSnapshot.street_id == street_id, CoverageSnapshot.month == month)).scalars().all()
    if not rows:
        return None
    keys = ("compounds", "covered", "buildings", "stewards", "committees", "red_committees", "appointments")
    return {k: sum(getattr(r, k) for r in rows) for k in keys}


def report_data(street_id, period, today=None):
    """Every figure of the report for `period` of the street, with the period before."""
    today = today or local_today()
    place = Place(street_id)
    street = db.session.get(Street, street_id)
    as_of = period.as_of(today)
    closed = period.is_closed(today)
    prev = period.previous()
    last_month = period.months[-1]
    if closed:
        services.snapshot_month(street_id, last_month)
    cov_live = figures.coverage(street_id, as_of, place)
    cov = _snapshot(street_id, last_month) if closed else None
    cov = dict(cov_live, **cov) if cov else cov_live
    cov_prev = _snapshot(street_id, prev.months[-1]) or {}
    cov_prev["appointments"] = figures.coverage(street_id, prev.last_day, place)["appointments"]
    req, req_prev = figures.requests_summary(place, period), figures.requests_summary(place, prev)
    meet, meet_prev = figures.meetings_summary(place, period), figures.meetings_summary(place, prev)
    tasks, tasks_prev = figures.tasks_summary(place, as_of), figures.tasks_summary(place, prev.last_day)
    compliance = [(m, *figures.compliance_count(place, m)) for m in period.months]
    recorded = figures.recorded_summary(place, period)

    def line(label, value, previous, unit="", total=None):
        return {"label": label, "value": value, "previous": previous, "change": _change(value, previous),
                "unit": unit, "total": total}

    rows = [
        line("红色物业覆盖小区", cov["covered"], cov_prev.get("covered"), "个", cov["compounds"]),
        line("尚未覆盖小区", cov["compounds"] - cov["covered"],
             cov_prev["compounds"] - cov_prev["covered"] if "compounds" in cov_prev else None, "个"),
        line("楼栋有红色管家/楼长", cov["stewards"], cov_prev.get("stewards"), "栋", cov["buildings"]),
        line("业委会党员占比≥50%", cov["red_committees"], cov_prev.get("red_committees"), "个", cov["committees"]),
        line("在任交叉任职", cov["appointments"], cov_prev.get("appointments"), "人"),
        line("物业企业已建党组织或选派指导员", cov_live["companies_org"] + cov_live["companies_instructor"], None, "家",
             cov_live["companies"]),
        line("收到群众诉求", req["received"], req_prev["received"], "件"),
        line("其中已办结", req["resolved"], req_prev["resolved"], "件"),
        line("其中按期办结", req["on_time"], req_prev["on_time"], "件"),
        line("期末未办结诉求", req["open"], req_prev["open"], "件"),
        line("期末逾期诉求", req["overdue"], req_prev["overdue"], "件"),
        line("召开会议", meet["held"], meet_prev["held"], "次"),
        line("跟进任务已办结", tasks["done"], tasks_prev["done"], "项", tasks["total"]),
        line("跟进任务已逾期", tasks["overdue"], tasks_prev["overdue"], "项"),
    ]
    for kind, k in recorded.items():
        if k["recorded_in_period"]:
            rows.append(line(k["label"], k["value"], k["previous"], k["unit"]))
    months = trailing_months(last_month, 12)
    labels = month_labels(months)
    snapshots = figures.coverage_trend(place, months)
    if not closed:
        snapshots[last_month] = (cov_live["covered"], cov_live["compounds"])
    covered_series = [snapshots[m][0] if m in snapshots else None for m in months]
    appointments_series = figures.appointments_trend(place, months)
    lo, hi = period.local_bounds()
    from ..meetings.models import Meeting

    held = db.session.scalars(
        select(Meeting).where(place.records(Meeting.community_id, Meeting.compound_id), Meeting.is_current.is_(True),
                              Meeting.starts_at >= lo, Meeting.starts_at < min(hi, _tomorrow()))
        .options(selectinload(Meeting.kind), selectinload(Meeting.community), selectinload(Meeting.compound))
        .order_by(Meeting.starts_at, Meeting.id).limit(MEETINGS_LISTED)).all()
    uncovered = db.session.execute(
        select(Community.name, Compound.name).join(Community, Community.id == Compound.community_id)
        .where(Compound.id.in_(place.compound_ids()), ~figures.covered_condition())
        .order_by(Community.name, Compound.name)).all()
    ctx = {
        "street": street, "period": period, "previous": prev, "as_of": as_of, "closed": closed, "rows": rows,
        "coverage": cov_live, "requests": req, "meetings": meet, "tasks": tasks, "compliance": compliance,
        "recorded": recorded, "ranking": figures.latest_ranking(street_id, until_quarter=period.assessment_quarter),
        "held": held, "held_days": _by_day(held), "uncovered": uncovered, "labels": labels,
        "covered_series": covered_series, "appointments_series": appointments_series, "today": today,
    }
    from .views.landing import staff_charts

    ctx["charts"] = staff_charts(dict(ctx, period=period, today=as_of))
    return ctx


def _by_day(meetings):
    """[(day, [meetings of that day])] in order: the PDF lists a day's meetings in one
    row, which WeasyPrint lays out in a fraction of the time of one row per meeting."""
    from itertools import groupby

    return [(day, list(group)) for day, group in groupby(meetings, key=lambda m: m.starts_at.date())]


def _tomorrow():
    """Midnight at the end of today (naive local): meetings dated up to today are held."""
    from datetime import datetime, time, timedelta

    return datetime.combine(local_today() + timedelta(days=1), time())


def report_title(street, period):
    return f"{street.name if street else ''}红色物业工作{'季度' if period.is_quarter else '月度'}报告（{period.label}）"


def report_filename(street, period, ext):
    return f"{period.slug}-{street.name if street else '街道'}红色物业工作报告.{ext}"


def render_pdf(data):
    """The report's A4 PDF bytes."""
    from flask import render_template

    from ..pdf import html_to_pdf

    return html_to_pdf(render_template("dashboard/report.html", title=report_title(data["street"], data["period"]),
                                       **data))


def render_xlsx(data):
    """The report's figures as a workbook, one sheet per table (openpyxl, as excel.py)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from ..excel import _cell

    wb = Workbook()
    wb.remove(wb.active)

    def sheet(title, headers, rows):
        ws = wb.create_sheet(title[:31])
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F0ECE6")
        ws.freeze_panes = "A2"
        for row in rows:
            ws.append([_cell(v) for v in row])
        for i, h in enumerate(headers, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, min(40, len(str(h)) * 2 + 4))

    p, prev = data["period"], data["previous"]
    sheet("主要数据", ["项目", p.label, prev.label, "变化", "单位", "总数"],
          [(r["label"], r["value"], r["previous"], r["change"], r["unit"], r["total"]) for r in data["rows"]])
    sheet("各社区覆盖", ["社区", "已覆盖小区", "小区数"],
          [(c["name"], c["covered"], c["compounds"]) for c in data["coverage"]["communities"]])
    sheet("覆盖趋势", ["月份", "覆盖小区", "在任交叉任职"],
          list(zip(data["labels"], data["covered_series"], data["appointments_series"])))
    sheet("诉求按月", ["月份", "件数"], [(f"{m:%Y-%m}", n) for m, n in data["requests"]["by_month"]])
    sheet("诉求按类别", ["类别", "件数"], [(label, n) for _, label, n in data["requests"]["by_category"]])
    sheet("逾期诉求按承办单位", ["承办单位", "逾期件数"], data["requests"]["overdue_by_assignee"])
    sheet("会议按类型", ["会议类型", "次数"], [(name, n) for _, name, n in data["meetings"]["by_kind"]])
    sheet("三会三公开", ["月份", "达标小区", "小区数", "要求项数"],
          [(f"{m:%Y-%m}", met, n, reqs) for m, met, n, reqs in data["compliance"]])
    ranking = data["ranking"]
    sheet("考核排名", ["季度", "名次", "物业企业", "季度得分", "奖项", "奖金（元）", "退出提示"],
          [(ranking["label"], r["rank"], r["company_name"], r["score"], r.get("prize") or "", r.get("prize_amount") or 0,
            "是" if r.get("exit_flag") else "") for r in ranking["rows"]] if ranking else [])
    sheet("未覆盖小区", ["社区", "小区"], data["uncovered"])
    sheet("召开的会议", ["日期", "会议类型", "会议名称", "社区", "小区"],
          [(m.starts_at.strftime("%Y-%m-%d"), m.kind.name, m.title, m.community.name,
            m.compound.name if m.compound else "") for m in data["held"]])
    sheet("登记数据", ["项目", p.label, prev.label, "单位"],
          [(k["label"], k["value"], k["previous"], k["unit"]) for k in data["recorded"].values() if k["recorded"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_row(street_id, period, user=None):
    """The StreetReport row of (street, period), created the first time."""
    row = db.session.scalar(select(StreetReport).where(StreetReport.street_id == street_id,
                                                       StreetReport.period == period.slug))
    if row is None:
        row = StreetReport(street_id=street_id, period=period.slug, issued_by_id=getattr(user, "id", None))
        db.session.add(row)
        db.session.flush()
    return row


def final(report_id):
    """documents/kinds: a closed period's report, issued once and stored."""
    from datetime import datetime, time

    from ..documents.kinds import Final

    row = db.session.get(StreetReport, report_id)
    if row is None:
        raise LookupError("no such report")
    period = Period.parse(row.period)
    if not period.is_closed(local_today()):
        raise LookupError("the period has not ended")
    street = db.session.get(Street, row.street_id)
    return Final(title=report_title(street, period), lineage=f"street_report:{row.street_id}:{row.period}", version=1,
                 final_at=datetime.combine(period.last_day, time(23, 59)),
                 filename=report_filename(street, period, "pdf"),
                 render=lambda: render_pdf(report_data(row.street_id, period)))


def stored_document(street_id, period):
    """The stored document of a closed period's report, or None."""
    from ..documents import services as documents

    row = db.session.scalar(select(StreetReport).where(StreetReport.street_id == street_id,
                                                       StreetReport.period == period.slug))
    return documents.find("street_report", row.id) if row else None


def run_job(params, progress):
    """The job: the report of params['period'] for params['street_id'] as 'pdf' or 'xlsx'.
    A closed period's PDF is issued as a stored document (and stays)."""
    from ..documents import services as documents

    try:
        period = Period.parse(params.get("period"))
    except ValueError as exc:
        raise JobError(str(exc))
    street_id = params.get("street_id")
    street = db.session.get(Street, street_id) if street_id else None
    if street is None:
        raise JobError("街道不存在。")
    progress(0, 3)
    if params.get("format") == "xlsx":
        data = report_data(street_id, period)
        progress(2, 3)
        return Result(render_xlsx(data), report_filename(street, period, "xlsx"),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if period.is_closed(local_today()):
        from flask_login import current_user

        row = report_row(street_id, period, current_user if current_user.is_authenticated else None)
        db.session.commit()
        progress(1, 3)
        doc = documents.issue("street_report", row.id, user=current_user if current_user.is_authenticated else None)
        with open(documents.path_of(doc), "rb") as fh:
            return Result(fh.read(), doc.filename, "application/pdf")
    data = report_data(street_id, period)
    progress(2, 3)
    return Result(render_pdf(data), report_filename(street, period, "pdf"), "application/pdf")


__all__ = ["report_data", "render_pdf", "render_xlsx", "final", "run_job", "stored_document"]
