"""PDF rendering with WeasyPrint: a Jinja template rendered to HTML, then to A4 PDF.

The URL fetcher serves only this app's own static files and data: URLs; anything
else (file: paths, outside addresses) is refused, so text typed by users can never make
the renderer read the disk or the network. Fonts are Noto CJK from fonts-noto-cjk;
libharfbuzz-subset0 lets WeasyPrint embed a subset of them quickly.
WeasyPrint is imported on the first PDF, not when the app starts (0.5 s and tens of MB
per process that never prints; issue 13).
"""
import os
import zlib

from flask import current_app, render_template

_font_config = None
_fetcher_class = None
PDF_FONT_FILE = "fonts/hongye-gb2312.otf"  # under static/, built by scripts/build_pdf_font.py


def _fonts():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _lighter_fonts()
        _font_config = FontConfiguration()
    return _font_config


_subset_cache = {}
SUBSET_CACHE_MAX = 64
FONT_PREDICTOR_COLUMNS = 6


def _lighter_fonts():
    """Make WeasyPrint's embedded fonts lighter, keeping exactly its glyph numbering.

    WeasyPrint 70 subsets with HarfBuzz keeping the original glyph ids (the content
    streams name glyphs by them): a 226-glyph subset of Noto Serif CJK keeps 63,164
    glyph slots, and the CFF table's offsets to them (3 bytes each, counting up) do not
    compress: 176 KB of a 185 KB score sheet. Two changes, both lossless:
    - the subset is made in one HarfBuzz pass without hints and without the vertical
      metrics tables (vmtx, vhea, VORG: no document here sets text vertically), and is
      cached by font and glyph set (a reprint, a blank template, a batch reuse it);
    - font streams are Flate-compressed after a PNG "Up" predictor (PDF's own
      /DecodeParms, read by every viewer): the counting-up offsets become a repeating
      difference that compresses to almost nothing.
    """
    from weasyprint.pdf import fonts as wp_fonts
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    original = wp_fonts.Font._harfbuzz_subset
    if getattr(original, "_hongye", False):
        return

    def subset(self, to_unicode, hinting):
        key = (self.hash, self.index, tuple(sorted(to_unicode)), bool(self.missing), bool(hinting))
        cached = _subset_cache.get(key)
        if cached is not None:
            self.file_content = cached
            return None
        plan = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
        gid_set = harfbuzz_subset.hb_subset_input_glyph_set(plan)
        gids = ffi.new(f"hb_codepoint_t[{len(to_unicode)}]", sorted(to_unicode))
        harfbuzz.hb_set_add_sorted_array(gid_set, gids, len(to_unicode))
        flags = (harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS | harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
                 | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE)
        if not hinting:
            flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
        if self.missing:
            flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
        harfbuzz_subset.hb_subset_input_set_flags(plan, flags)
        drop_set = harfbuzz_subset.hb_subset_input_set(plan, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
        drop = sorted(harfbuzz.hb_tag_from_string(name, -1) for name in (
            b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ",
            b"vmtx", b"vhea", b"VORG"))
        drop_array = ffi.new(f"hb_codepoint_t[{len(drop)}]", drop)
        harfbuzz.hb_set_add_sorted_array(drop_set, drop_array, len(drop))
        face = ffi.gc(harfbuzz_subset.hb_subset_or_fail(self.hb_face, plan), harfbuzz.hb_face_destroy)
        data = get_hb_object_data(face) if face else None
        if not data:
            return original(self, to_unicode, hinting)
        self.file_content = data
        if len(_subset_cache) >= SUBSET_CACHE_MAX:
            _subset_cache.pop(next(iter(_subset_cache)))
        _subset_cache[key] = data
        return None

    subset._hongye = True
    wp_fonts.Font._harfbuzz_subset = subset
    wp_fonts.pydyf = _PredictedFontStreams(wp_fonts.pydyf)


class _PredictedFontStreams:
    """Stands in for the `pydyf` module inside weasyprint.pdf.fonts only: font file
    streams are written Flate + PNG "Up" predictor; everything else goes to pydyf."""

    def __init__(self, module):
        self._module = module

    def __getattr__(self, name):
        return getattr(self._module, name)

    def Stream(self, stream=None, extra=None, compress=False):  # noqa: N802  (pydyf's name)
        pydyf = self._module
        is_font_file = extra is not None and (extra.get("Subtype") == "/OpenType" or "Length1" in extra)
        if not (compress and is_font_file and stream and len(stream) == 1 and isinstance(stream[0], bytes)):
            return pydyf.Stream(stream, extra, compress)
        columns = FONT_PREDICTOR_COLUMNS
        params = pydyf.Dictionary({"Predictor": 12, "Colors": 1, "BitsPerComponent": 8, "Columns": columns})
        return pydyf.Stream([zlib.compress(up_predict(stream[0], columns), 9)],
                            pydyf.Dictionary({**extra, "Filter": "/FlateDecode", "DecodeParms": params}), False)


def up_predict(data, columns):
    """PNG "Up" prediction of `data` in rows of `columns` bytes (each row: the filter type
    2, then each byte minus the byte above it, modulo 256). Whole-buffer integer
    arithmetic (a byte-wise subtraction without borrows) keeps it fast in pure Python.
    The last row is padded with zeros: a font file ignores bytes after its tables."""
    data = data + b"\0" * ((-len(data)) % columns)
    n = len(data)
    if not n:
        return b""
    a = int.from_bytes(data, "big")
    b = int.from_bytes(b"\0" * columns + data[:-columns], "big")
    mask = (1 << (8 * n)) - 1
    high = int.from_bytes(b"\x80" * n, "big")
    diff = (((a | high) - (b & ~high & mask)) ^ ((a ^ ~b & mask) & high)) & mask
    rows = diff.to_bytes(n, "big")
    out = bytearray(n + n // columns)
    out[::columns + 1] = b"\x02" * (n // columns)
    for k in range(columns):
        out[k + 1::columns + 1] = rows[k::columns]
    return bytes(out)


def font_face():
    """The @font-face rule for the PDFs' own face (GB 2312 with compact glyph numbering,
    scripts/build_pdf_font.py), or nothing when it was not built: then every PDF prints in
    the whole Noto Sans CJK SC, only heavier (a warning says so once)."""
    from markupsafe import Markup

    global _font_missing_logged
    if os.path.isfile(os.path.join(current_app.static_folder, PDF_FONT_FILE)):
        return Markup('@font-face { font-family: "Hongye GB2312 Sans"; src: url("static:%s"); }' % PDF_FONT_FILE)
    if not _font_missing_logged:
        _font_missing_logged = True
        current_app.logger.warning("static/%s is missing (make deps builds it): PDFs use the whole Noto Sans CJK SC",
                                   PDF_FONT_FILE)
    return Markup("")


_font_missing_logged = False


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
