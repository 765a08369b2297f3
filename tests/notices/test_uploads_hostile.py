"""Hostile uploads, sent as an outside probe sends them: images are re-encoded (a PNG+HTML
polyglot loses its HTML, a phone photo its GPS and turns upright, a bomb is refused), PDFs
with JavaScript or launch actions are refused, a NUL in a file name is harmless, and
staff downloads are served as public ones are (sandbox CSP, nosniff, attachment for
PDFs). Real files, built by tests/crafted_files.py."""
import io
import os

import pytest
from PIL import Image
from sqlalchemy import func, select

import crafted_files
from webapp import uploads
from webapp.extensions import db
from webapp.notices.models import Notice, NoticeAttachment


def _target():
    from webapp.compounds.models import Community

    return f"c:{db.session.scalar(select(Community.id).where(Community.name == '双珠路社区'))}"


def _post(client, auth, files, title="附件测试公告"):
    form = {"csrf_token": auth.csrf("/notices/new"), "category": "notice", "publish_mode": "now",
            "title": title, "body": "见附件。", "target": _target(),
            "attachments": [(io.BytesIO(data), name) for data, name in files]}
    return client.post("/notices/new", data=form, content_type="multipart/form-data")


def _stored():
    folder = os.path.join(os.environ["UPLOAD_DIR"], "notices")
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def _counts():
    return (db.session.scalar(select(func.count(Notice.id))), db.session.scalar(select(func.count(NoticeAttachment.id))))


def _attachment(title="附件测试公告"):
    notice = db.session.scalar(select(Notice).where(Notice.title == title))
    return notice, notice.attachments[0]


def _stored_bytes(att):
    with open(os.path.join(os.environ["UPLOAD_DIR"], "notices", att.stored_name), "rb") as fh:
        return fh.read()


def test_png_html_polyglot_is_reencoded_and_loses_its_html(client, auth, fresh_demo):
    polyglot = crafted_files.png_html_polyglot()
    assert crafted_files.HTML in polyglot and b"<script" in polyglot
    auth.login("shuangzhu_staff")
    r = _post(client, auth, [(polyglot, "示意图.png")])
    assert r.status_code == 303, r.get_data(as_text=True)
    notice, att = _attachment()
    data = _stored_bytes(att)
    assert b"<script" not in data and b"<html" not in data
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and img.size == (40, 30) and not img.info.get("Comment")
    for url in (f"/notices/{notice.id}/files/{att.id}", f"/public/yinzhu/shuangzhu/notices/{notice.id}/files/{att.id}"):
        f = client.get(url)
        assert f.status_code == 200 and f.data == data and f.mimetype == "image/png"
        assert "sandbox" in f.headers["Content-Security-Policy"]
        assert f.headers["X-Content-Type-Options"] == "nosniff"
        assert f.headers["Content-Disposition"].startswith("inline")


def test_phone_photo_is_turned_upright_and_stripped_of_gps(client, auth, fresh_demo):
    original = crafted_files.jpeg_with_gps_rotated()
    source = Image.open(io.BytesIO(original))
    assert source.size == (60, 20) and source.getexif().get_ifd(0x8825)  # it does carry GPS
    auth.login("shuangzhu_staff")
    assert _post(client, auth, [(original, "现场.jpg")]).status_code == 303
    _, att = _attachment()
    data = _stored_bytes(att)
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG" and img.size == (20, 60)  # upright
    assert dict(img.getexif()) == {} and b"Exif" not in data and b"PhoneCam" not in data
    assert att.mime == "image/jpeg" and att.size == len(data)


@pytest.mark.parametrize("content, name, message", [
    (crafted_files.pdf(js="app.alert(1)"), "脚本.pdf", "含有脚本或启动程序的动作"),
    (crafted_files.pdf(open_action={"/S": "/JavaScript", "/JS": "app.launchURL('http://evil')"}), "打开即运行.pdf",
     "含有脚本或启动程序的动作"),
    (crafted_files.pdf(launch=True), "启动.pdf", "含有脚本或启动程序的动作"),
    (crafted_files.pdf_with_escaped_javascript(), "转义.pdf", "含有脚本或启动程序的动作（JavaScript）"),
    (b"%PDF-1.4 junk", "坏.pdf", "已损坏"),
    (crafted_files.png_bomb(), "炸弹.png", "像素过多"),
    (crafted_files.png()[:50], "半截.png", "已损坏"),
    (crafted_files.HTML, "网页.png", "不是 PDF、JPEG 或 PNG 文件"),
])
def test_hostile_files_are_refused_and_nothing_is_written(client, auth, fresh_demo, content, name, message):
    auth.login("shuangzhu_staff")
    before, files = _counts(), _stored()
    r = _post(client, auth, [(crafted_files.png(), "正常.png"), (content, name)])
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert message in html and name in html
    assert _counts() == before and _stored() == files


def test_plain_pdf_is_kept_as_is_and_staff_download_it_as_an_attachment(client, auth, fresh_demo):
    pdf = crafted_files.pdf()
    auth.login("shuangzhu_staff")
    assert _post(client, auth, [(pdf, "收费表.pdf")]).status_code == 303
    notice, att = _attachment()
    f = client.get(f"/notices/{notice.id}/files/{att.id}")
    assert f.status_code == 200 and f.data == pdf
    assert f.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in f.headers["Content-Security-Policy"] and f.headers["X-Content-Type-Options"] == "nosniff"


def test_nul_and_path_in_a_file_name_are_cleaned(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    before = _counts()
    r = _post(client, auth, [(crafted_files.pdf(), "../../收费\x00表\t<b>.exe.pdf")])
    assert r.status_code == 303
    notice, att = _attachment()
    assert "\x00" not in att.filename and "/" not in att.filename and "<" not in att.filename
    assert att.filename.endswith(".pdf") and "收费表" in att.filename
    f = client.get(f"/notices/{notice.id}/files/{att.id}")
    assert f.status_code == 200 and "\x00" not in f.headers["Content-Disposition"]
    assert _counts()[1] == before[1] + 1


def test_attachments_sent_as_text_are_no_files(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    form = {"csrf_token": auth.csrf("/notices/new"), "category": "notice", "publish_mode": "now",
            "title": "无附件", "body": "正文", "target": _target(), "attachments": "not-a-file"}
    r = client.post("/notices/new", data=form, content_type="multipart/form-data")
    assert r.status_code == 303
    assert db.session.scalar(select(Notice).where(Notice.title == "无附件")).attachments == []


def test_extension_follows_the_content(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    assert _post(client, auth, [(crafted_files.jpeg(), "其实是照片.pdf")]).status_code == 303
    _, att = _attachment()
    assert att.filename == "其实是照片.jpg" and att.mime == "image/jpeg" and att.stored_name.endswith(".jpg")


def test_a_stored_file_goes_again_when_the_transaction_does_not_commit(app):
    folder = os.path.join(app.config["UPLOAD_DIR"], "tmp-test")
    name = uploads.store("tmp-test", b"data", "png")
    assert os.path.isfile(os.path.join(folder, name))
    db.session.rollback()
    assert not os.path.exists(os.path.join(folder, name))
    kept = uploads.store("tmp-test", b"data", "png")
    db.session.commit()
    db.session.rollback()
    assert os.path.isfile(os.path.join(folder, kept))
    os.remove(os.path.join(folder, kept))


@pytest.mark.parametrize("name, expected", [
    ("a\x00b.pdf", "ab.pdf"),
    ("..\\..\\etc/passwd", "passwd.pdf"),
    ("C:\\Users\\王\\收费表.pdf", "收费表.pdf"),
    ("", "附件.pdf"),
    ("\u202egnp.exe", "gnp.pdf"),  # the right-to-left override is a format character
    ("报告" * 200 + ".pdf", "报告" * 58 + ".pdf"),
])
def test_clean_name(name, expected):
    assert uploads.clean_name(name, "pdf") == expected
