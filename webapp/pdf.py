"""PDF rendering with WeasyPrint: a Jinja template rendered to HTML, then to A4 PDF.

The URL fetcher serves only this app's own static files and data: URLs; anything
else (file: paths, outside addresses) is refused, so text typed by users can never make
the renderer read the disk or the network.

One face prints a document: "Hongye PDF Sans", Noto Sans CJK SC Regular cut down to
GB 2312 and the punctuation in use (static/fonts/, built by scripts/build_pdf_font.py on
`make`), with the full Noto Sans CJK SC (fonts-noto-cjk) after it in pdf/base.html's
font-family, so a rare character in a name (䶮, 𠮷) still prints, from Noto.
libharfbuzz-subset0 lets WeasyPrint embed a subset of them quickly.
WeasyPrint is imported on the first PDF, not when the app starts (0.5 s and tens of MB
per process that never prints; issue 13).
"""
import atexit
import io
import logging
import os
import zlib

from flask import current_app, render_template

logger = logging.getLogger(__name__)

FONT_FAMILY = "Hongye PDF Sans"
FONT_FILE = "fonts/hongye-pdf-sans.otf"  # under static/, so the strict fetcher serves it
# The font-family of an SVG <text> (an attribute: single quotes), the stack pdf/base.html
# names: WeasyPrint does not pass the page's font to an SVG, and left to itself it picks
# DejaVu Sans and Noto Sans CJK JP, two more faces in the PDF.
SVG_FONT_FAMILY = f"'{FONT_FAMILY}', 'Noto Sans CJK SC', sans-serif"

_font_config = None
_font_stylesheets = None
_fetcher_class = None


def _fonts():
    """(FontConfiguration, stylesheets) shared by every PDF of the process. The
    stylesheet declares the common-characters face when it has been built; without it
    (the app run without `make`) PDFs print in Noto Sans CJK SC alone, heavier."""
    global _font_config, _font_stylesheets
    if _font_config is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        _lighter_fonts()
        config = FontConfiguration()
        stylesheets = []
        if os.path.isfile(os.path.join(current_app.static_folder, FONT_FILE)):
            rule = f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("static:{FONT_FILE}"); }}'
            stylesheets.append(CSS(string=rule, url_fetcher=make_url_fetcher(current_app.static_folder),
                                   font_config=config))
        else:
            logger.warning("static/%s is missing (run `make` or scripts/build_pdf_font.py): PDFs embed "
                           "Noto Sans CJK SC with all its glyph slots, ~16 KB more each", FONT_FILE)
        _font_config, _font_stylesheets = config, stylesheets
        atexit.register(_release_fonts)
    return _font_config, _font_stylesheets


def _release_fonts():
    """Drop the shared configuration before the interpreter tears modules down: its
    clean-up (the @font-face copy in a temporary folder) needs them."""
    global _font_config, _font_stylesheets
    _font_config = _font_stylesheets = None


_subset_cache = {}
SUBSET_CACHE_MAX = 64
FONT_PREDICTOR_COLUMNS = 6


def _lighter_fonts():
    """Make WeasyPrint's embedded fonts lighter, keeping exactly its glyph numbering.

    WeasyPrint 70 subsets with HarfBuzz keeping the original glyph ids (the content
    streams name glyphs by them, as CIDs): a 250-glyph subset of Noto Sans CJK keeps its
    65,535 glyph slots, whose CFF offsets and metrics cost ~16 KB per PDF however few
    characters it prints. Changes, all lossless:
    - a CID-keyed CFF face whose CIDs are its glyph ids (Noto CJK, the common-characters
      face) is subset without its empty slots, and embedded as the bare CFF
      (/CIDFontType0C, the classic CJK embedding): the CFF's charset keeps each glyph's
      CID, which is how a PDF reader finds a CID's glyph in such a font. The subset is
      checked to have kept them (else the glyph-keeping subset below is used);
    - other faces are subset keeping their glyph ids, and written Flate-compressed after
      a PNG "Up" predictor (PDF's own /DecodeParms): the counting-up offsets become a
      repeating difference that compresses to almost nothing;
    - the subset is made in one HarfBuzz pass without hints and without the vertical
      metrics tables (vmtx, vhea, VORG: no document here sets text vertically), and is
      cached by font and glyph set (a reprint, a blank template, a batch reuse it);
    - the ToUnicode map (copy and search: glyph → character) lists glyphs in order, not
      in the order the page first used them: neighbouring lines then compress together;
    - every number WeasyPrint writes (pydyf's `_to_bytes`) keeps three decimals instead
      of six when it is at least 0.1: a thousandth of a point (0.35 µm) for positions
      and line widths, a thousandth for colours (finer than 8 bits); smaller numbers
      (a pattern's scale, say) keep every digit;
    - every stream is deflated by libdeflate at its strongest level (12) instead of
      zlib's 9: the same Flate any reader decodes, 2–3 % smaller (`deflate` package).
    """
    from weasyprint.pdf import fonts as wp_fonts
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    original = wp_fonts.Font._harfbuzz_subset
    if getattr(original, "_hongye", False):
        return

    def harfbuzz_subset_of(font, glyphs, hinting, retain_gids):
        plan = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
        gid_set = harfbuzz_subset.hb_subset_input_glyph_set(plan)
        gids = ffi.new(f"hb_codepoint_t[{len(glyphs)}]", glyphs)
        harfbuzz.hb_set_add_sorted_array(gid_set, gids, len(glyphs))
        flags = harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
        if retain_gids:
            flags |= harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS
        if not hinting:
            flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
        if font.missing:
            flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
        harfbuzz_subset.hb_subset_input_set_flags(plan, flags)
        drop_set = harfbuzz_subset.hb_subset_input_set(plan, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
        drop = sorted(harfbuzz.hb_tag_from_string(name, -1) for name in (
            b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ",
            b"vmtx", b"vhea", b"VORG"))
        drop_array = ffi.new(f"hb_codepoint_t[{len(drop)}]", drop)
        harfbuzz.hb_set_add_sorted_array(drop_set, drop_array, len(drop))
        face = ffi.gc(harfbuzz_subset.hb_subset_or_fail(font.hb_face, plan), harfbuzz.hb_face_destroy)
        return get_hb_object_data(face) if face else None

    def subset(self, to_unicode, hinting):
        glyphs = sorted(to_unicode)
        key = (self.hash, self.index, tuple(glyphs), bool(self.missing), bool(hinting))
        data = _subset_cache.get(key)
        if data is None:
            if self.file_content[:4] in (b"OTTO", b"ttcf"):
                data = cid_keyed_cff(harfbuzz_subset_of(self, glyphs, hinting, retain_gids=False), glyphs)
            if data is None:
                data = harfbuzz_subset_of(self, glyphs, hinting, retain_gids=True)
            if not data:
                return original(self, to_unicode, hinting)
            if len(_subset_cache) >= SUBSET_CACHE_MAX:
                _subset_cache.pop(next(iter(_subset_cache)))
            _subset_cache[key] = data
        self.file_content = data
        return None

    subset._hongye = True
    wp_fonts.Font._harfbuzz_subset = subset
    wp_fonts.pydyf = _PredictedFontStreams(wp_fonts.pydyf)

    font_init = wp_fonts.Font.__init__

    def init(self, *args, **kwargs):
        font_init(self, *args, **kwargs)
        self.to_unicode = GlyphOrderMap(self.to_unicode)

    wp_fonts.Font.__init__ = init
    _shorter_numbers()
    _stronger_deflate()


class GlyphOrderMap(dict):
    """A font's glyph → text map whose items come in glyph order (WeasyPrint writes the
    ToUnicode map from `items()`)."""

    def items(self):
        return sorted(super().items())


def _shorter_numbers():
    """pydyf writes a float with three decimals when it is at least 0.1 (see above)."""
    import pydyf

    original = pydyf._to_bytes
    if getattr(original, "_hongye", False):
        return

    def to_bytes(item):
        if isinstance(item, float) and abs(item) >= 0.1 and not item.is_integer():
            return short_number(item)
        return original(item)

    to_bytes._hongye = True
    pydyf._to_bytes = to_bytes


class _Libdeflate:
    """Stands in for `zlib` inside pydyf: `compress` and `compressobj` by libdeflate."""

    class _Compressor:
        def __init__(self):
            self._parts = []

        def compress(self, data):
            self._parts.append(data)
            return b""

        def flush(self):
            return deflate_bytes(b"".join(self._parts))

    def compressobj(self, level=9, *args, **kwargs):
        return self._Compressor()

    def compress(self, data, level=9):
        return deflate_bytes(data)

    def __getattr__(self, name):
        return getattr(zlib, name)


def deflate_bytes(data):
    """`data` as a zlib stream (Flate), libdeflate's strongest level."""
    import deflate

    return bytes(deflate.zlib_compress(data, DEFLATE_LEVEL))


DEFLATE_LEVEL = 12


def _stronger_deflate():
    import pydyf

    if not isinstance(pydyf.zlib, _Libdeflate):
        pydyf.zlib = _Libdeflate()


def short_number(value):
    """`value` (|value| ≥ 0.1) as PDF number bytes with at most three decimals."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return (text if text != "-0" else "0").encode("ascii")


class CIDKeyedCFF(bytes):
    """A compact OpenType subset (still the font WeasyPrint reads) whose CFF table,
    `.cff`, is what goes into the PDF."""

    cff = b""


def cid_keyed_cff(data, glyphs):
    """`data` (a subset without empty slots of the glyph ids `glyphs`) as a CIDKeyedCFF
    when its CFF is CID-keyed and names each glyph by its original glyph id, so that the
    content streams' CIDs find their glyphs through the charset; else None."""
    from fontTools.ttLib import TTFont

    if not data:
        return None
    try:
        font = TTFont(io.BytesIO(data), lazy=True)
        top = font["CFF "].cff.topDictIndex[0]
        cids = [int(name[3:]) if name.startswith("cid") else -1 for name in top.charset[1:]]
        cff = font.reader["CFF "]
    except Exception:  # a font fontTools cannot read keeps its glyph ids
        return None
    if not hasattr(top, "ROS") or cids != [g for g in glyphs if g]:
        return None
    compact = CIDKeyedCFF(data)
    compact.cff = cff
    return compact


class _PredictedFontStreams:
    """Stands in for the `pydyf` module inside weasyprint.pdf.fonts only: a compact
    CID-keyed subset is written as its bare CFF, other font file streams Flate + PNG
    "Up" predictor, and a CIDFont's widths leave out the default; everything else goes
    to pydyf."""

    def __init__(self, module):
        self._module = module

    def __getattr__(self, name):
        return getattr(self._module, name)

    def Dictionary(self, values=None):  # noqa: N802  (pydyf's name)
        """A CIDFont's /W without the glyphs as wide as the default /DW 1000 (every
        hanzi): a PDF's CJK widths shrink from one entry per character to the few
        Latin letters and digits."""
        pydyf = self._module
        if values and values.get("Subtype") in ("/CIDFontType0", "/CIDFontType2") and "W" in values \
                and "DW" not in values:
            values = {**values, "DW": DEFAULT_WIDTH, "W": narrow_widths(values["W"], pydyf.Array)}
        return pydyf.Dictionary(values)

    def Stream(self, stream=None, extra=None, compress=False):  # noqa: N802  (pydyf's name)
        pydyf = self._module
        if stream and len(stream) == 1 and isinstance(stream[0], CIDKeyedCFF):
            return pydyf.Stream([stream[0].cff], pydyf.Dictionary({**extra, "Subtype": "/CIDFontType0C"}), compress)
        is_font_file = extra is not None and (extra.get("Subtype") == "/OpenType" or "Length1" in extra)
        if not (compress and is_font_file and stream and len(stream) == 1 and isinstance(stream[0], bytes)):
            return pydyf.Stream(stream, extra, compress)
        columns = FONT_PREDICTOR_COLUMNS
        params = pydyf.Dictionary({"Predictor": 12, "Colors": 1, "BitsPerComponent": 8, "Columns": columns})
        return pydyf.Stream([deflate_bytes(up_predict(stream[0], columns))],
                            pydyf.Dictionary({**extra, "Filter": "/FlateDecode", "DecodeParms": params}), False)


DEFAULT_WIDTH = 1000


def narrow_widths(w, array=list):
    """A PDF /W array ([first [w1 w2 …] first [w1 …] …]) without the widths equal to
    DEFAULT_WIDTH, regrouped in runs of consecutive CIDs."""
    widths = {}
    for first, run in zip(w[::2], w[1::2]):
        widths.update((first + k, width) for k, width in enumerate(run))
    out = array()
    previous = None
    for cid in sorted(c for c, width in widths.items() if width != DEFAULT_WIDTH):
        if previous is None or cid != previous + 1:
            out.append(cid)
            out.append(array())
        out[-1].append(widths[cid])
        previous = cid
    return out


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
    font_config, stylesheets = _fonts()
    return HTML(string=html, base_url="static:", url_fetcher=fetcher).write_pdf(stylesheets=stylesheets,
                                                                                font_config=font_config)


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
