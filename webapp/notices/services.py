"""Writes on notices: create, update, publish, withdraw, attach. Each flushes; the
audit hook logs the column changes, and `record()` notes withdrawals and publications."""
from flask_login import current_user

from ..audit.services import record
from ..extensions import db
from . import files
from .models import NoticeAttachment, local_now


def parse_target(value):
    """'street' | 'c:<community id>' | 'p:<compound id>' → (community_id, compound_id)."""
    from ..compounds.models import Compound

    if value.startswith("p:"):
        compound = db.session.get(Compound, int(value[2:]))
        return compound.community_id, compound.id
    if value.startswith("c:"):
        return int(value[2:]), None
    return None, None


def target_value(notice):
    if notice.compound_id:
        return f"p:{notice.compound_id}"
    if notice.community_id:
        return f"c:{notice.community_id}"
    return "street"


def apply_form(notice, form, checked_files):
    """Copy the form onto the notice (new or existing) and add checked attachments."""
    notice.title = form.title.data
    notice.body = form.body.data
    notice.category = form.category.data
    notice.community_id, notice.compound_id = parse_target(form.target.data)
    notice.pinned = bool(form.pinned.data)
    notice.expires_at = form.expires_at.data
    mode = form.publish_mode.data
    if mode == "draft":
        if notice.status != "published":
            notice.status = "draft"
            notice.publish_at = None
    elif mode == "now":
        if not (notice.status == "published" and notice.publish_at and notice.publish_at <= local_now()):
            notice.publish_at = local_now().replace(microsecond=0)
        notice.status = "published"
    else:
        notice.status = "published"
        notice.publish_at = form.publish_at.data
    if notice.id is None:
        notice.author_id = current_user.id
        db.session.add(notice)
    for upload in checked_files:
        notice.attachments.append(NoticeAttachment(
            filename=upload.filename, stored_name=files.store(upload.data, upload.ext), mime=upload.mime,
            size=len(upload.data)))
    db.session.flush()
    if notice.status == "published":
        record(db.session, "publish", notice, note=f"发布时间 {notice.publish_at:%Y-%m-%d %H:%M}")
    return notice


def publish_now(notice):
    notice.status = "published"
    notice.publish_at = local_now().replace(microsecond=0)
    db.session.flush()
    record(db.session, "publish", notice, note="立即发布")


def withdraw(notice, reason):
    """Take a notice off the board; the row and its reason stay for the record."""
    notice.status = "withdrawn"
    notice.withdrawn_at = local_now().replace(microsecond=0)
    notice.withdraw_reason = reason
    db.session.flush()
    record(db.session, "withdraw", notice, note=reason)


class AttachmentLocked(Exception):
    """A published (or withdrawn) notice's attachment stays: residents may hold a printed
    copy that points to it."""


def delete_attachment(attachment):
    if attachment.notice.status != "draft":
        raise AttachmentLocked("已发布或已撤回的公告的附件不能删除（公众可能已看到或打印）。如需更正，请撤回后另发新公告。")
    files.remove(attachment)
    db.session.delete(attachment)
    db.session.flush()
