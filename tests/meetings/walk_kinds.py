"""Route-walk resolvers for meeting records: "{meeting:标题}", "{agenda:议题}",
"{resolution:决议开头}", "{task:任务内容}", "{attendee:会议标题/姓名}", "{kind:名称}",
"{requirement:要求名称}"."""
from sqlalchemy import select

from webapp.extensions import db


def _one(stmt, what):
    value = db.session.scalar(stmt)
    assert value is not None, f"demo has no {what}"
    return value


def _meeting(title):
    from webapp.meetings.models import Meeting

    return _one(select(Meeting.id).where(Meeting.title == title).order_by(Meeting.id.desc()).limit(1), title)


def _agenda(title):
    from webapp.meetings.models import AgendaItem

    return _one(select(AgendaItem.id).where(AgendaItem.title == title).limit(1), title)


def _resolution(start):
    from webapp.meetings.models import Resolution

    return _one(select(Resolution.id).where(Resolution.text.startswith(start)).limit(1), start)


def _task(what):
    from webapp.meetings.models import FollowUpTask

    return _one(select(FollowUpTask.id).where(FollowUpTask.what == what).limit(1), what)


def _attendee(name):
    from webapp.meetings.models import Attendee, Meeting

    title, person = name.split("/")
    return _one(select(Attendee.id).join(Meeting).where(Meeting.title == title, Attendee.name == person).limit(1), name)


def _street_id(slug="yinzhu"):
    """Settings are per street: "{kind:业主大会}" is 隐珠街道's (the street admin's);
    "{kind:业主大会@jiyang}" names another street by its slug."""
    from webapp.compounds.models import Street

    return _one(select(Street.id).where(Street.slug == slug), f"street {slug}")


def _kind(name):
    from webapp.meetings.models import MeetingKind

    name, _, slug = name.partition("@")
    return _one(select(MeetingKind.id).where(MeetingKind.name == name, MeetingKind.street_id == _street_id(slug or "yinzhu")),
                name)


def _requirement(label):
    from webapp.meetings.models import Requirement

    label, _, slug = label.partition("@")
    return _one(select(Requirement.id).where(Requirement.label == label,
                                             Requirement.street_id == _street_id(slug or "yinzhu")), label)


RESOLVERS = {
    "meeting": _meeting, "agenda": _agenda, "resolution": _resolution, "task": _task,
    "attendee": _attendee, "kind": _kind, "requirement": _requirement,
}
