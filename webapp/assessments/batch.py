"""Batch printing: many score sheets as one PDF (or one PDF per company) without holding
hundreds of laid-out pages in memory at once.

A round's batch runs as a background job (assessments/jobs.py): the sheets are cut into
chunks of CHUNK sheets, each chunk's HTML is built just before WeasyPrint lays it out in
the job's own process (`render_one`), progress is reported after each chunk, and the
chunk PDFs are joined with pypdf. Memory stays that of one chunk; no HTTP request waits.
"""
import io


CHUNK = 20


def render_one(html):
    """One HTML string → PDF bytes (static files only, shared fonts)."""
    from ..pdf import html_to_pdf

    return html_to_pdf(html)


def chunks(items, size=None):
    size = size or CHUNK
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def join_pdfs(parts):
    """One PDF from several, pages in order."""
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
