"""The resident's side of a request, on the public receipt page: what the receipt shows
(the state, a duplicate's original, the steps with their dates but no staff names, the
reason of a 不予受理) and the resident's own 回访 and 催办."""
from sqlalchemy import select

from ..clock import local_today
from ..extensions import db
from ..forms import save_or_conflict
from . import rules, services
from .forms import ResidentVisitForm
from .models import RequestEvent

PUBLIC_EVENTS = ("received", "routed", "dispatch", "accept", "resolve", "visit", "reopen", "reject", "merge",
                 "reassign", "chase", "close", "escalate", "meeting")


def receipt_context(found, answer_form=None):
    """Template context for a found receipt."""
    shown = found.duplicate_of if found.status == "merged" and found.duplicate_of is not None else found
    events = db.session.scalars(select(RequestEvent).where(
        RequestEvent.request_id == shown.id, RequestEvent.kind.in_(PUBLIC_EVENTS)).order_by(RequestEvent.id).limit(100)).all()
    can_visit = found.status == "resolved"
    can_chase = shown is found and found.status in rules.OPEN and found.resident_chased_on != local_today()
    if answer_form is None and can_visit:
        answer_form = ResidentVisitForm(formdata=None)
    return {"shown": shown, "public_events": events, "can_visit": can_visit, "can_chase": can_chase,
            "answer_form": answer_form if can_visit else None, "chased_today": found.resident_chased_on == local_today()}


def answer(item, action):
    """(form, message, ok): take the resident's 回访 or 催办; refusals come back as a message."""
    form = ResidentVisitForm() if action == "visit" else None
    if action == "visit" and not form.validate():
        return form, None, False
    if action == "chase":
        from ..forms import BaseForm

        if not BaseForm().validate():
            return None, "表单已过期，请刷新页面后重试。", False
    data = {"satisfaction": form.satisfaction.data, "note": form.note.data} if form else {"note": "居民在回执页催办。"}
    errors = []
    try:
        done = save_or_conflict(lambda: services.resident_act(item, action, data), errors)
    except services.Refused as exc:
        db.session.rollback()
        return form, str(exc), False
    if not done:
        return form, errors[0], False
    return form, None, True
