"""Lighter PDFs (issue 13): one CJK face per document — the PDFs' own GB 2312 cut of Noto
Sans CJK SC with compact glyph numbering (scripts/build_pdf_font.py) — no face the
document did not ask for (the trend chart names its font), the font written compactly,
and rare characters in names still print, from the whole Noto Sans CJK SC, never as a box."""
import io
import subprocess
import tempfile
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from conftest import AuthActions
from webapp.extensions import db

FACE = "Hongye-GB2312-Sans"


def _fonts(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        lines = subprocess.run(["pdffonts", fh.name], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return {line.split()[0].split("+")[-1] for line in lines if line.strip()}


def test_sheet_and_ranking_embed_one_cjk_family_compactly(fresh_demo, client):
    from webapp.assessments.models import AssessmentRound, AssessmentSheet
    from webapp.compounds.models import Compound

    AuthActions(client).login("street_admin")
    sheet = db.session.scalar(select(AssessmentSheet.id).join(AssessmentRound).join(Compound, Compound.id == AssessmentSheet.compound_id)
                              .where(AssessmentRound.month == date(2026, 10, 1), Compound.name == "恒安福苑"))
    # October is closed: its filled sheet is the stored document, stamped with its code and QR.
    filled = client.get(f"/assessments/sheets/{sheet}/sheet.pdf").data
    assert _fonts(filled) == {FACE}
    # 185 KB at first (the font kept 63,164 glyph slots). The outlines of its ~250 glyphs are
    # most of what is left (issue 13 asks for 40 KB; see the closing note).
    assert len(filled) <= 64 * 1024, len(filled)
    blank = client.get(f"/assessments/sheets/{sheet}/blank.pdf").data
    assert _fonts(blank) == {FACE} and len(blank) <= 64 * 1024, len(blank)
    ranking = client.get("/assessments/ranking.pdf?interim=1").data
    assert _fonts(ranking) == {FACE}  # no DejaVu, no CJK JP, no Bold face
    assert len(ranking) <= 60 * 1024, len(ranking)


def test_rare_characters_in_names_print(app):
    from flask import render_template_string

    from webapp.pdf import html_to_pdf, render_pdf

    with app.test_request_context("/"):
        data = render_pdf("pdf/base.html")
        assert _fonts(data) <= {FACE}
        data = html_to_pdf(render_template_string(
            '{% extends "pdf/base.html" %}{% block body %}<h1>签到表</h1><p>王䶮 吉𠮷 张三</p>{% endblock %}'))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "王䶮" in text and "吉𠮷" in text and "张三" in text
    # The common characters from the PDFs' face, the two rare ones from the whole Noto face.
    assert _fonts(data) == {FACE, "Noto-Sans-CJK-SC"}


def test_up_predictor_round_trips():
    import os

    from webapp.pdf import up_predict

    def decode(enc, columns):
        out, prev = bytearray(), bytearray(columns)
        for i in range(0, len(enc), columns + 1):
            assert enc[i] == 2
            row = bytearray((b + p) & 255 for b, p in zip(enc[i + 1:i + 1 + columns], prev))
            out += row
            prev = row
        return bytes(out)

    for n in (0, 1, 5, 6, 7, 4099):
        data = os.urandom(n)
        assert decode(up_predict(data, 6), 6)[:n] == data
