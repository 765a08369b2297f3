"""QR codes (segno) as PNG data URIs: usable in the page, the print view and the PDF
without any file or network fetch."""
import base64
import io

import segno

QR_SCALE = 8
QR_BORDER = 2


def make(url):
    """The QR code for `url` (error correction M, never a Micro QR)."""
    return segno.make(url, error="m", micro=False)


def png_data_uri(url, scale=QR_SCALE, border=QR_BORDER):
    buf = io.BytesIO()
    make(url).save(buf, kind="png", scale=scale, border=border, dark="#000", light="#fff")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def pdf_data_uri(url, border=QR_BORDER):
    """The QR code for a PDF: one pixel a module in 8-bit grey, for a template that draws
    it unsmoothed (`image-rendering: pixelated`). WeasyPrint turns segno's 1-bit PNG into
    RGB (three bytes a module) but keeps grey as /DeviceGray: a third of the image."""
    from PIL import Image

    one_bit = io.BytesIO()
    make(url).save(one_bit, kind="png", scale=1, border=border, dark="#000", light="#fff")
    one_bit.seek(0)
    buf = io.BytesIO()
    Image.open(one_bit).convert("L").save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
