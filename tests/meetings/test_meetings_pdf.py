"""The A4 minutes PDF: read back with pypdf — Chinese title, attendees, resolutions, the
embedded CJK font, the draft watermark, section choice, the separate sign-in sheet, and
markup kept as text."""
import io
from datetime import date

from pypdf import PdfReader

from mt_world import login, make_meeting, world  # noqa: F401


def _pdf(client, meeting, query=""):
    r = client.get(f"/meetings/{meeting.id}.pdf{query}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(r.data))


def _text(reader):
    return ["".join(p.extract_text().split()) for p in reader.pages]


def _meeting(world, status="approved"):
    return make_meeting(
        world, title="泛华盛世第一次说事议事会", status=status,
        attendees=[("罗永梅", "永春社区党总支", None), ("孙立华", "泛华物业服务有限公司", world.company)],
        agenda=[("楼顶漏水", "3号楼顶层雨天漏水。")],
        resolutions=[("楼顶漏水由物业先行维修。", True)],
        tasks=[("维修楼顶防水", "孙立华", world.company, date(2026, 12, 1))],
    )


def _fonts(reader):
    fonts = []
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.append((str(font.get("/BaseFont")), embedded))
    return fonts


def test_pdf_has_title_attendee_resolution_and_embedded_cjk_font(client, world):
    m = _meeting(world)
    login(client, "staff")
    reader = _pdf(client, m)
    pages = _text(reader)
    first = pages[0]
    assert "泛华盛世第一次说事议事会纪要" in first
    assert "罗永梅" in first and "孙立华" in first
    assert "楼顶漏水由物业先行维修。" in first
    assert "草稿" not in "".join(pages)
    fonts = _fonts(reader)
    assert len(set(fonts)) == 1 and fonts[0][1], fonts  # one CJK face, embedded (no Bold beside it)


def test_sign_in_sheet_is_its_own_page(client, world):
    m = _meeting(world)
    login(client, "staff")
    pages = _text(_pdf(client, m))
    assert len(pages) >= 2
    sheet = pages[-1]
    assert "签到表" in sheet and "签到（签字）" in sheet and "罗永梅" in sheet
    assert "会议决议" not in sheet


def test_draft_pdf_carries_the_watermark(client, world):
    m = _meeting(world, status="draft")
    login(client, "staff")
    assert "草稿" in _text(_pdf(client, m))[0]


def test_clerk_chooses_sections(client, world):
    m = _meeting(world)
    login(client, "staff")
    pages = _text(_pdf(client, m, "?s=resolutions"))
    assert len(pages) == 1
    assert "楼顶漏水由物业先行维修。" in pages[0]
    assert "签到表" not in pages[0] and "讨论情况" not in pages[0] and "出席人员" not in pages[0]


def test_markup_in_minutes_is_printed_as_text(client, world):
    m = make_meeting(world, agenda=[('<b>加粗</b><img src="file:///etc/passwd">', "<script>x</script>")])
    login(client, "staff")
    text = _text(_pdf(client, m))[0]
    assert "<b>加粗</b>" in text and "<script>x</script>" in text


def test_other_community_cannot_print(client, world):
    m = _meeting(world)
    login(client, "other")
    assert client.get(f"/meetings/{m.id}.pdf").status_code == 404
