"""Filling a sheet: totals, findings, photos, bad input that writes nothing, closed rounds."""
import io
import os
from datetime import date

import pytest
from flask import current_app
from sqlalchemy import func, select

import crafted_files
from webapp.assessments import services
from webapp.assessments.models import AssessmentRound, AssessmentSheet, ScoreLine, SheetScore
from webapp.audit.models import AuditLog
from webapp.compounds.models import Compound
from webapp.extensions import db

PNG = crafted_files.png()
JPEG = crafted_files.jpeg()


def sheet_for(month, compound):
    return db.session.scalar(select(AssessmentSheet).join(AssessmentRound).join(Compound, Compound.id == AssessmentSheet.compound_id)
                             .where(AssessmentRound.month == month, Compound.name == compound))


def form_data(sheet, token, **changes):
    """A complete, valid score: no findings, full marks; `changes` override by item title."""
    data = {"csrf_token": token, "visited_on": "2026-11-10"}
    for item in sheet.round.template.items:
        if item.rule == "judged":
            data[f"points_{item.id}"] = str(item.full_points)
        else:
            data[f"findings_{item.id}"] = "0"
        data[f"finding_{item.id}"] = ""
    for title, values in changes.items():
        item = next(i for i in sheet.round.template.items if i.title == title)
        for key, value in values.items():
            data[f"{key}_{item.id}"] = value
    return data


def counts():
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(SheetScore)),
            db.session.scalar(select(func.count()).select_from(ScoreLine)))


def uploads():
    folder = os.path.join(current_app.config["UPLOAD_DIR"], "assessments")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def line_photo_stored(score):
    return any(line.photo in uploads() for line in score.lines if line.photo)


@pytest.fixture
def nov_sheet(fresh_demo):
    return sheet_for(date(2026, 11, 1), "恒安福苑")


def test_cadre_fills_a_sheet_and_the_total_follows_the_rules(client, auth, nov_sheet):
    auth.login("shuangzhu_staff")
    url = f"/assessments/sheets/{nov_sheet.id}/score"
    token = auth.csrf(url)
    data = form_data(nov_sheet, token,
                     垃圾当日清={"findings": "3", "finding": "3号楼垃圾满溢"},
                     违建全拆除={"findings": "9", "finding": "多处彩钢棚"},  # 9 × 2 > 10: floor 0
                     突出党建引领={"points": "12.5", "finding": "亮牌上岗不到位"})
    data["photo_" + str(nov_sheet.round.template.items[0].id)] = (io.BytesIO(PNG), "现场.png")
    r = client.post(url, data=data, content_type="multipart/form-data")
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "评分已保存：84.5 分" in page  # 100 − 3 − 10 (floor 0) − 2.5
    assert "3号楼垃圾满溢" in page and "现场照片" in page
    score = db.session.scalar(select(SheetScore).where(SheetScore.sheet_id == nov_sheet.id,
                                                       SheetScore.scorer.has(username="shuangzhu_staff")))
    assert score.total == 84.5 and score.scorer_kind == "cadre"
    assert line_photo_stored(score)
    line = next(line for line in score.lines if line.photo)
    photo = client.get(f"/assessments/photos/{line.id}")
    assert photo.status_code == 200 and photo.mimetype == "image/png" and photo.data.startswith(b"\x89PNG")


def test_a_phone_photo_is_stored_upright_without_gps_and_served_sandboxed(client, auth, nov_sheet):
    from PIL import Image

    auth.login("shuangzhu_staff")
    url = f"/assessments/sheets/{nov_sheet.id}/score"
    data = form_data(nov_sheet, auth.csrf(url), 垃圾当日清={"findings": "1", "finding": "垃圾未清"})
    data["photo_" + str(nov_sheet.round.template.items[0].id)] = (io.BytesIO(crafted_files.jpeg_with_gps_rotated()), "现场.jpg")
    assert client.post(url, data=data, content_type="multipart/form-data").status_code == 303
    line = db.session.scalar(select(ScoreLine).where(ScoreLine.photo.is_not(None)).order_by(ScoreLine.id.desc()))
    photo = client.get(f"/assessments/photos/{line.id}")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    img = Image.open(io.BytesIO(photo.data))
    assert img.size == (20, 60) and dict(img.getexif()) == {} and b"PhoneCam" not in photo.data
    assert "sandbox" in photo.headers["Content-Security-Policy"] and photo.headers["X-Content-Type-Options"] == "nosniff"


def test_htmx_running_total(client, auth, nov_sheet):
    auth.login("street_admin")
    token = auth.csrf(f"/assessments/sheets/{nov_sheet.id}/score")
    data = form_data(nov_sheet, token, 停车有秩序={"findings": "2"}, 凝聚道德力量={"points": "11"})
    r = client.post(f"/assessments/sheets/{nov_sheet.id}/score/total", data=data, headers={"HX-Request": "true"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "当前合计：<strong data-total>88</strong>" in html  # 100 − 2, and the invalid 11 counts nothing
    assert "有项目的数值无效" in html
    assert counts()[1] == db.session.scalar(select(func.count()).select_from(ScoreLine))  # nothing written


@pytest.mark.parametrize("changes, message", [
    ({"突出党建引领": {"points": "16", "finding": "x"}}, "不能超过满分"),
    ({"突出党建引领": {"points": "-1", "finding": "x"}}, "不能为负数"),
    ({"垃圾当日清": {"findings": "-2", "finding": "x"}}, "不能为负数"),
    ({"垃圾当日清": {"findings": "2", "finding": ""}}, "有扣分必须填写发现的问题"),
    ({"涵养社区文化": {"points": "8", "finding": "  "}}, "有扣分必须填写发现的问题"),
    ({"垃圾当日清": {"findings": "abc"}}, "不是有效的整数"),
])
def test_bad_scores_get_a_chinese_message_and_write_nothing(client, auth, nov_sheet, changes, message):
    auth.login("street_admin")
    url = f"/assessments/sheets/{nov_sheet.id}/score"
    before = counts()
    r = client.post(url, data=form_data(nov_sheet, auth.csrf(url), **changes), content_type="multipart/form-data")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert message in html and "评分未保存" in html
    assert counts() == before


@pytest.mark.parametrize("name, content, message", [
    ("notes.txt", b"just text", "不是 JPEG 或 PNG"),
    ("fake.jpg", b"MZ\x90\x00 not an image at all", "不是 JPEG 或 PNG"),
    ("photo.png", JPEG, "只能是 JPEG 或 PNG"),  # extension and content disagree
    ("big.jpg", JPEG + b"\x00" * (2 * 1024 * 1024), "超过 2 MB"),
    ("broken.jpg", JPEG[:60], "已损坏"),
    ("bomb.png", crafted_files.png_bomb(), "像素过多"),
])
def test_bad_photos_are_refused_and_nothing_is_stored(client, auth, nov_sheet, name, content, message):
    auth.login("street_admin")
    url = f"/assessments/sheets/{nov_sheet.id}/score"
    data = form_data(nov_sheet, auth.csrf(url), 垃圾当日清={"findings": "1", "finding": "垃圾未清"})
    data["photo_" + str(nov_sheet.round.template.items[0].id)] = (io.BytesIO(content), name)
    before, files = counts(), uploads()
    r = client.post(url, data=data, content_type="multipart/form-data")
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    assert counts() == before and uploads() == files


def test_a_huge_upload_is_refused_with_a_chinese_page(client, auth, nov_sheet):
    auth.login("street_admin")
    url = f"/assessments/sheets/{nov_sheet.id}/score"
    data = form_data(nov_sheet, auth.csrf(url), 垃圾当日清={"findings": "1", "finding": "垃圾未清"})
    data["photo_" + str(nov_sheet.round.template.items[0].id)] = (io.BytesIO(JPEG + b"\x00" * (11 * 1024 * 1024)), "huge.jpg")
    before, files = counts(), uploads()
    r = client.post(url, data=data, content_type="multipart/form-data")
    assert r.status_code == 413
    assert "文件过大" in r.get_data(as_text=True)
    assert counts() == before and uploads() == files


def test_closed_rounds_cannot_change(client, auth, fresh_demo):
    sheet = sheet_for(date(2026, 10, 1), "恒安福苑")
    before = [(line.id, line.points) for s in sheet.scores for line in s.lines]
    auth.login("street_admin")
    url = f"/assessments/sheets/{sheet.id}/score"
    r = client.post(url, data=form_data(sheet, auth.csrf("/assessments/")), content_type="multipart/form-data")
    assert r.status_code == 409
    assert "已关闭" in r.get_data(as_text=True)
    db.session.expire_all()
    assert [(line.id, line.points) for s in sheet.scores for line in s.lines] == before
    assert client.get(url).status_code == 303  # the form is not offered
    with pytest.raises(services.RoundClosed):
        services.save_score(sheet.scores[0], {})


def test_reopen_needs_a_reason_and_records_who(client, auth, fresh_demo):
    rnd = db.session.scalar(select(AssessmentRound).where(AssessmentRound.month == date(2026, 10, 1)))
    auth.login("street_admin")
    token = auth.csrf(f"/assessments/rounds/{rnd.id}")
    r = client.post(f"/assessments/rounds/{rnd.id}/reopen", data={"csrf_token": token, "reason": ""})
    assert r.status_code == 422 and "必须说明原因" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AssessmentRound, rnd.id).is_closed
    r = client.post(f"/assessments/rounds/{rnd.id}/reopen", data={"csrf_token": token, "reason": "水景花苑评分录入有误，需更正"})
    assert r.status_code == 303
    page = client.get(f"/assessments/rounds/{rnd.id}").get_data(as_text=True)
    assert "重新开启，原因：水景花苑评分录入有误，需更正" in page and "王主任" in page
    log = db.session.scalar(select(AuditLog).where(AuditLog.action == "reopen"))
    assert log.username == "street_admin" and "录入有误" in log.note
    # closing again freezes the results anew
    r = client.post(f"/assessments/rounds/{rnd.id}/close", data={"csrf_token": token, "confirm": "1"})
    assert r.status_code == 303
    db.session.expire_all()
    assert db.session.get(AssessmentRound, rnd.id).is_closed
    assert all(s.final_score is not None for s in db.session.get(AssessmentRound, rnd.id).sheets)


def test_several_scorers_on_one_sheet(client, auth, nov_sheet):
    """Two cadres (15 findings; 25 findings stop at the floor) and a representative, weighted 0.7 / 0.3."""
    for username, total_findings in (("street_admin", 15), ("shuangzhu_staff", 25)):
        auth.login(username)
        url = f"/assessments/sheets/{nov_sheet.id}/score"
        data = form_data(nov_sheet, auth.csrf(url), 垃圾当日清={"findings": str(total_findings), "finding": "垃圾满溢"})
        assert client.post(url, data=data, content_type="multipart/form-data").status_code == 303
        auth.logout()
    auth.login("resident_rep")  # assigned to 恒安福苑 in the demo
    url = f"/assessments/sheets/{nov_sheet.id}/score"
    data = form_data(nov_sheet, auth.csrf(url), 维修要及时={"findings": "10", "finding": "门禁坏了没人修"})
    assert client.post(url, data=data, content_type="multipart/form-data").status_code == 303
    db.session.expire_all()
    sheet = db.session.get(AssessmentSheet, nov_sheet.id)
    totals = {s.scorer.username: s.total for s in sheet.scores}
    assert totals == {"street_admin": 85.0, "shuangzhu_staff": 85.0, "resident_rep": 90.0}
    assert services.sheet_result(sheet) == 86.5  # 0.7 × 85 + 0.3 × 90
