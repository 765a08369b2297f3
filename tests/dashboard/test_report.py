"""The street's report: A4 PDF and xlsx as a background job, figures as of the period's
end beside the period before, one CJK face, no replacement glyphs; a closed month's PDF
is stored once and verifiable."""
import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

import webapp.models  # noqa: F401  (every mapper before a domain module is imported)
from conftest import post
from webapp.dashboard.periods import Period

from dashboard_world import street_world  # noqa: F401  (the fixture)

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")


def run_report(client, url):
    """POST the offer's button, follow the job's progress page to its download."""
    r = post(client, url, token_from=url)
    assert r.status_code == 303 and "/jobs/" in r.headers["Location"]
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="(/jobs/\d+/download)"', page)
    assert link, page
    return client.get(link.group(1)).data


def pdf_text(data, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                                                               check=True).stdout).group(1))
    return text, fonts, pages


def row(text, label):
    """The figures on the report's line for `label`: [this period, previous]."""
    line = next(line for line in text.splitlines() if line.strip().startswith(label))
    return re.findall(r"(\d+|—)(?:\s*/\s*\d+)?\s*[个栋人件次项家]?", line[len(label) + line.index(label):])


@needs_poppler
def test_last_month_report_counts_as_of_its_end_and_is_stored(client, auth, street_world, tmp_path):
    last = Period.month_of(street_world["last_month"])
    auth.login("dash_admin")
    url = f"/reports/{last.slug}.pdf"
    offer = client.get(url)
    assert offer.status_code == 200 and "正式文件" in offer.get_data(as_text=True)
    data = run_report(client, url)
    text, fonts, pages = pdf_text(data, tmp_path)
    assert 1 <= pages <= 6
    assert f"（{last.label}）" in text and "测试街道" in text
    # as of last month's end: the appointment running since 2025 and the two that ended
    # on its last day; not the one that began this month, not the future-dated one
    assert row(text, "在任交叉任职")[0] == "3"
    assert row(text, "收到群众诉求")[0] == "1"
    assert row(text, "召开会议")[0] == "1"
    assert "甲三" in text and "乙一" in text  # compounds not yet covered
    assert "别处小区" not in text
    assert "\ufffd" not in text
    faces = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
    assert len(faces) == 1 and faces <= {"Hongye-PDF-Sans", "Noto-Sans-CJK-SC"}, faces  # one face, charts too
    # asked again: the stored document, straight away, verifiable
    again = client.get(url)
    assert again.mimetype == "application/pdf" and again.headers.get("ETag")
    code = re.search(r"/verify/([A-Z0-9]{8})", text.replace(" ", "")).group(1)
    assert client.get(f"/verify/{code}").status_code == 200


@needs_poppler
def test_the_running_month_is_reported_as_of_today(client, auth, street_world, tmp_path):
    period = Period.month_of(street_world["today"])
    auth.login("dash_admin")
    text, _, _ = pdf_text(run_report(client, f"/reports/{period.slug}.pdf"), tmp_path)
    assert "本期尚未结束" in text
    assert row(text, "在任交叉任职")[:2] == ["2", "3"]  # today, and at last month's end
    assert row(text, "收到群众诉求")[:2] == ["3", "1"]


@needs_poppler
def test_the_quarter_report(client, auth, street_world, tmp_path):
    quarter = Period.quarter_of(street_world["today"])
    auth.login("dash_admin")
    text, _, pages = pdf_text(run_report(client, f"/reports/{quarter.slug}.pdf"), tmp_path)
    assert f"季度报告（{quarter.label}）" in text.replace(" ", "")
    assert pages <= 6


def test_the_workbook_has_one_sheet_per_table(client, auth, street_world):
    period = Period.month_of(street_world["today"])
    auth.login("dash_admin")
    wb = load_workbook(io.BytesIO(run_report(client, f"/reports/{period.slug}.xlsx")))
    assert wb.sheetnames == ["主要数据", "各社区覆盖", "覆盖趋势", "诉求按月", "诉求按类别", "逾期诉求按承办单位", "会议按类型", "三会三公开",
                             "考核排名", "未覆盖小区", "召开的会议", "登记数据"]
    main = {r[0]: r[1:] for r in wb["主要数据"].iter_rows(min_row=2, values_only=True)}
    assert main["红色物业覆盖小区"][0] == 3 and main["红色物业覆盖小区"][4] == 5
    assert main["在任交叉任职"][:3] == (2, 3, -1)
    assert sorted(r[1] for r in wb["未覆盖小区"].iter_rows(min_row=2, values_only=True)) == ["乙一", "甲三"]


def test_a_period_not_begun_or_malformed_is_not_found(client, auth, street_world):
    auth.login("dash_admin")
    assert client.get("/reports/2026-13.pdf").status_code == 404
    assert client.get("/reports/2099-01.pdf").status_code == 404
    assert client.get("/reports/2026-Q5.xlsx").status_code == 404
