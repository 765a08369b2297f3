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

        _compact_cjk_subsets()
        _font_config = FontConfiguration()
    return _font_config


_subset_cache = {}
SUBSET_CACHE_MAX = 64


def _compact_cjk_subsets():
    """Make WeasyPrint embed CID-keyed CFF fonts (Noto CJK) without their empty glyph slots.

    WeasyPrint 70 subsets with HarfBuzz keeping the original glyph numbering: a
    226-glyph subset of Noto Serif CJK still carries 63,164 glyph slots and metrics
    (176 KB of a 185 KB score sheet). In a CID-keyed CFF font the PDF finds a glyph by
    its CID through the font's charset, and HarfBuzz keeps each glyph's CID there when it
    renumbers, so those fonts can be subset compactly: the content streams' codes (the
    original glyph ids, which are the CIDs in Noto CJK: ROS Adobe-Identity-0) still find
    their glyphs, and the widths (/W, by CID) are unchanged. TrueType fonts keep
    WeasyPrint's own subsetting (no charset there). Subsets are cached by font and glyph
    set: a reprint of the same sheet or a blank template reuses its subset."""
    from weasyprint.pdf import fonts as wp_fonts
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    original = wp_fonts.Font._harfbuzz_subset
    if getattr(original, "_hongye", False):
        return

    def compact(self, to_unicode, hinting):
        if not _cid_keyed(self):
            return original(self, to_unicode, hinting)
        key = (self.hash, tuple(sorted(to_unicode)), bool(self.missing))
        cached = _subset_cache.get(key)
        if cached is not None:
            self.file_content = cached
            return None
        plan = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
        gid_set = harfbuzz_subset.hb_subset_input_glyph_set(plan)
        gids = ffi.new(f"hb_codepoint_t[{len(to_unicode)}]", sorted(to_unicode))
        harfbuzz.hb_set_add_sorted_array(gid_set, gids, len(to_unicode))
        flags = (harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
                 | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE | harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING)
        if self.missing:
            flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
        harfbuzz_subset.hb_subset_input_set_flags(plan, flags)
        drop_set = harfbuzz_subset.hb_subset_input_set(plan, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
        drop = tuple(harfbuzz.hb_tag_from_string(name, -1) for name in (
            b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ",
            b"vmtx", b"vhea", b"VORG"))
        drop_array = ffi.new(f"hb_codepoint_t[{len(drop)}]", sorted(drop))
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

    compact._hongye = True
    wp_fonts.Font._harfbuzz_subset = compact
    original_dictionary = wp_fonts._build_vector_font_dictionary

    def dictionary(font_dictionary, pdf, font, *args, **kwargs):
        """As WeasyPrint's, without /CIDToGIDMap on CFF CID fonts: the PDF spec allows it
        only for TrueType ones, and a viewer that honoured "/Identity" there would read
        the compact subset's glyphs by number instead of by CID."""
        start = len(pdf.objects)
        result = original_dictionary(font_dictionary, pdf, font, *args, **kwargs)
        for obj in pdf.objects[start:]:
            if isinstance(obj, dict) and obj.get("Subtype") == "/CIDFontType0":
                obj.pop("CIDToGIDMap", None)
        return result

    wp_fonts._build_vector_font_dictionary = dictionary


def _cid_keyed(font):
    """Whether the font's CFF table is CID-keyed (its Top DICT starts with ROS: 12 30)."""
    cached = _cid_keyed_cache.get(font.hash)
    if cached is None:
        from fontTools.ttLib import TTFont
        import io

        try:
            cff = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)["CFF "].cff
            cached = hasattr(cff.topDictIndex[0], "ROS")
        except Exception:  # noqa: BLE001  (anything odd: WeasyPrint's own way)
            cached = False
        _cid_keyed_cache[font.hash] = cached
    return cached


_cid_keyed_cache = {}


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
