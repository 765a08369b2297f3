"""Build the PDFs' face for common characters: Noto Sans CJK SC Regular cut down to the
GB 2312 characters, ASCII and the punctuation and symbols the documents use.

    .venv/bin/python scripts/build_pdf_font.py [OUTPUT]   (default static/fonts/hongye-pdf-sans.otf)

`make run`, `make serve` and `make test` run it once (the file is not in git). WeasyPrint
subsets a face keeping its glyph numbering; Noto's 65,535 glyph slots cost a PDF ~16 KB
however few characters it prints, this face's ~7,600 slots a fraction of that (issue 13).
pdf/base.html names this face first and Noto Sans CJK SC after it, so a character outside
it (a rare one in a name: 䶮, 𠮷) still prints, from Noto.
"""
import io
import os
import sys

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SOURCE_FACE = "NotoSansCJKsc-Regular"
FAMILY = "Hongye PDF Sans"
POSTSCRIPT_NAME = "HongyePDFSans-Regular"
DEFAULT_OUTPUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                              "static", "fonts", "hongye-pdf-sans.otf")

# Beyond GB 2312: Latin-1, general punctuation (— – … ‹›), letterlike symbols (№ ℃),
# Roman numerals, arrows, maths (− ≤ ≥), circled numbers (① ⑩), box drawing, shapes
# (▸ ▾ ■ ●), symbols and dingbats (☎ ✓ ✔ ✖ ✘), CJK symbols and punctuation, enclosed
# CJK (㈠), the units of CJK compatibility (㎡ ㎏) and full-width forms. Only what Noto has is kept.
EXTRA_RANGES = (
    (0x0020, 0x007E), (0x00A0, 0x00FF), (0x2000, 0x206F), (0x2100, 0x218F), (0x2190, 0x21FF),
    (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x27BF),
    (0x3000, 0x303F), (0x3200, 0x32FF), (0x338E, 0x33D5), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
)


def gb2312_characters():
    """Every character of GB 2312 (rows 1-9 symbols and kana, rows 16-87 hanzi)."""
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def code_points():
    points = {ord(c) for c in gb2312_characters()}
    for first, last in EXTRA_RANGES:
        points.update(range(first, last + 1))
    return points


def source_face(path=SOURCE, name=SOURCE_FACE):
    from fontTools.ttLib import TTCollection

    for font in TTCollection(path).fonts:
        if font["name"].getDebugName(6) == name:
            return font
    raise SystemExit(f"{name} not found in {path} (is fonts-noto-cjk installed?)")


def build(output=DEFAULT_OUTPUT):
    """Write the face to `output` (through a temporary file: a half-written font never
    stands in the PDFs' way). Returns its number of glyphs."""
    from fontTools import subset

    font = source_face()
    options = subset.Options()
    options.hinting = False
    options.glyph_names = False
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, version, licence
    options.name_languages = [0x409]
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx"]  # nothing here sets text vertically
    # HarfBuzz's default features for horizontal text, in Simplified Chinese: the glyphs
    # they reach are all a page here can use (the Japanese, Korean and Traditional forms
    # the other languages' `locl` reach, and the vertical forms, would double the face).
    options.layout_features = ["ccmp", "locl", "rlig", "calt", "clig", "liga", "kern", "mark", "mkmk", "rclt", "rvrn"]
    _only_simplified_chinese(font)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(code_points()))
    subsetter.subset(font)
    _rename(font)
    buffer = io.BytesIO()
    font.save(buffer)
    font = _identity_cids(buffer)
    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    partial = output + ".part"
    font.save(partial)
    os.replace(partial, output)
    return len(font.getGlyphOrder())


def _only_simplified_chinese(font):
    """Keep only the default and the Simplified Chinese (ZHS) language systems in GSUB and
    GPOS, so the subset keeps only the glyphs a zh-CN page reaches."""
    for tag in ("GSUB", "GPOS"):
        if tag in font:
            for record in font[tag].table.ScriptList.ScriptRecord:
                script = record.Script
                script.LangSysRecord = [r for r in script.LangSysRecord if r.LangSysTag == "ZHS "]
                script.LangSysCount = len(script.LangSysRecord)


def _identity_cids(data):
    """The subset, its glyph n renumbered CID n (the subset keeps Noto's CIDs, up to
    65,342). A PDF's subset of this face keeps its charset: Noto's CIDs are a table of
    2 bytes per glyph slot that does not compress (~4 KB more per PDF than the original),
    consecutive ones one range of a few bytes. Only the CFF table changes (its glyph
    names); the other tables refer to glyphs by number, and are copied unread."""
    from fontTools.ttLib import TTFont

    data.seek(0)
    font = TTFont(data, recalcBBoxes=False, recalcTimestamp=False)
    top = font["CFF "].cff.topDictIndex[0]
    names = [".notdef"] + [f"cid{gid:05d}" for gid in range(1, len(top.charset))]
    charstrings = top.CharStrings
    charstrings.charStrings = {new: charstrings.charStrings[old] for old, new in zip(top.charset, names)}
    top.charset = names
    top.CIDCount = len(names)
    font.setGlyphOrder(names)
    return font


def _rename(font):
    """A cut-down Noto is a modified font: it carries its own name (SIL OFL 1.1, which
    Noto is released under, asks for that courtesy; the licence entries stay)."""
    names = font["name"]
    version = names.getDebugName(5) or ""
    for name_id, value in ((1, FAMILY), (2, "Regular"), (3, f"{POSTSCRIPT_NAME};{version}"), (4, FAMILY),
                           (6, POSTSCRIPT_NAME)):
        names.setName(value, name_id, 3, 1, 0x409)
    names.removeNames(nameID=16)
    names.removeNames(nameID=17)
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT_NAME]
    top = cff.topDictIndex[0]
    for key in ("FullName", "FamilyName"):
        if hasattr(top, key):
            setattr(top, key, FAMILY)


def main(argv):
    output = argv[1] if len(argv) > 1 else DEFAULT_OUTPUT
    glyphs = build(output)
    print(f"{output}: {glyphs} glyphs, {os.path.getsize(output) / 1024:.0f} KB")


if __name__ == "__main__":
    main(sys.argv)
