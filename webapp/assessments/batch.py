"""Batch printing: many score sheets as one PDF (or one PDF per company) without holding
hundreds of laid-out pages in memory at once.

The sheets are rendered to HTML in the request (Jinja, fast), cut into chunks of
CHUNK sheets, and each chunk is laid out by WeasyPrint in a worker process (fork) — two
at a time on a two-core office server — then the chunk PDFs are joined with pypdf.
Set ASSESSMENT_PDF_WORKERS = 0 to render in-process, one chunk after the other.
"""
import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from flask import current_app
from pypdf import PdfReader, PdfWriter

CHUNK = 20


def _render(args):
    """In a worker: one HTML string → PDF bytes (static files only, shared fonts)."""
    html, static_folder = args
    from weasyprint import HTML

    from ..pdf import _fonts, make_url_fetcher

    return HTML(string=html, base_url="static:", url_fetcher=make_url_fetcher(static_folder)).write_pdf(
        font_config=_fonts())


def chunks(items, size=CHUNK):
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def render_many(htmls):
    """PDF bytes for each HTML string, in order; in worker processes when configured."""
    static_folder = current_app.static_folder
    workers = current_app.config.get("ASSESSMENT_PDF_WORKERS", min(2, os.cpu_count() or 1))
    jobs = [(html, static_folder) for html in htmls]
    if workers <= 1 or len(jobs) == 1:
        return [_render(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                             mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_render, jobs))


def join_pdfs(parts):
    """One PDF from several, pages in order."""
    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
