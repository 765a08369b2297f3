"""The public notice board as residents see it, signed out: what shows, what never
shows, caching headers, the printable notice with its QR code, the lobby display."""
import base64
import io
import re

import pytest
from sqlalchemy import select

from webapp.extensions import db

HIDDEN_TITLES = {
    "draft": "关于征集小区停车管理方案意见的通知",
    "scheduled": "关于冬季供暖设施检修的通知",
    "withdrawn": "关于恒安福苑电梯停运的通知",
}
EXPIRED_TITLE = "关于夏季防汛值班安排的通知"


def _notice(title):
    from webapp.notices.models import Notice

    return db.session.scalar(select(Notice).where(Notice.title == title))


def _compound(name):
    from webapp.compounds.models import Compound

    return db.session.scalar(select(Compound).where(Compound.name == name))


def _public_pages(client, slug="shuangzhu"):
    """Every public page of a community: board, compounds, archive (all pages), display
    and one full rotation of display fragments."""
    from webapp.compounds.models import Community

    community = db.session.scalar(select(Community).where(Community.slug == slug))
    base = f"/public/{community.street.slug}/{slug}"
    urls = ["/public/", f"{base}/", f"{base}/archive", f"{base}/display", f"{base}/archive?q=通知"]
    urls += [f"{base}/{c.id}/" for c in community.compounds]
    pages = {u: client.get(u) for u in urls}
    after = ""
    for _ in range(30):
        r = client.get(f"{base}/display/next?after={after}")
        pages[f"next:{after}"] = r
        m = re.search(r'data-key="([^"]*)"', r.get_data(as_text=True))
        after = m.group(1)
        if after == "" or f"next:{after}" in pages:
            break
    return pages


def test_public_pages_answer_signed_out_without_a_cookie(client, demo):
    for url, r in _public_pages(client).items():
        assert r.status_code == 200, url
        assert "Set-Cookie" not in r.headers, f"{url} set a cookie"
        assert "csrf_token" not in r.get_data(as_text=True), url
    assert client.get_cookie("session") is None


def test_board_shows_live_notices_by_category(client, demo):
    html = client.get("/public/yinzhu/shuangzhu/").get_data(as_text=True)
    for heading in ("通知公告", "服务内容", "收费标准", "公共收益收支", "议事决议", "考核结果", "红色管家"):
        assert heading in html
    assert "双珠路社区“社区益家”微实事活动安排" in html
    # Street-wide notices show on every board of their street, and only there.
    assert "隐珠街道关于宣传《物业管理条例》推行“一次办好”的通知" in html
    assert html.index("置顶") < html.index("双珠路社区“社区益家”微实事活动安排")
    assert "关于开展每月“走访日”活动的通知" not in html and "水景花苑物业服务内容公示" not in html
    jiyang = client.get("/public/jiyang/jiyang/").get_data(as_text=True)
    assert "水景花苑物业服务内容公示" in jiyang and "关于开展每月“走访日”活动的通知" in jiyang
    assert "隐珠街道关于宣传" not in jiyang


@pytest.mark.parametrize("state", sorted(HIDDEN_TITLES))
def test_hidden_notices_never_show_anywhere(client, demo, state):
    """Drafts, scheduled-not-yet and withdrawn notices: not on the board, the
    compound pages, the archive (even when searched by their own words), the display and
    its fragments; their permanent URL, PDF and files answer 404."""
    title = HIDDEN_TITLES[state]
    notice = _notice(title)
    assert notice is not None and not notice.is_live()
    for url, r in _public_pages(client).items():
        assert title not in r.get_data(as_text=True), f"{state} notice shows on {url}"
    search = client.get("/public/yinzhu/shuangzhu/archive", query_string={"q": title[2:8]})
    assert title not in search.get_data(as_text=True)
    assert client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}").status_code == 404
    assert client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}.pdf").status_code == 404
    assert "页面不存在" in client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}").get_data(as_text=True)


def test_expired_notices_stay_in_the_archive_marked_expired(client, demo):
    """An expired notice leaves the board, the compound pages and the display, but the
    archive keeps it: a search for 防汛 finds it marked 已过期, and its page still reads
    (marked, no print version)."""
    notice = _notice(EXPIRED_TITLE)
    assert notice.status == "published" and notice.is_expired() and not notice.is_live()
    for url, r in _public_pages(client).items():
        if "/archive" not in url:
            assert EXPIRED_TITLE not in r.get_data(as_text=True), f"expired notice shows on {url}"
    search = client.get("/public/yinzhu/shuangzhu/archive", query_string={"q": "防汛"}).get_data(as_text=True)
    assert EXPIRED_TITLE in search
    row = search[search.index(EXPIRED_TITLE):].split("</li>")[0]
    assert "已过期" in row
    live = client.get("/public/yinzhu/shuangzhu/archive", query_string={"q": "社区益家"}).get_data(as_text=True)
    title = "双珠路社区“社区益家”微实事活动安排"
    assert title in live and "已过期" not in live[live.index(title):].split("</li>")[0]
    page = client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}")
    assert page.status_code == 200 and "已过期" in page.get_data(as_text=True)
    assert ".pdf" not in page.get_data(as_text=True)
    assert client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}.pdf").status_code == 404


def test_compound_page_shows_company_party_org_committee_and_stewards(client, demo):
    compound = _compound("珠海一区")
    html = client.get(f"/public/yinzhu/shuangzhu/{compound.id}/").get_data(as_text=True)
    assert "隐珠安居物业管理有限公司" in html
    assert "选派党建指导员" in html
    assert "珠海一区红色业主委员会" in html and "其中党员 4 人" in html
    assert "珠海一区物业服务收费标准" in html
    # 珠海一区's compound notices stay off 齐发小区's page.
    qifa = _compound("齐发小区")
    assert "珠海一区物业服务收费标准" not in client.get(f"/public/yinzhu/shuangzhu/{qifa.id}/").get_data(as_text=True)


def test_nothing_personal_leaks(client, demo):
    """Steward phones only where agreed; no staff names, no instructor's name, no
    residents' phones or names from the opinion box, no unpublished ranking."""
    from webapp.auth.models import User
    from webapp.compounds.models import Building
    from webapp.people.models import Person
    from webapp.requests.models import ResidentRequest

    everything = ""
    for slug in ("shuangzhu", "jiyang", "yongchun", "ninghua", "manchunyuan"):
        everything += "".join(r.get_data(as_text=True) for r in _public_pages(client, slug).values())
    shown = hidden = 0
    buildings = db.session.scalars(select(Building).where(Building.steward_id.is_not(None))).all()
    public_names = {b.steward.name for b in buildings if b.steward_phone_public}
    for b in buildings:
        if b.steward_phone_public:
            shown += b.steward.phone in everything and b.steward.name in everything
        else:
            hidden += 1
            assert b.steward.phone not in everything, f"unpublished phone of {b.steward.name}"
            # Without consent the steward is not named either (unless a namesake agreed).
            if b.steward.name not in public_names:
                assert b.steward.name not in everything, f"unpublished name of {b.steward.name}"
    assert shown > 50 and hidden > 10
    for user in db.session.scalars(select(User)):
        assert user.display_name not in everything
        staff_name = user.display_name.split()[-1]
        assert staff_name not in everything, staff_name
    assert "刘建国" not in everything  # the dispatched instructor
    for person in db.session.scalars(select(Person).where(Person.company_id.is_not(None))):
        assert person.phone not in everything
    for req in db.session.scalars(select(ResidentRequest)):
        assert req.text not in everything
        if req.phone:
            assert req.phone not in everything
    from webapp.assessments.models import QuarterRanking

    for q in db.session.scalars(select(QuarterRanking).where(QuarterRanking.published_at.is_(None))):
        assert q.quarter not in everything


def test_archive_search_finds_live_notices(client, demo):
    r = client.get("/public/yinzhu/shuangzhu/archive", query_string={"q": "停车位管理费"})
    html = r.get_data(as_text=True)
    assert "珠海一区物业服务收费标准" in html
    assert "共 1 条" in html
    fees = client.get("/public/yinzhu/shuangzhu/archive", query_string={"category": "fees"}).get_data(as_text=True)
    assert "珠海一区物业服务收费标准" in fees and "齐发小区2026年第三季度公共收益收支公示" not in fees


def test_notice_page_etag_and_last_modified_give_304(client, demo):
    notice = _notice("珠海一区物业服务收费标准")
    url = f"/public/yinzhu/shuangzhu/notices/{notice.id}"
    r = client.get(url)
    assert r.status_code == 200 and r.headers["ETag"] and r.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": r.headers["Last-Modified"]}).status_code == 304
    board = client.get("/public/yinzhu/shuangzhu/")
    assert client.get("/public/yinzhu/shuangzhu/", headers={"If-None-Match": board.headers["ETag"]}).status_code == 304


def test_notice_body_markup_is_rendered_safely(client, demo):
    notice = _notice("珠海一区物业服务内容公示")
    html = client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}").get_data(as_text=True)
    assert "<li>公共区域卫生每日清扫，垃圾当日清运</li>" in html
    assert "<h3>维修服务</h3>" in html


def _qr_matrix_from_png(data_uri, scale, border):
    """Read a QR code's modules back from the PNG (one sample per module)."""
    from PIL import Image

    raw = base64.b64decode(data_uri.split(",", 1)[1])
    img = Image.open(io.BytesIO(raw)).convert("L")
    size = img.width // scale - 2 * border
    return tuple(
        tuple(1 if img.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) < 128 else 0
              for x in range(size))
        for y in range(size)
    )


def _expected_matrix(url):
    import segno

    return tuple(tuple(1 if v else 0 for v in row) for row in segno.make(url, error="m", micro=False).matrix)


def test_qr_code_on_the_notice_page_decodes_to_its_url(client, demo):
    from webapp.public.qr import QR_BORDER, QR_SCALE

    notice = _notice("珠海一区物业服务收费标准")
    html = client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}").get_data(as_text=True)
    url = f"http://localhost/public/yinzhu/shuangzhu/notices/{notice.id}"
    assert url in html
    uri = re.search(r'src="(data:image/png;base64,[^"]+)"', html).group(1)
    assert _qr_matrix_from_png(uri, QR_SCALE, QR_BORDER) == _expected_matrix(url)
    assert _expected_matrix(url) != _expected_matrix(url + "0")  # the comparison can fail


def test_pdf_prints_the_notice_with_dates_and_a_qr_code_to_it(client, demo):
    from pypdf import PdfReader

    from webapp.public.qr import QR_BORDER

    notice = _notice("珠海一区物业服务收费标准")
    r = client.get(f"/public/yinzhu/shuangzhu/notices/{notice.id}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(r.data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "珠海一区物业服务收费标准" in text
    assert "发布日期" in text and "公示期至" in text and "0.55" in text
    url = f"http://localhost/public/yinzhu/shuangzhu/notices/{notice.id}"
    assert url in text.replace("\n", "")
    images = [img for page in reader.pages for img in page.images]
    assert images, "no QR image in the PDF"
    buf = io.BytesIO()
    images[-1].image.save(buf, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    # one pixel a module in grey (drawn unsmoothed at 32 mm): a third of an RGB image's bytes
    assert images[-1].image.mode == "L"
    assert _qr_matrix_from_png(uri, 1, QR_BORDER) == _expected_matrix(url)


def test_display_rotates_and_its_fragment_is_small(client, demo):
    full = client.get("/public/yinzhu/shuangzhu/display")
    html = full.get_data(as_text=True)
    assert 'hx-trigger="every 15s"' in html and 'hx-swap="outerHTML"' in html
    version = re.search(r'data-version="([^"]+)"', html).group(1)
    first = re.search(r'data-key="([^"]+)"', html).group(1)
    nxt = client.get(f"/public/yinzhu/shuangzhu/display/next?after={first}&v={version}&every=15")
    body = nxt.get_data(as_text=True)
    second = re.search(r'data-key="([^"]+)"', body).group(1)
    assert second != first
    assert "hx-swap-oob" not in body  # unchanged board: just the next slide
    assert len(nxt.data) <= 0.15 * len(full.data), (len(nxt.data), len(full.data))
    stale = client.get(f"/public/yinzhu/shuangzhu/display/next?after={first}&v=old").get_data(as_text=True)
    assert 'id="display-list"' in stale and "hx-swap-oob" in stale  # changed board: list comes along


def test_only_approved_resolutions_for_residents_show(client, demo):
    """Resolutions come from the meetings domain without retyping — and only those of
    approved minutes marked for residents."""
    from webapp.meetings.models import Meeting, Resolution
    from webapp.meetings.services import published_resolutions, seed_kinds

    published = {r.id for r in published_resolutions()}
    assert published, "the demo street has published resolutions"
    pages = ""
    for slug in ("shuangzhu", "jiyang", "fanhua", "manchunyuan", "jinxiuyuan"):  # every board with minutes
        pages += "".join(r.get_data(as_text=True) for r in _public_pages(client, slug).values())
    published_texts = {r.text for r in db.session.scalars(select(Resolution).where(Resolution.id.in_(published)))}
    for text in published_texts:
        assert text in pages
    for r in db.session.scalars(select(Resolution).where(Resolution.id.not_in(published))):
        if r.text not in published_texts:
            assert r.text not in pages, f"unpublished resolution shows: {r.text[:30]}"


def test_unknown_public_addresses_answer_404_without_a_cookie(client, demo):
    for url in ("/public/yinzhu/shuangzhu/notices/abc", "/public/nowhere/", "/public/yinzhu/shuangzhu/999999/"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "Set-Cookie" not in r.headers, url
        assert "页面不存在" in r.get_data(as_text=True)


def test_a_compound_board_shows_the_newest_of_its_own_and_its_communitys_resolutions(factory):
    """Its own meetings' and its community's community-wide ones, merged newest first up
    to the limit; never another compound's, never unapproved minutes."""
    from datetime import datetime

    from webapp.meetings.models import Meeting, Resolution
    from webapp.meetings.services import published_resolutions, seed_kinds
    from webapp.models_base import utcnow

    community = factory.community("决议社区")
    home, other = factory.compound(community, "本小区"), factory.compound(community, "邻小区")
    kind = next(iter(seed_kinds(community.street_id).values()))
    for day, compound, status in [(1, home, "approved"), (2, None, "approved"), (3, other, "approved"),
                                  (4, home, "approved"), (5, None, "draft"), (6, None, "approved"),
                                  (7, home, "approved"), (8, other, "approved")]:
        db.session.add(Meeting(kind=kind, title=f"会{day}", starts_at=datetime(2026, 10, day, 9), community=community,
                               compound=compound, place="议事厅", status=status,
                               approved_at=utcnow() if status == "approved" else None,
                               resolutions=[Resolution(position=1, text=f"决议{day}", publish=True)]))
    db.session.commit()
    shown = [r.text for r in published_resolutions(community_id=community.id, board_of=home.id, limit=4)]
    assert shown == ["决议7", "决议6", "决议4", "决议2"]
    everything = [r.text for r in published_resolutions(community_id=community.id, board_of=home.id)]
    assert everything == ["决议7", "决议6", "决议4", "决议2", "决议1"]
