"""The residents' side without a browser (issue 15): 长辈版 carried in the URL and kept by
every link, cached apart from the standard board with its own ETag, pages compressed
with the ETag/304 still working, the community page's weight, link previews, and
nothing personal on the 长辈版 pages either."""
import gzip
import re

import brotli
import pytest
from sqlalchemy import select

from webapp.compounds.models import Community, Compound
from webapp.extensions import db
from webapp.notices.models import Notice
from webapp.requests.models import ResidentRequest


def _pages():
    compound = db.session.scalar(select(Compound).where(Compound.name == "珠海一区"))
    notice = db.session.scalar(select(Notice).where(Notice.title == "珠海一区物业服务收费标准"))
    return ["/public/", "/public/yinzhu/shuangzhu/", f"/public/yinzhu/shuangzhu/{compound.id}/", "/public/yinzhu/shuangzhu/archive?q=物业",
            f"/public/yinzhu/shuangzhu/notices/{notice.id}", "/public/yinzhu/shuangzhu/opinion", "/public/yinzhu/shuangzhu/opinion/status",
            "/public/yinzhu/shuangzhu/display", "/verify/ZZZZ-ZZZZ"]


def _links(html):
    return re.findall(r'(?:href|action|hx-get)="(/public/[^"]*)"', html)


def _switch(html):
    m = re.search(r'class="mode-switch" href="([^"]*)"', html)
    return m.group(1).replace("&amp;", "&") if m else None


def test_elder_mode_is_in_the_page_and_every_link_keeps_it(client, demo):
    for url in _pages():
        sep = "&" if "?" in url else "?"
        html = client.get(url + sep + "mode=elder").get_data(as_text=True)
        assert re.search(r'<body class="[^"]*\belder\b', html), url
        links = [link.replace("&amp;", "&") for link in _links(html)]
        assert links, url
        switch = _switch(html)
        for link in links:
            assert ("mode=" not in link) if link == switch else ("mode=elder" in link), (url, link)
        standard = client.get(url).get_data(as_text=True)
        assert not re.search(r'<body class="[^"]*\belder\b', standard), url
        switch = _switch(standard)
        assert switch is None or "mode=elder" in switch, url
        assert all("mode=" not in link.replace("&amp;", "&") for link in _links(standard)
                   if link.replace("&amp;", "&") != switch), url


def test_the_switch_keeps_the_page_and_nothing_else(client, demo):
    html = client.get("/public/yinzhu/shuangzhu/archive?q=停车&page=1&_scheme=javascript&_external=1&_anchor=x").get_data(as_text=True)
    switch = _switch(html)
    assert switch.startswith("/public/yinzhu/shuangzhu/archive?") and "#" not in switch and "javascript" not in switch
    assert "q=%E5%81%9C%E8%BD%A6" in switch and "mode=elder" in switch


def test_unknown_mode_is_the_standard_board(client, demo):
    html = client.get("/public/yinzhu/shuangzhu/?mode=<b>big</b>").get_data(as_text=True)
    assert "elder" not in re.search(r"<body[^>]*>", html).group(0) and "<b>big</b>" not in html


def test_qr_codes_and_print_never_carry_the_mode(client, demo):
    notice = db.session.scalar(select(Notice).where(Notice.title == "珠海一区物业服务收费标准"))
    html = client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}?mode=elder").get_data(as_text=True)
    printed = re.search(r'<p class="url">([^<]*)</p>', html).group(1)
    assert printed.endswith(f"/public/yinzhu/shuangzhu/notices/{notice.id}")


@pytest.fixture
def cache_on(app):
    app.config["PUBLIC_CACHE_SECONDS"] = 60
    yield
    app.config.pop("PUBLIC_CACHE_SECONDS")


def test_both_modes_are_cached_apart_with_their_own_etags(client, demo, cache_on):
    standard = client.get("/public/yinzhu/shuangzhu/")
    elder = client.get("/public/yinzhu/shuangzhu/?mode=elder")
    assert standard.headers["ETag"] != elder.headers["ETag"]
    assert "key-actions" in elder.get_data(as_text=True) and "key-actions" not in standard.get_data(as_text=True)
    again = client.get("/public/yinzhu/shuangzhu/?mode=elder")  # from the cache: the same page
    assert again.headers["ETag"] == elder.headers["ETag"] and again.data == elder.data
    assert client.get("/public/yinzhu/shuangzhu/?mode=elder", headers={"If-None-Match": elder.headers["ETag"]}).status_code == 304
    # The standard page's tag does not validate the 长辈版 copy.
    assert client.get("/public/yinzhu/shuangzhu/?mode=elder", headers={"If-None-Match": standard.headers["ETag"]}).status_code == 200


@pytest.mark.parametrize("encoding, decode", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_pages_are_compressed_and_the_etag_still_gives_304(client, demo, cache_on, encoding, decode):
    plain = client.get("/public/yinzhu/shuangzhu/")
    r = client.get("/public/yinzhu/shuangzhu/", headers={"Accept-Encoding": encoding})
    assert r.headers["Content-Encoding"] == encoding and "Accept-Encoding" in r.headers["Vary"]
    assert decode(r.data) == plain.data
    tag = r.headers["ETag"]
    assert tag != plain.headers["ETag"]  # the compressed body has its own strong tag
    again = client.get("/public/yinzhu/shuangzhu/", headers={"Accept-Encoding": encoding, "If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    # The uncompressed tag still validates, and a changed board gives the new page.
    assert client.get("/public/yinzhu/shuangzhu/", headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304


def test_stylesheet_and_scripts_are_compressed(client, demo):
    for url in ("/static/css/public.css", "/static/vendor/htmx-2.0.11.min.js", "/static/css/app.css"):
        r = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert r.headers.get("Content-Encoding") == "br", url
        assert len(r.data) < len(brotli.decompress(r.data)) / 2, url


def test_community_page_first_response_is_under_30_kb_compressed(client, demo):
    """What a phone downloads first for the busiest page (gzip, the least any browser
    takes), in both modes: at most 30 KB."""
    for url in ("/public/yinzhu/shuangzhu/", "/public/yinzhu/shuangzhu/?mode=elder"):
        r = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert r.headers["Content-Encoding"] == "gzip"
        assert len(r.data) <= 30 * 1024, (url, len(r.data))


def test_every_public_page_has_a_title_description_and_og_tags(client, demo):
    for url in _pages():
        html = client.get(url).get_data(as_text=True)
        title = re.search(r"<title>([^<]+)</title>", html).group(1)
        assert "公示" in title, url
        if url.endswith("/display"):
            continue  # the lobby screen is not shared
        description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
        assert len(description) >= 10, url
        assert f'<meta property="og:title" content="{title}">' in html, url
        assert f'<meta property="og:description" content="{description}">' in html, url


def test_nothing_personal_on_elder_pages(client, demo):
    everything = ""
    for community in db.session.scalars(select(Community)):
        for url in ("/public/{street}/{slug}/", "/public/{street}/{slug}/archive", "/public/{street}/{slug}/opinion/status"):
            everything += client.get(url.format(street=community.street.slug, slug=community.slug) + "?mode=elder").get_data(as_text=True)
        for c in community.compounds:
            everything += client.get(f"/public/{community.street.slug}/{community.slug}/{c.id}/?mode=elder").get_data(as_text=True)
    requests = db.session.scalars(select(ResidentRequest)).all()
    assert requests
    for req in requests:
        assert req.text not in everything
        if req.phone:
            assert req.phone not in everything
        if req.name:
            assert req.name not in everything
