"""The printed papers: text read back with pypdf. Read-only (demo)."""
from conftest import street_of
import io
import zipfile
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from webapp.assessments.models import AssessmentRound, AssessmentSheet, AssessmentTemplate
from webapp.compounds.models import Compound, Street
from webapp.extensions import db


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "").replace("\u3000", "")


def batch_download(client, url):
    """Start a round's batch (a background job; immediate in tests) and download its result."""
    from conftest import csrf_from
    from webapp.jobs.models import Job

    offer = client.get(url)
    assert "在后台生成" in offer.get_data(as_text=True)
    r = client.post(url, data={"csrf_token": csrf_from(offer.get_data(as_text=True))})
    assert r.status_code == 303 and "/jobs/" in r.headers["Location"]
    job = db.session.get(Job, int(r.headers["Location"].rsplit("/", 1)[-1]))
    assert job.state == "done" and job.done == job.total, job.error
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert f"第 <span class=\"job-done\">{job.total}</span> / {job.total} 份" in page
    return client.get(f"/jobs/{job.id}/download")


def round_of(month, street):
    return db.session.scalar(select(AssessmentRound).join(Street, Street.id == AssessmentRound.street_id)
                             .where(AssessmentRound.month == month, Street.name == street))


def sheet_id(month, compound):
    return db.session.scalar(select(AssessmentSheet.id).join(AssessmentRound).join(Compound, Compound.id == AssessmentSheet.compound_id)
                             .where(AssessmentRound.month == month, Compound.name == compound))


def test_filled_sheet_shows_scores_findings_and_signature_lines(client, auth, demo):
    auth.login("street_admin")
    r = client.get(f"/assessments/sheets/{sheet_id(date(2026, 10, 1), '恒安福苑')}/sheet.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    reader, text = pdf_text(r.data)
    assert "物业服务考核评分表" in text
    assert "恒安物业服务有限公司" in text and "恒安福苑" in text and "2026年10月" in text
    assert "垃圾桶满溢" in text  # a finding from the demo
    assert "本表综合得分：85.00分" in text
    assert "评分人" in text and "签字" in text and "物业企业负责人签字" in text
    assert "居民代表" in text  # 赵清华 scored 恒安福苑 too


def test_company_user_prints_its_own_sheet_only(client, auth, demo):
    auth.login("company_manager")
    r = client.get(f"/assessments/sheets/{sheet_id(date(2026, 10, 1), '济阳一社区示例老旧小区2')}/sheet.pdf")
    assert r.status_code == 200
    assert "泛华物业服务有限公司" in pdf_text(r.data)[1]
    assert client.get(f"/assessments/sheets/{sheet_id(date(2026, 10, 1), '恒安福苑')}/sheet.pdf").status_code == 404


def test_blank_sheets(client, auth, demo):
    auth.login("shuangzhu_staff")
    r = client.get(f"/assessments/sheets/{sheet_id(date(2026, 11, 1), '齐发小区')}/blank.pdf")
    _, text = pdf_text(r.data)
    assert "热诚物业管理有限公司" in text and "齐发小区" in text  # pre-filled names
    assert "垃圾当日清" in text and "每发现一处问题扣1分" in text
    assert "评分人签字" in text
    template_id = db.session.scalar(select(AssessmentTemplate.id).where(  # 隐珠街道's: every street has its own
        AssessmentTemplate.name == "党建引领考核（30分）", AssessmentTemplate.street_id == street_of('street_admin')))
    _, text = pdf_text(client.get(f"/assessments/templates/{template_id}/blank.pdf").data)
    assert "满分30分" in text and "重大事项党组织先议" in text and "交叉任职比例不低于50%" in text


def test_quarterly_ranking_report(client, auth, demo):
    auth.login("jiyang_admin")
    r = client.get("/assessments/ranking.pdf?quarter=2026Q3")
    _, text = pdf_text(r.data)
    assert "济阳街道2026年第三季度物业服务企业考核排名" in text
    assert "一等奖5000" in text and "二等奖3000" in text and "三等奖2000" in text
    assert "列入退出机制" in text and "济宁水景物业有限公司" in text
    assert "并列规则" in text
    auth.logout()
    auth.login("street_admin")  # the report names the street it ranks
    _, text = pdf_text(client.get("/assessments/ranking.pdf?quarter=2026Q3").data)
    assert "隐珠街道2026年第三季度物业服务企业考核排名" in text and "济宁水景物业有限公司" not in text


def test_round_batch_one_pdf_and_zip_per_company(client, auth, demo):
    auth.login("jiyang_admin")
    rnd = round_of(date(2026, 9, 1), "济阳街道")
    reader, text = pdf_text(batch_download(client, f"/assessments/rounds/{rnd.id}/sheets.pdf").data)
    assert len(reader.pages) >= len(rnd.sheets)
    for sheet in rnd.sheets:
        assert sheet.compound.name in text
    r = batch_download(client, f"/assessments/rounds/{rnd.id}/sheets.zip")
    assert r.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.data)) as zf:
        names = zf.namelist()
        assert len(names) == 5 and "2026-09-济宁水景物业有限公司.pdf" in names  # 济阳's five companies
        _, text = pdf_text(zf.read("2026-09-济宁水景物业有限公司.pdf"))
        assert "水景花苑" in text and "泛华物业服务有限公司" not in text


def test_large_batches_are_rendered_in_chunks_and_joined(client, auth, demo, monkeypatch):
    """Rounds larger than a chunk are laid out chunk by chunk in the job, progress reported
    after each chunk, and joined in order."""
    from webapp.assessments import batch
    from webapp.jobs import services

    monkeypatch.setattr(batch, "CHUNK", 4)
    reported = []
    original = services._progress
    monkeypatch.setattr(services, "_progress", lambda job_id: lambda done, total=None: (
        reported.append((done, total)), original(job_id)(done, total)))
    auth.login("jiyang_admin")
    rnd = round_of(date(2026, 8, 1), "济阳街道")
    reader, text = pdf_text(batch_download(client, f"/assessments/rounds/{rnd.id}/sheets.pdf").data)
    assert reported == [(0, 20), (4, 20), (8, 20), (12, 20), (16, 20), (20, 20)]
    assert len(reader.pages) >= len(rnd.sheets) == 20
    positions = [text.index(f"{s.company.name}服务小区：{s.compound.community.name}{s.compound.name}")
                 for s in sorted(rnd.sheets, key=lambda s: (s.company_id, s.compound.name))]
    assert positions == sorted(positions)  # chunks joined in order
    assert "2026年8月泛华物业服务有限公司·济阳一社区示例老旧小区2" in text  # each page's footer names its sheet
