"""The round's batch printing as background jobs (kinds in jobs/services.py KINDS).

Both render the round's sheets CHUNK at a time inside the job (`batch.render_one`) and
report progress after each chunk, so the clerk sees "第 40 / 200 份" and memory stays
that of one chunk."""
import io
import zipfile

from ..extensions import db
from ..jobs.services import JobError, Result
from . import batch, printing
from .models import AssessmentRound


def _round(params):
    rnd = db.session.get(AssessmentRound, params.get("round_id"))
    if rnd is None:
        raise JobError("该月考核已不存在。")
    return rnd


def _render_chunks(rnd, sheets, progress, done=0, total=None):
    """PDF bytes of `sheets`, chunk by chunk; progress counts sheets."""
    total = total if total is not None else len(sheets)
    parts = []
    for chunk in batch.chunks(sheets):
        parts.append(batch.render_one(printing.round_html(rnd, chunk)))
        done += len(chunk)
        progress(done, total)
    return batch.join_pdfs(parts), done


def round_pdf(params, progress):
    rnd = _round(params)
    sheets = printing.round_sheets(rnd)
    progress(0, len(sheets))
    data, _ = _render_chunks(rnd, sheets, progress)
    return Result(data, f"{rnd.title}-全部考核表.pdf", "application/pdf")


def round_zip(params, progress):
    rnd = _round(params)
    sheets = printing.round_sheets(rnd)
    progress(0, len(sheets))
    by_company = {}
    for sheet in sheets:
        by_company.setdefault(sheet.company.name, []).append(sheet)
    buf, done = io.BytesIO(), 0
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, company_sheets in by_company.items():
            data, done = _render_chunks(rnd, company_sheets, progress, done, len(sheets))
            zf.writestr(f"{rnd.month:%Y-%m}-{name}.pdf", data)
    return Result(buf.getvalue(), f"{rnd.month:%Y-%m}-考核表.zip", "application/zip")
