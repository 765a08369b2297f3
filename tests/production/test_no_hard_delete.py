"""Referenced records are never hard-deleted: meetings, sheets, notices and requests have no
delete route at all (they are withdrawn, closed or archived); the few delete routes remove
draft content only, and a published notice's attachment stays, row and file."""
import os
import re

from sqlalchemy import select

from conftest import AuthActions
from webapp.extensions import db

# Every delete route there is, and why it is safe.
DRAFT_ONLY_DELETES = {
    "/meetings/<int:meeting_id>/attendees/<int:attendee_id>/delete",  # approved minutes are locked by the model guard
    "/meetings/<int:meeting_id>/agenda/<int:item_id>/delete",
    "/meetings/<int:meeting_id>/resolutions/<int:resolution_id>/delete",
    "/meetings/<int:meeting_id>/tasks/<int:task_id>/delete",
    "/assessments/templates/<int:template_id>/items/<int:item_id>/delete",  # refused (409) once a round uses it
    "/notices/<int:notice_id>/files/<int:attachment_id>/delete",  # drafts only (below)
    "/requests/settings/days-off/<int:day_id>/delete",  # a street's own day off: nothing refers to it (deadlines already set keep their dates)
}


def test_no_route_deletes_a_referenced_record(app):
    deleting = {r.rule for r in app.url_map.iter_rules()
                if re.search(r"/(delete|remove|destroy)\b", r.rule) or "DELETE" in (r.methods or ())}
    assert deleting == DRAFT_ONLY_DELETES


def test_a_published_notices_attachment_is_kept(fresh_demo, client):
    from webapp.notices.files import path_of
    from webapp.notices.models import Notice, NoticeAttachment

    att = db.session.scalars(select(NoticeAttachment).join(Notice).where(Notice.status == "published")).first()
    assert att is not None, "the demo has a published notice with an attachment"
    path = path_of(att)
    assert os.path.isfile(path)
    auth = AuthActions(client)
    auth.login("street_admin")
    token = auth.csrf(f"/notices/{att.notice_id}")
    r = client.post(f"/notices/{att.notice_id}/files/{att.id}/delete", data={"csrf_token": token})
    assert r.status_code == 303
    assert "附件不能删除" in client.get(r.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(NoticeAttachment, att.id) is not None and os.path.isfile(path)
