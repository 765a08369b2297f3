"""PDF rendering with WeasyPrint: a Jinja template rendered to HTML, then to A4 PDF.

The URL fetcher serves only this app's own static files and data: URLs; anything
else (file: paths, outside addresses) is refused, so text typed by users can never make
the renderer read the disk or the network. Fonts are Noto CJK from fonts-noto-cjk;
libharfbuzz-subset0 lets WeasyPrint embed a subset of them quickly.
"""
import os

from flask import current_app, render_template
from weasyprint import HTML, default_url_fetcher
from weasyprint.text.fonts import FontConfiguration

_font_config = None


def _fonts():
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def make_url_fetcher(static_folder):
    static_folder = os.path.realpath(static_folder)

    def fetcher(url, *args, **kwargs):
        if url.startswith("data:"):
            return default_url_fetcher(url, *args, **kwargs)
        marker = "/static/"
        if url.startswith("static:") or marker in url:
            rel = url.split("static:", 1)[1] if url.startswith("static:") else url.split(marker, 1)[1]
            path = os.path.realpath(os.path.join(static_folder, rel.split("?")[0]))
            if path.startswith(static_folder + os.sep) and os.path.isfile(path):
                with open(path, "rb") as fh:
                    return {"string": fh.read(), "mime_type": None, "filename": os.path.basename(path)}
        raise ValueError(f"refused to fetch {url[:80]}")

    return fetcher


def html_to_pdf(html):
    """Bytes of the PDF for an HTML string (no network, no disk beyond static/)."""
    fetcher = make_url_fetcher(current_app.static_folder)
    return HTML(string=html, base_url="static:", url_fetcher=fetcher).write_pdf(font_config=_fonts())


def render_pdf(template, **context):
    """Render a template (usually extending pdf/base.html) straight to PDF bytes."""
    return html_to_pdf(render_template(template, **context))


def pdf_response(data, filename, inline=True):
    """A Flask response carrying a PDF with a Chinese file name."""
    from urllib.parse import quote

    from flask import Response

    disposition = "inline" if inline else "attachment"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(filename)}"},
    )
