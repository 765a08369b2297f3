"""Lighter PDFs (issue 13): one CJK family per document (Noto Sans CJK SC), no face the
document did not ask for (the trend chart names its font), the font written compactly,
and rare characters in names still print (from the same font, never as a box)."""
import io
import subprocess
import tempfile
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from conftest import AuthActions
from webapp.extensions import db


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
    assert _fonts(filled) == {"Noto-Sans-CJK-SC"}
    assert len(filled) <= 72 * 1024, len(filled)  # 185 KB before (the font kept 63,164 glyph slots)
    blank = client.get(f"/assessments/sheets/{sheet}/blank.pdf").data
    assert _fonts(blank) == {"Noto-Sans-CJK-SC"} and len(blank) <= 60 * 1024, len(blank)
    ranking = client.get("/assessments/ranking.pdf?interim=1").data
    assert _fonts(ranking) <= {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"}  # no DejaVu, no CJK JP
    assert len(ranking) <= 60 * 1024, len(ranking)


def test_rare_characters_in_names_print(app):
    from webapp.pdf import html_to_pdf

    with app.test_request_context("/"):
        data = html_to_pdf('<p style="font-family: \'Noto Sans CJK SC\', sans-serif">王䶮 吉𠮷</p>')
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "䶮" in text and "𠮷" in text
    assert _fonts(data) == {"Noto-Sans-CJK-SC"}


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
