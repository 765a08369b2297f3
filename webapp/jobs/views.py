"""/jobs/: the signed-in user's background jobs, each with its progress, result and retry.

`/jobs/<id>` answers HTMX polls with the `_progress.html` fragment only; without
JavaScript the page refreshes itself (`<meta http-equiv=refresh>`) while the job runs.
Another user's job is 404."""
from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..forms import BaseForm
from ..htmx import page_or_fragment
from . import services
from .models import EXPIRED, FAILED, Job

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _own_job_or_404(job_id):
    job = db.session.scalars(select(Job).where(Job.id == job_id, Job.user_id == current_user.id)).first()
    if job is None:
        abort(404)
    return job


@bp.route("/")
@login_required
def index():
    jobs = db.session.scalars(services.jobs_of(current_user).limit(100)).all()
    return render_template("jobs/index.html", jobs=jobs)


@bp.route("/<int:job_id>")
@login_required
def detail(job_id):
    job = _own_job_or_404(job_id)
    return page_or_fragment("jobs/detail.html", "jobs/_progress.html", job=job, form=BaseForm())


@bp.route("/<int:job_id>/download")
@login_required
def download(job_id):
    job = _own_job_or_404(job_id)
    if not job.result_available():
        abort(404)
    return send_file(services.result_file(job), mimetype=job.result_type, as_attachment=True,
                     download_name=job.result_name, max_age=0)


@bp.route("/<int:job_id>/retry", methods=["POST"])
@login_required
def retry(job_id):
    job = _own_job_or_404(job_id)
    if job.state not in (FAILED, EXPIRED) or not BaseForm().validate_on_submit():
        abort(400)
    new = services.retry(job, current_user)
    return redirect(url_for("jobs.detail", job_id=new.id), code=303)


@bp.route("/export", methods=["POST"])
@login_required
def start_export():
    """Start a large export (offered by excel.xlsx_response) as a job for its URL."""
    from .exports import export_endpoint

    path = request.form.get("path", "")
    if not BaseForm().validate_on_submit() or export_endpoint(path) is None:
        abort(400)
    name = request.form.get("filename", "")[:100] or path.split("?", 1)[0].rsplit("/", 1)[-1]
    job = services.start("export", f"导出 {name}", {"_path": path}, user=current_user, unit="行")
    return redirect(url_for("jobs.detail", job_id=job.id), code=303)
