"""Benchmark: every sheet of a 200-sheet round as one PDF, as the background job the
clerk starts (POST, then the job renders 20-sheet chunks one after the other and joins
them), with the process's peak memory. The job runs in this process (immediate mode),
so the peak RSS is the job's.

    .venv/bin/python bench/assessment_batch_pdf.py [sheets]

Target: 200 sheets ≤ 20 s, peak RSS ≤ 500 MB.
"""
import io
import resource
import sys
import time
from datetime import date

from assessment_common import add_companies, load_average, login, make_app


def main(n=200):
    app = make_app()
    from pypdf import PdfReader
    from sqlalchemy import select

    from webapp.assessments import services
    from webapp.assessments.demo import lines_for
    from webapp.assessments.models import AssessmentTemplate, SheetScore
    from webapp.auth.models import User
    from webapp.extensions import db

    companies = add_companies(n)
    ids = {c.id for c in companies}
    template = db.session.scalar(select(AssessmentTemplate).where(AssessmentTemplate.revision == 1).order_by(AssessmentTemplate.id))
    admin = db.session.scalar(select(User).where(User.username == "street_admin"))
    rep = db.session.scalar(select(User).where(User.username == "resident_rep"))
    rnd = services.create_round(date(2027, 1, 1), template)
    # Keep only the benchmark companies' sheets: exactly n.
    rnd.sheets[:] = [s for s in rnd.sheets if s.company_id in ids]
    for i, sheet in enumerate(rnd.sheets):
        for user, kind in ((admin, "cadre"),) + (((rep, "rep"),) if i % 3 == 0 else ()):
            score = SheetScore(sheet=sheet, scorer=user, scorer_kind=kind)
            db.session.add(score)
            services.save_score(score, lines_for(template, 80 + i % 20), date(2027, 1, 10))
    services.close_round(rnd, admin)
    db.session.commit()
    assert len(rnd.sheets) == n

    client = login(app)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def cpu():
        return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                   for f in ("ru_utime", "ru_stime"))

    cpu0 = cpu()
    t = time.perf_counter()
    from conftest import csrf_from
    from webapp.jobs.models import Job

    url = f"/assessments/rounds/{rnd.id}/sheets.pdf"
    started = client.post(url, data={"csrf_token": csrf_from(client.get(url).get_data(as_text=True))})
    assert started.status_code == 303, (started.status_code, started.get_data(as_text=True)[:3000])
    job = db.session.get(Job, int(started.headers["Location"].rsplit("/", 1)[-1]))
    elapsed = time.perf_counter() - t
    assert job.state == "done", job.error
    r = client.get(f"/jobs/{job.id}/download")
    cpu_used = cpu() - cpu0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert r.status_code == 200
    pages = len(PdfReader(io.BytesIO(r.data)).pages)
    print(f"batch: {n} sheets → {pages} pages, {len(r.data) // 1024} KB in {elapsed:.1f} s "
          f"(CPU {cpu_used:.1f} s over app and workers); load average {load_average():.1f}")
    print(f"as a job: {job.done}/{job.total} sheets, job row {job.started_at:%H:%M:%S}–{job.finished_at:%H:%M:%S}")
    print(f"peak RSS: app+job process {peak:.0f} MB (before the job {before:.0f} MB); "
          f"largest child process {worker_peak:.0f} MB")
    worst = max(peak, worker_peak)
    print(f"targets: ≤ 20 s → {'OK' if elapsed <= 20 else 'MISSED'}; ≤ 500 MB per process → {'OK' if worst <= 500 else 'MISSED'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
