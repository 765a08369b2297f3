"""PDF rendering with WeasyPrint: a Jinja template rendered to HTML, then to A4 PDF.

The URL fetcher serves only this app's own static files and data: URLs; anything
else (file: paths, outside addresses) is refused, so text typed by users can never make
the renderer read the disk or the network. Fonts are Noto CJK from fonts-noto-cjk;
libharfbuzz-subset0 lets WeasyPrint embed a subset of them quickly.
WeasyPrint is imported on the first PDF, not when the app starts (0.5 s and tens of MB
per process that never prints; issue 13).
"""
import os

from flask import current_app, render_template

_font_config = None
_fetcher_class = None


def _fonts():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def _static_only_fetcher():
    """The fetcher class, made on first use (it subclasses WeasyPrint's)."""
    global _fetcher_class
    if _fetcher_class is not None:
        return _fetcher_class
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """WeasyPrint (v70+) fetcher: data: URLs and files under static/, nothing else."""

        def __init__(self, static_folder):
            super().__init__(allowed_protocols={"data"})
            self.static_folder = os.path.realpath(static_folder)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            marker = "/static/"
            if url.startswith("static:") or marker in url:
                rel = url.split("static:", 1)[1] if url.startswith("static:") else url.split(marker, 1)[1]
                path = os.path.realpath(os.path.join(self.static_folder, rel.split("?")[0]))
                if path.startswith(self.static_folder + os.sep) and os.path.isfile(path):
                    with open(path, "rb") as fh:
                        return URLFetcherResponse(url, body=fh.read())
            raise ValueError(f"refused to fetch {url[:80]}")

    _fetcher_class = StaticOnlyFetcher
    return _fetcher_class


def make_url_fetcher(static_folder):
    return _static_only_fetcher()(static_folder)


def html_to_pdf(html):
    """Bytes of the PDF for an HTML string (no network, no disk beyond static/)."""
    from weasyprint import HTML

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
