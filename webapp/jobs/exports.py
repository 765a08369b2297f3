"""Large Excel exports as background jobs.

Every export goes through `excel.xlsx_response`. Past EXPORT_JOB_ROWS rows it answers
`offer()`: a page with one button (POST /jobs/export, CSRF) that starts an "export" job
for the same URL. The job (`run_export`) calls that URL's view again inside the job's
request context, signed in as the clerk, so the export's own filter and access rules
apply unchanged; there `should_defer` is false and the workbook is written, with
progress reported every PROGRESS_EVERY rows."""
from urllib.parse import unquote, urlsplit

from flask import current_app, g, has_request_context, render_template, request, url_for
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.http import parse_options_header

from .services import JobError, Result

PROGRESS_EVERY = 500


def should_defer(row_count):
    if not has_request_context() or g.get("job_progress") is not None:
        return False
    return row_count > current_app.config.get("EXPORT_JOB_ROWS", 3000)


def offer(filename, row_count):
    from ..forms import BaseForm

    path = request.full_path.rstrip("?")
    return render_template("jobs/offer.html", heading=f"导出 {filename}", form=BaseForm(),
                           message=f"本次导出共 {row_count} 行，较大，将在后台生成。",
                           action=url_for("jobs.start_export"), hidden={"path": path, "filename": filename})


def row_progress(total):
    report = g.get("job_progress") if has_request_context() else None
    if report is None:
        return lambda i: None
    report(0, total)

    def progress(i):
        if i % PROGRESS_EVERY == 0 or i == total:
            report(i, total)
    return progress


def export_endpoint(path):
    """The view a local export URL names, or None (only GET *.xlsx routes of this app)."""
    parts = urlsplit(path or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or not parts.path.endswith(".xlsx"):
        return None
    try:
        endpoint, view_args = current_app.url_map.bind("localhost").match(parts.path, method="GET")
    except HTTPException:
        return None
    return endpoint, view_args


def run_export(params, progress):
    """The job: the export view for params['_path'], run as the clerk."""
    found = export_endpoint(params.get("_path"))
    if found is None:
        raise JobError("导出地址无效。")
    endpoint, view_args = found
    g.job_progress = progress
    try:
        response = current_app.make_response(current_app.view_functions[endpoint](**view_args))
    except NotFound:
        raise JobError("要导出的内容不存在或不在您的管辖范围内。")
    except HTTPException:
        raise JobError("您的账号无权导出此内容。")
    if response.status_code != 200 or "spreadsheetml" not in (response.mimetype or ""):
        raise JobError("您的账号无权导出此内容，或登录已失效。")
    _, options = parse_options_header(response.headers.get("Content-Disposition", ""))
    filename = options.get("filename") or unquote(options.get("filename*", "export.xlsx").split("''", 1)[-1])
    return Result(response.get_data(), filename, response.mimetype)
