"""Lighter PDFs (issue 13): ONE CJK face per document ("Hongye PDF Sans", Noto Sans
CJK SC cut down to GB 2312 and punctuation: headings stand out by size and shading, not
by a Bold face), no face the document did not ask for (the charts name it), the font
written compactly, and rare characters in names still print (from the full Noto Sans
CJK SC behind it, never as a box)."""
import io
import logging
import os
import subprocess
import tempfile
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from conftest import AuthActions, street_of
from webapp import pdf
from webapp.extensions import db

FACE = "Hongye-PDF-Sans"
FALLBACK = "Noto-Sans-CJK-SC"


@pytest.fixture(scope="module", autouse=True)
def pdf_font(app):
    """The built common-characters face (`make` builds it; a bare pytest run too)."""
    if not os.path.isfile(os.path.join(app.static_folder, pdf.FONT_FILE)):
        import runpy

        runpy.run_path(os.path.join(os.path.dirname(app.root_path), "scripts", "build_pdf_font.py"))["build"]()


def _fonts(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        lines = subprocess.run(["pdffonts", fh.name], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return {line.split()[0].split("+")[-1] for line in lines if line.strip()}


def _font_types(data):
    """The font types pdffonts lists ("CID Type 0C (OT)" is a whole OpenType file)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        lines = subprocess.run(["pdffonts", fh.name], capture_output=True, text=True, check=True).stdout.splitlines()
    start = lines[1].index(" ") + 1  # the second column of dashes
    end = lines[1].index(" ", start)
    return {line[start:end].strip() for line in lines[2:] if line.strip()}


def _text(data):
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_sheet_and_ranking_embed_one_face_compactly(fresh_demo, client):
    from webapp.assessments.models import AssessmentRound, AssessmentSheet
    from webapp.compounds.models import Compound

    AuthActions(client).login("street_admin")
    sheet = db.session.scalar(select(AssessmentSheet.id).join(AssessmentRound).join(Compound, Compound.id == AssessmentSheet.compound_id)
                              .where(AssessmentRound.month == date(2026, 10, 1), Compound.name == "恒安福苑"))
    # October is closed: its filled sheet is the stored document, stamped with its code and QR.
    filled = client.get(f"/assessments/sheets/{sheet}/sheet.pdf").data
    assert _fonts(filled) == {FACE}
    assert "物业服务考核评分表" in _text(filled) and "恒安福苑" in _text(filled)
    assert len(filled) <= 40 * 1024, len(filled)  # 185 KB, then 57 KB (all of Noto's 65,535 glyph slots kept)
    blank = client.get(f"/assessments/sheets/{sheet}/blank.pdf").data
    assert _fonts(blank) == {FACE} and len(blank) <= 40 * 1024, len(blank)
    ranking = client.get("/assessments/ranking.pdf?interim=1").data
    assert _fonts(ranking) == {FACE}  # no Bold, no DejaVu or CJK JP from the trend charts
    assert len(ranking) <= 30 * 1024, len(ranking)


def test_minutes_and_notice_embed_one_face(fresh_demo, client):
    from webapp.compounds.models import Community
    from webapp.meetings.models import Meeting
    from webapp.notices.models import Notice

    AuthActions(client).login("street_admin")
    street = street_of("street_admin")
    meeting = db.session.scalar(select(Meeting.id).where(Meeting.status == "approved", Meeting.street_id == street)
                                .order_by(Meeting.id))
    minutes = client.get(f"/meetings/{meeting}.pdf", follow_redirects=True)
    assert minutes.mimetype == "application/pdf" and _fonts(minutes.data) == {FACE}
    notice = db.session.scalar(select(Notice).where(Notice.status == "published", Notice.community_id.is_not(None),
                                                    Notice.street_id == street))
    slug = db.session.get(Community, notice.community_id).slug
    printed = client.get(f"/public/{slug}/notices/{notice.id}.pdf", follow_redirects=True)
    assert printed.mimetype == "application/pdf" and _fonts(printed.data) == {FACE}


def test_rare_characters_in_names_print_from_the_noto_fallback(app):
    with app.test_request_context("/"):
        from flask import render_template_string

        page = '{% extends "pdf/base.html" %}{% block body %}<h1>住户名册</h1><p>{{ names }}</p>{% endblock %}'
        rare = pdf.html_to_pdf(render_template_string(page, names="王䶮 吉𠮷 李明"))
        common = pdf.html_to_pdf(render_template_string(page, names="王芳 吉祥 李明"))
    text = _text(rare)
    assert "䶮" in text and "𠮷" in text and "王" in text and "李明" in text
    assert _fonts(rare) == {FACE, FALLBACK}  # the two rare ones from Noto, the rest from the face
    assert "王芳" in _text(common) and _fonts(common) == {FACE}
    # Noto's two glyphs go in compactly too (a bare CFF, not 65,535 glyph slots): 7.5 KB before
    assert _font_types(rare) == {"CID Type 0C"} and len(rare) - len(common) <= 1500, (len(rare), len(common))


def test_without_the_built_face_pdfs_print_in_noto_and_say_so(app, monkeypatch, caplog):
    monkeypatch.setattr(pdf.logger, "disabled", False)  # alembic's fileConfig (a migration test) disables existing loggers
    monkeypatch.setattr(pdf, "FONT_FILE", "fonts/not-built.otf")
    monkeypatch.setattr(pdf, "_font_config", None)
    monkeypatch.setattr(pdf, "_font_stylesheets", None)
    with app.test_request_context("/"), caplog.at_level(logging.WARNING, logger="webapp.pdf"):
        from flask import render_template_string

        page = '{% extends "pdf/base.html" %}{% block body %}<h1>住户名册</h1><p>王䶮 吉𠮷 李明</p>{% endblock %}'
        data = pdf.html_to_pdf(render_template_string(page))
    assert "not-built.otf is missing" in caplog.text
    assert _fonts(data) == {FALLBACK} and "䶮" in _text(data) and "李明" in _text(data)


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


def test_numbers_keep_three_decimals_and_small_ones_every_digit():
    import pydyf

    pdf._shorter_numbers()
    assert pydyf._to_bytes(841.889764) == b"841.89"
    assert pydyf._to_bytes(76.431496) == b"76.431"
    assert pydyf._to_bytes(0.901961) == b"0.902"  # a grey, within 1/255
    assert pydyf._to_bytes(-0.1004) == b"-0.1" and pydyf._to_bytes(0.9999) == b"1"
    assert pydyf._to_bytes(0.083333) == b"0.083333"  # a small scale keeps every digit
    assert pydyf._to_bytes(12.0) == b"12" and pydyf._to_bytes(7) == b"7"


def test_streams_are_flate_any_reader_decodes():
    import zlib

    data = os.urandom(3000) + b"BT /F1 12 Tf (x) Tj ET\n" * 500
    assert zlib.decompress(pdf.deflate_bytes(data)) == data
    assert isinstance(pdf.deflate_bytes(data), bytes)  # pydyf writes bytes as they are, nothing else
