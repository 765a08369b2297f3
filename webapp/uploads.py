"""Uploaded files, in one place: checked by what they are (not by their first bytes or
their name), cleaned, named, stored, and served back.

- Images (JPEG, PNG) are decoded and re-encoded with Pillow: turned upright by their
  EXIF orientation, stripped of every piece of metadata (EXIF, GPS, text chunks,
  comments, ICC), bounded in pixels (a decompression bomb is refused before it is
  decoded) and in edge length. Whatever was appended to or hidden in the file (an HTML
  page in a PNG polyglot) does not survive.
- PDFs are parsed with pypdf and refused when they carry JavaScript or actions that
  launch, import or submit anything, or when they are encrypted or unreadable.
- File names lose control characters (NUL included), path separators and markup, and
  take the extension of what the file really is.
- A stored file that the request's transaction does not commit is removed again, so a
  failed save leaves no orphan on disk.
- `send()` serves a file the same way to staff and to the public: a sandbox CSP,
  `nosniff`, images inline, everything else as an attachment.
"""
import io
import os
import re
import secrets
import unicodedata
import warnings

from flask import current_app, send_file
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy.orm import Session

IMAGE_MIMES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
PDF = ("application/pdf", "pdf")
DEFAULT_MAX_PIXELS = 40_000_000  # a 40-megapixel photo; a bomb declares far more
DEFAULT_MAX_EDGE = 4096  # longer edges are scaled down
JPEG_QUALITY = 85
# PDF actions that run code or reach outside the document.
PDF_BAD_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute", "/Rendition"}
PDF_BAD_KEYS = {"/JS", "/JavaScript"}
PDF_MAX_OBJECTS = 50_000
SANDBOX_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'none'; sandbox"


class Refused(ValueError):
    """An upload that is not accepted; the message is Chinese and names the file."""


class Checked:
    """An accepted upload: the bytes to store, their type and a clean file name."""

    def __init__(self, data, mime, ext, filename):
        self.data, self.mime, self.ext, self.filename = data, mime, ext, filename

    @property
    def is_image(self):
        return self.mime.startswith("image/")


# --- names ---------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|]')


def _clean(name):
    """The last part of a path, NFC, without control or format characters (NUL, CR, bidi overrides), separators,
    markup or leading dots."""
    name = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]  # a path's last part
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return _UNSAFE.sub("_", name).strip().lstrip(".").strip()


def clean_name(name, ext, fallback="附件", limit=120):
    """A display name safe in a header, a page and a file system: cleaned, at most
    `limit` characters, ending in `.ext` (what the file really is)."""
    stem = os.path.splitext(_clean(name))[0].strip() or fallback
    return f"{stem[: limit - len(ext) - 1]}.{ext}"


# --- content checks ----------------------------------------------------------------------

def _read(storage, limit, label):
    data = storage.stream.read(limit + 1) if hasattr(storage, "stream") else storage.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"{label}超过 {limit // (1024 * 1024)} MB 的上限，请压缩后再上传。")
    if not data:
        raise Refused(f"{label}是空文件。")
    return data


def reencode_image(data, label="图片", max_pixels=None, max_edge=None):
    """(bytes, mime, ext) of a JPEG or PNG decoded and written afresh, upright and without
    metadata; raises Refused for anything else, a damaged file or a decompression bomb."""
    max_pixels = max_pixels or current_app.config.get("UPLOAD_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    max_edge = max_edge or current_app.config.get("UPLOAD_IMAGE_MAX_EDGE", DEFAULT_MAX_EDGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=list(IMAGE_MIMES))
            width, height = img.size  # read from the header, nothing decoded yet
            if width * height > max_pixels:
                raise Refused(f"{label}的像素过多（{width}×{height}），请缩小后再上传。")
            # WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process, so
            # a cut-off PNG would load; verify() walks its chunks and CRCs first.
            img.verify()
            img = Image.open(io.BytesIO(data), formats=list(IMAGE_MIMES))
            img.load()
            ImageOps.exif_transpose(img, in_place=True)  # upright, without copying an upright photo
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(f"{label}的像素过多（疑似“解压炸弹”），请缩小后再上传。") from None
    except UnidentifiedImageError:
        raise Refused(f"{label}不是有效的 JPEG 或 PNG 图片（按文件内容判断），未上传。") from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, MemoryError):
        raise Refused(f"{label}已损坏，无法读取，未上传。") from None
    fmt = "JPEG" if data[:3] == b"\xff\xd8\xff" else "PNG"
    if max(img.size) > max_edge:
        img.thumbnail((max_edge, max_edge))
    if fmt == "JPEG":
        if img.mode not in ("RGB", "L", "CMYK"):
            img = img.convert("RGB")
    elif img.mode not in ("RGB", "RGBA", "L", "LA", "1"):
        img = img.convert("RGBA" if "transparency" in img.info or "A" in img.mode else "RGB")
    img.info = {}  # nothing of the original's metadata goes along
    out = io.BytesIO()
    if fmt == "JPEG":
        img.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        img.save(out, "PNG", optimize=True)
    mime, ext = IMAGE_MIMES[fmt]
    return out.getvalue(), mime, ext


def _pdf_danger(reader):
    """The first dangerous thing found in the PDF's object graph, or None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen, stack, count = set(), [reader.trailer], 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        count += 1
        if count > PDF_MAX_OBJECTS:
            return "对象过多"
        if isinstance(obj, DictionaryObject):
            for key in obj.keys():
                if key in PDF_BAD_KEYS:
                    return "JavaScript"
            if obj.get("/S") in PDF_BAD_ACTIONS:
                return str(obj.get("/S")).lstrip("/")
            stack.extend(v for k, v in obj.items() if k != "/Parent")
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def check_pdf(data, label="附件"):
    """The PDF unchanged if it parses, is not encrypted and carries no JavaScript or
    launch/submit actions; else Refused."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise Refused(f"{label}不是 PDF 文件（按文件内容判断），未上传。")
    # Names spelled out in the raw bytes (also in objects no cross-reference points to).
    if re.search(rb"/(JavaScript|JS|Launch)\b", data):
        raise Refused(f"{label}含有脚本或启动程序的动作（JavaScript/Launch），出于安全原因不能上传。请另存为普通 PDF 后再上传。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise Refused(f"{label}已加密，无法检查内容，请去除密码后再上传。")
            danger = _pdf_danger(reader)
            if not len(reader.pages):
                raise Refused(f"{label}没有页面，未上传。")
    except Refused:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, AssertionError, ZeroDivisionError):
        raise Refused(f"{label}已损坏，无法读取，未上传。") from None
    if danger:
        raise Refused(f"{label}含有脚本或启动程序的动作（{danger}），出于安全原因不能上传。请另存为普通 PDF 后再上传。")
    mime, ext = PDF
    return data, mime, ext


def check(storage, max_bytes, kinds=("pdf", "jpg", "png"), label=None):
    """Read, check and clean an uploaded file; returns a Checked or raises Refused.

    `kinds` names what is accepted; the file's content decides what it is."""
    original = getattr(storage, "filename", "") or ""
    label = label or f"附件“{_clean(original)[:120] or '未命名'}”"
    data = _read(storage, max_bytes, label)
    if data.startswith(b"%PDF-") and "pdf" in kinds:
        data, mime, ext = check_pdf(data, label)
    elif data[:3] == b"\xff\xd8\xff" and "jpg" in kinds or data[:8] == b"\x89PNG\r\n\x1a\n" and "png" in kinds:
        data, mime, ext = reencode_image(data, label)
    else:
        names = [{"pdf": "PDF", "jpg": "JPEG", "png": "PNG"}[k] for k in kinds]
        expected = "、".join(names[:-1]) + " 或 " + names[-1] if len(names) > 1 else names[0]
        raise Refused(f"{label}不是 {expected} 文件（按文件内容判断），未上传。")
    return Checked(data, mime, ext, clean_name(original, ext))


# --- storage -------------------------------------------------------------------------

def folder(area):
    path = os.path.join(current_app.config["UPLOAD_DIR"], area)
    os.makedirs(path, exist_ok=True)
    return path


def path_in(area, stored_name):
    """The file's path; only the stored name's last component counts."""
    return os.path.join(current_app.config["UPLOAD_DIR"], area, os.path.basename(stored_name or ""))


def store(area, data, ext, session=None):
    """Write the bytes under UPLOAD_DIR/area with a random name; returns that name.

    The file is removed again unless `session` (default: the app's) commits."""
    from .extensions import db

    name = f"{secrets.token_hex(16)}.{ext}"
    path = os.path.join(folder(area), name)
    with open(path, "wb") as fh:
        fh.write(data)
    session = session or db.session()
    if not session.in_transaction():
        session.begin()  # so that its end, commit or not, is seen
    session.info.setdefault("uploads_pending", []).append(path)
    return name


def remove(area, stored_name):
    try:
        os.remove(path_in(area, stored_name))
    except OSError:
        pass


def _keep_committed(session):
    session.info.pop("uploads_pending", None)


def _drop_uncommitted(session, transaction):
    if transaction.parent is not None or transaction.nested:
        return
    for path in session.info.pop("uploads_pending", ()):
        try:
            os.remove(path)
        except OSError:
            pass


def install():
    """Forget committed files and remove those of a transaction that did not commit, on
    every session (create_app calls this; idempotent)."""
    if not event.contains(Session, "after_commit", _keep_committed):
        event.listen(Session, "after_commit", _keep_committed)
        event.listen(Session, "after_transaction_end", _drop_uncommitted)


# --- serving -------------------------------------------------------------------------

def send(path, mime, filename, public=False):
    """A stored upload as a response: the sandbox CSP and `nosniff` always, images shown
    inline, other files (PDF) downloaded as attachments. Public copies are cacheable with
    an ETag; staff copies are not (`no-store` comes with the signed-in page rule)."""
    response = send_file(path, mimetype=mime, download_name=filename, as_attachment=not mime.startswith("image/"),
                         conditional=True, etag=public, max_age=0)
    response.headers["Content-Security-Policy"] = SANDBOX_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
