"""Attachment files: accepted by their content (not their name), limited in size,
stored under UPLOAD_DIR/notices/ with a random name."""
import os
import secrets

from flask import current_app

# Magic bytes → (mime type, extension). Anything else is refused.
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5


def max_bytes():
    return current_app.config.get("NOTICE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def sniff(head):
    """(mime, extension) for the first bytes of a file, or None if not PDF/JPEG/PNG."""
    for magic, mime, ext in SIGNATURES:
        if head.startswith(magic):
            return mime, ext
    return None


def check(storage):
    """Read an uploaded file; returns (data, mime, ext) or raises ValueError with a
    Chinese message naming the file and the problem."""
    name = storage.filename or "附件"
    limit = max_bytes()
    data = storage.stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"附件“{name}”超过 {limit // (1024 * 1024)} MB 的上限，请压缩后再上传。")
    if not data:
        raise ValueError(f"附件“{name}”是空文件。")
    kind = sniff(data[:16])
    if kind is None:
        raise ValueError(f"附件“{name}”不是 PDF、JPEG 或 PNG 文件（按文件内容判断），未上传。")
    return data, kind[0], kind[1]


def folder():
    path = os.path.join(current_app.config["UPLOAD_DIR"], "notices")
    os.makedirs(path, exist_ok=True)
    return path


def store(data, ext):
    """Write the bytes under a random name; returns the stored name."""
    stored = f"{secrets.token_hex(16)}.{ext}"
    with open(os.path.join(folder(), stored), "wb") as fh:
        fh.write(data)
    return stored


def path_of(attachment):
    return os.path.join(folder(), attachment.stored_name)


def remove(attachment):
    try:
        os.remove(path_of(attachment))
    except OSError:
        pass
