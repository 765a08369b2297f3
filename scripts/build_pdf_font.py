"""Build the PDFs' own face: Noto Sans CJK SC cut to GB 2312 plus ASCII, Latin-1 and the
punctuation and symbols Chinese documents use, with compact glyph numbering, no hints,
no vertical metrics and no layout tables (issue 13).

WeasyPrint 70 subsets fonts keeping the original glyph numbering, so a PDF carries one
slot per glyph of the source face: 65,535 for the full Noto CJK, about 8,100 for this
one. A filled score sheet drops from 58 KB to about 30 KB, and subsetting is faster.
Characters outside it (a rare name such as 王䶮 or 吉𠮷) still print: pdf/base.html names
"Noto Sans CJK SC" right after this family, and only such a document embeds it too.

Run at install time by the Makefile (`make run`, `make serve`, `make test`):

    .venv/bin/python scripts/build_pdf_font.py [OUTPUT]   (default static/fonts/hongye-gb2312.otf)
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
OUTPUT = os.path.join(ROOT, "static", "fonts", "hongye-gb2312.otf")
FAMILY = "Hongye GB2312 Sans"
SOURCE_FAMILY = "Noto Sans CJK SC"

EXTRA_RANGES = (
    (0x20, 0x7F), (0xA0, 0x100),  # ASCII, Latin-1
    (0x2000, 0x2070), (0x20A0, 0x20C0),  # general punctuation (— … ‘’ “” ※), currency
    (0x2100, 0x2200),  # letter-like symbols and number forms (℃ № Ⅰ Ⅱ …)
    (0x2190, 0x2200), (0x2200, 0x2300),  # arrows, mathematical operators (× ÷ ≤ ≥)
    (0x2460, 0x2500),  # enclosed numbers (① ② …)
    (0x2500, 0x2600), (0x2600, 0x2800),  # box drawing, shapes, symbols (● ○ ■ □ ▲ ★ ☆ ✓ ✔)
    (0x3000, 0x3040),  # CJK punctuation (、。〈〉《》「」【】〔〕)
    (0x3200, 0x3300),  # enclosed CJK (㈠ ㊣)
    (0xFE30, 0xFE50), (0xFF00, 0xFFF0),  # CJK compatibility forms, full-width forms
)


def characters():
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    for start, stop in EXTRA_RANGES:
        chars.update(range(start, stop))
    return chars


def build(output=OUTPUT, source=SOURCE):
    face = next(f for f in TTCollection(source) if f["name"].getDebugName(1) == SOURCE_FAMILY)
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.glyph_names = False
    options.notdef_outline = True
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["vmtx", "vhea", "VORG", "BASE", "GPOS", "GSUB", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(face)
    for record in face["name"].names:  # its own name: never taken for the whole Noto face
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "") + "-Regular"
    os.makedirs(os.path.dirname(output), exist_ok=True)
    partial = output + ".part"
    face.save(partial)
    os.replace(partial, output)
    return face["maxp"].numGlyphs


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else OUTPUT
    glyphs = build(target)
    print(f"{target}: {glyphs} glyphs, {os.path.getsize(target) // 1024} KB")
