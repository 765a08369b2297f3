"""Weight of every printed document kind on the demo street: bytes, fonts embedded (as
pdffonts lists them), pages and server time (median of a few renders), plus PNG previews
of each first page for a look (pdftoppm). Targets (issue 13): a filled score sheet
≤ 40 KB and ≤ 150 ms, the minutes ≤ 500 ms, one CJK family per document, no DejaVu.

    .venv/bin/python bench/pdf_weight.py [--repeat 3] [--png DIR]
"""
import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from assessment_common import load_average, login, make_app  # noqa: E402


def documents():
    """(label, url) of one document of each kind in the demo street."""
    from sqlalchemy import select

    from webapp.assessments.models import AssessmentRound, AssessmentSheet, AssessmentTemplate
    from webapp.compounds.models import Community, Compound
    from webapp.extensions import db
    from webapp.meetings.models import Meeting
    from webapp.notices.models import Notice

    sheet = db.session.scalar(select(AssessmentSheet.id).join(AssessmentRound).join(Compound, Compound.id == AssessmentSheet.compound_id)
                              .where(AssessmentRound.month == date(2026, 10, 1), Compound.name == "恒安福苑"))
    rnd = db.session.scalar(select(AssessmentRound.id).where(AssessmentRound.month == date(2026, 10, 1)))
    template = db.session.scalar(select(AssessmentTemplate.id).order_by(AssessmentTemplate.id))
    from webapp.auth.models import User

    street_id = db.session.scalar(select(User).where(User.username == "street_admin")).street_id
    street = (lambda col: col == street_id) if street_id else (lambda col: col.is_not(None))
    meeting = db.session.scalar(select(Meeting.id).where(Meeting.status == "approved", street(Meeting.street_id))
                                .order_by(Meeting.id))
    notice = db.session.scalar(select(Notice).where(Notice.status == "published", Notice.community_id.is_not(None),
                                                    street(Notice.street_id)))
    slug = db.session.get(Community, notice.community_id).slug
    return [
        ("filled score sheet", f"/assessments/sheets/{sheet}/sheet.pdf"),
        ("blank sheet of a compound", f"/assessments/sheets/{sheet}/blank.pdf"),
        ("blank template", f"/assessments/templates/{template}/blank.pdf"),
        ("round's sheets (batch)", f"/assessments/rounds/{rnd}/sheets.pdf"),
        ("quarterly ranking", "/assessments/ranking.pdf"),
        ("meeting minutes", f"/meetings/{meeting}.pdf"),
        ("public notice", f"/public/{slug}/notices/{notice.id}.pdf"),
    ]


def fonts(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        out = subprocess.run(["pdffonts", fh.name], capture_output=True, text=True).stdout.splitlines()[2:]
    return sorted({line.split()[0].split("+")[-1] for line in out if line.strip()})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--png", default="")
    args = parser.parse_args()
    app = make_app()
    from pypdf import PdfReader

    client = login(app)
    print(f"{'document':28} {'KB':>6} {'pages':>5} {'median ms':>9}  fonts")
    for label, url in documents():
        r = client.get(url, follow_redirects=True)
        if r.status_code != 200 or r.mimetype != "application/pdf":
            print(f"{label:28} {url}: HTTP {r.status_code} {r.mimetype}")
            continue
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            data = client.get(url, follow_redirects=True).data
            times.append((time.perf_counter() - t) * 1000)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        print(f"{label:28} {len(data) / 1024:6.1f} {pages:5} {statistics.median(times):9.0f}  {', '.join(fonts(data))}")
        if args.png:
            os.makedirs(args.png, exist_ok=True)
            path = os.path.join(args.png, label.replace(" ", "_").replace("'", ""))
            with open(path + ".pdf", "wb") as fh:
                fh.write(data)
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", path + ".pdf", path], check=True)
    print(f"load average {load_average()}")


if __name__ == "__main__":
    main()
