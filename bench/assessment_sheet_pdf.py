"""Benchmark: one filled 2-page score sheet as a PDF, through the app vs bare WeasyPrint.

    .venv/bin/python bench/assessment_sheet_pdf.py [repeat]

Target: median ≤ 0.25 s and ≤ 1.3 × bare WeasyPrint rendering the very same HTML.
"""
import io
import statistics
import sys
from datetime import date

from assessment_common import CPU, load_average, login, make_app, timed


def main(repeat=9):
    app = make_app()
    from pypdf import PdfReader
    from sqlalchemy import select
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from webapp.assessments.models import AssessmentRound, AssessmentSheet
    from webapp.compounds.models import Compound
    from webapp.extensions import db

    client = login(app)
    # 恒安福苑, October: two cadres and a resident representative → a 2-page sheet.
    sheet_id = db.session.scalar(select(AssessmentSheet.id).join(AssessmentRound).join(Compound, Compound.id == AssessmentSheet.compound_id)
                                 .where(AssessmentRound.month == date(2026, 10, 1), Compound.name == "恒安福苑"))
    url = f"/assessments/sheets/{sheet_id}/sheet.pdf"
    data = client.get(url).data
    pages = len(PdfReader(io.BytesIO(data)).pages)

    # The same HTML the route renders, for bare WeasyPrint.
    with app.test_request_context():
        from flask_login import login_user

        from webapp.assessments.printing import sheet_html
        from webapp.assessments.views.printing import sheet_print_args
        from webapp.auth.models import User

        login_user(db.session.scalar(select(User).where(User.username == "street_admin")))
        sheet = db.session.get(AssessmentSheet, sheet_id)
        html = sheet_html(sheet, *sheet_print_args(sheet))

    from webapp.pdf import make_url_fetcher

    fetcher = make_url_fetcher(app.static_folder)
    shared_fonts = FontConfiguration()
    HTML(string=html, base_url="static:", url_fetcher=fetcher).write_pdf(font_config=shared_fonts)  # warm-up

    # Interleaved, so that a busy neighbour on the shared machine slows all three alike.
    runs = {"app": [], "bare": [], "bare_shared": []}
    jobs = {
        "app": lambda: client.get(url).data,
        "bare": lambda: HTML(string=html, base_url="static:", url_fetcher=fetcher).write_pdf(),
        "bare_shared": lambda: HTML(string=html, base_url="static:", url_fetcher=fetcher).write_pdf(font_config=shared_fonts),
    }
    cpu = {k: [] for k in jobs}
    for _ in range(repeat):
        for key, job in jobs.items():
            _, one = timed(job, 1)
            runs[key].append(one[0])
            cpu[key].append(CPU["last"])
    med = {k: statistics.median(v) for k, v in runs.items()}
    app_median, app_times, bare_median, bare_shared_median = med["app"], runs["app"], med["bare"], med["bare_shared"]
    app_cpu, bare_cpu = statistics.median(cpu["app"]), statistics.median(cpu["bare"])

    print(f"filled sheet: {pages} pages, {len(data) // 1024} KB; load average {load_average():.1f}")
    print(f"app route (GET {url}): median {app_median:.3f} s  (min {min(app_times):.3f}, max {max(app_times):.3f}; CPU {app_cpu:.3f} s)")
    print(f"bare WeasyPrint, same HTML: median {bare_median:.3f} s (CPU {bare_cpu:.3f} s); with a reused FontConfiguration {bare_shared_median:.3f} s")
    print(f"ratio app / bare: {app_median / bare_median:.2f}  (app / bare with reused fonts: {app_median / bare_shared_median:.2f})")
    print(f"targets: median ≤ 0.25 s → {'OK' if app_median <= 0.25 else 'MISSED'}; "
          f"≤ 1.3 × bare → {'OK' if app_median <= 1.3 * bare_median else 'MISSED'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
