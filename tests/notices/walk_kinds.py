"""Route-walk resolvers for the notices domain: "{notice:<title>}" and "{request:<receipt suffix>}"."""
from sqlalchemy import select

from webapp.extensions import db


def notice_id(title):
    from webapp.notices.models import Notice

    found = db.session.scalar(select(Notice.id).where(Notice.title == title))
    assert found is not None, f"demo has no notice {title}"
    return found


def request_id(suffix):
    from webapp.requests.models import ResidentRequest

    found = db.session.scalar(select(ResidentRequest.id).where(ResidentRequest.receipt_no.endswith(suffix)))
    assert found is not None, f"demo has no request *{suffix}"
    return found


def attachment_id(filename):
    from webapp.notices.models import NoticeAttachment

    if filename == "missing":
        return 999999
    return db.session.scalar(select(NoticeAttachment.id).where(NoticeAttachment.filename == filename))


RESOLVERS = {"notice": notice_id, "request": request_id, "attachment": attachment_id}
RESOLVERS["slug"] = lambda name: name  # "{slug:shuangzhu}": public pages are addressed by community slug
