"""Real files for the upload tests, built in memory: valid images and PDFs, and the
hostile ones an outside probe sends (polyglots, bombs, PDFs with JavaScript)."""
import io
import struct
import zlib

from PIL import Image


def png(size=(40, 30), color=(200, 30, 30), **save):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG", **save)
    return buf.getvalue()


def jpeg(size=(40, 30), color=(30, 120, 200), exif=None):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", **({"exif": exif} if exif is not None else {}))
    return buf.getvalue()


def jpeg_with_gps_rotated(size=(60, 20)):
    """A landscape JPEG whose EXIF says "rotate 90°" (orientation 6) and carries GPS
    coordinates and a camera model, as a phone writes them."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x0110] = "PhoneCam 12"  # model
    gps = {1: "N", 2: (36.0, 4.0, 12.5), 3: "E", 4: (120.0, 22.0, 8.25)}
    exif[0x8825] = gps
    return jpeg(size, exif=exif.tobytes())


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def png_html_polyglot():
    """A valid PNG with an HTML page in a text chunk and appended after IEND."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", HTML.decode())
    return png(pnginfo=info) + HTML


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width=60000, height=60000):
    """A tiny PNG that declares 3.6 gigapixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def pdf(js=None, open_action=None, launch=False):
    """A one-page PDF written by pypdf; optionally with document JavaScript, an
    /OpenAction of the given dictionary, or an /OpenAction that launches a program."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if js:  # document-level JavaScript in the /Names tree, as Acrobat writes it
        action = writer._add_object(DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(js)}))
        names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), action])})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(names)})
    if open_action:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject(k): (NameObject(v) if v.startswith("/") else TextStringObject(v)) for k, v in open_action.items()})
    if launch:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_with_escaped_javascript():
    """A hand-written PDF whose OpenAction names JavaScript with #-escapes
    (/J#61vaScript), which a byte search for "/JavaScript" does not see."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
