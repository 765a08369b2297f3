"""Signed-in pages and exports are never stored by a cache (public pages keep their ETag,
static files their own headers); the printed QR codes carry only a configured host: a
forged Host header is refused when TRUSTED_HOSTS is set, ignored when PUBLIC_BASE_URL is,
and production does not start with neither."""
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from webapp import create_app
from webapp.config import Config
from webapp.extensions import db


@pytest.fixture(scope="module")
def _demo(demo):
    return demo


@pytest.mark.parametrize("url", ["/", "/people/", "/people/export.xlsx", "/compounds/export.xlsx", "/notices/",
                                 "/audit/"])
def test_signed_in_pages_and_exports_are_no_store(client, auth, _demo, url):
    auth.login("street_admin")
    r = client.get(url)
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"


def test_public_pages_and_static_files_are_not_no_store(client, auth, _demo):
    auth.login("street_admin")  # even for a signed-in clerk looking at the board
    board = client.get("/public/yinzhu/shuangzhu/")
    assert board.status_code == 200 and "no-store" not in board.headers.get("Cache-Control", "")
    assert board.headers.get("ETag")
    css = client.get("/static/css/app.css")
    assert css.status_code == 200 and "no-store" not in css.headers.get("Cache-Control", "")


def test_the_sign_in_page_for_no_one_is_not_marked(client, _demo):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


def _notice_pdf_url(client, host=None):
    from webapp.notices.models import Notice

    notice = db.session.scalar(select(Notice).where(Notice.title == "珠海一区物业服务收费标准"))
    r = client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}.pdf", headers={"Host": host} if host else {})
    return r, notice


def _pdf_text(data):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_forged_host_is_refused_when_trusted_hosts_are_set(app, client, _demo):
    app.config["TRUSTED_HOSTS"] = ["hongye.example.gov.cn", "localhost"]
    try:
        forged, _ = _notice_pdf_url(client, "evil.example")
        good, notice = _notice_pdf_url(client, "hongye.example.gov.cn")
    finally:
        app.config["TRUSTED_HOSTS"] = None
    assert forged.status_code == 400 and b"evil.example" not in forged.data
    assert good.status_code == 200
    assert f"http://hongye.example.gov.cn/public/yinzhu/shuangzhu/notices/{notice.id}" in _pdf_text(good.data).replace("\n", "")


def test_public_base_url_is_printed_whatever_the_host(app, client, _demo):
    app.config["PUBLIC_BASE_URL"] = "https://wuye.example.gov.cn"
    try:
        r, notice = _notice_pdf_url(client, "evil.example")
    finally:
        app.config["PUBLIC_BASE_URL"] = None
    text = _pdf_text(r.data).replace("\n", "")
    assert r.status_code == 200 and "evil.example" not in text
    assert f"https://wuye.example.gov.cn/public/yinzhu/shuangzhu/notices/{notice.id}" in text


def test_production_needs_a_base_url_or_trusted_hosts():
    class Prod(Config):
        PRODUCTION = True
        SECRET_KEY = "a-real-secret-for-the-test"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        PUBLIC_BASE_URL = None
        TRUSTED_HOSTS = None

    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app(Prod)
    Prod.TRUSTED_HOSTS = ["wuye.example.gov.cn"]
    assert create_app(Prod).config["TRUSTED_HOSTS"] == ["wuye.example.gov.cn"]
