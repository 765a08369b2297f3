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
