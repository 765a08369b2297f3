"""Notice attachments: PDF, JPEG or PNG, checked and cleaned by `webapp.uploads`, limited in
size, stored under UPLOAD_DIR/notices/ with a random name."""
from flask import current_app

from .. import uploads

AREA = "notices"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5


def max_bytes():
    return current_app.config.get("NOTICE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def check(storage):
    """An uploaded attachment as `uploads.Checked`, or `uploads.Refused` (a ValueError
    with a Chinese message naming the file and the problem)."""
    return uploads.check(storage, max_bytes())


def store(data, ext):
    """Write the bytes under a random name; returns the stored name."""
    return uploads.store(AREA, data, ext)


def path_of(attachment):
    return uploads.path_in(AREA, attachment.stored_name)


def send(attachment, public=False):
    return uploads.send(path_of(attachment), attachment.mime, attachment.filename, public=public)


def remove(attachment):
    uploads.remove(AREA, attachment.stored_name)
