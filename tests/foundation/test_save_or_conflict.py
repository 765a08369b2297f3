"""One save-or-conflict helper: a save that loses a race to another clerk's save becomes
the one conflict message (or the duplicate message), never a 500 or a silent overwrite."""
from sqlalchemy import select, text

from conftest import csrf_from
from webapp.extensions import db
from webapp.forms import CONFLICT_MESSAGE, DUPLICATE_MESSAGE, save_or_conflict
from webapp.meetings.models import MeetingKind


def _someone_else_renames(kind_id, name):
    """Another clerk's save, committed on its own connection while ours is under way."""
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE meeting_kind SET name = :n, version = version + 1 WHERE id = :i"),
                     {"n": name, "i": kind_id})


def _kind(name):
    kind = MeetingKind(name=name, sort_order=10)
    db.session.add(kind)
    db.session.commit()
    return kind


def test_a_stale_version_is_the_conflict_message_and_keeps_the_other_save(app):
    kind = _kind("党员大会")
    assert kind.version == 1
    # Our copy keeps what it read; our read transaction ends (SQLite would refuse to turn
    # an old snapshot into a write), then the other clerk saves.
    db.session.expunge(kind)
    db.session.rollback()
    _someone_else_renames(kind.id, "支部党员大会")
    db.session.add(kind)
    errors = []

    def write():
        kind.name = "党员会"
        db.session.flush()

    assert save_or_conflict(write, errors) is None
    assert errors == [CONFLICT_MESSAGE]
    db.session.expire_all()
    assert db.session.get(MeetingKind, kind.id).name == "支部党员大会"


def test_a_duplicate_is_the_duplicate_message_and_writes_nothing(app):
    _kind("居民议事会")
    errors = []
    assert save_or_conflict(lambda: db.session.add(MeetingKind(name="居民议事会", sort_order=20)), errors) is None
    assert errors == [DUPLICATE_MESSAGE]
    assert len(db.session.scalars(select(MeetingKind)).all()) == 1
    errors = []
    assert save_or_conflict(lambda: _kind("联席会议"), errors, "已有同名的会议类型。").name == "联席会议"
    assert errors == []


def test_handling_a_request_that_another_clerk_just_saved_says_so(app, client, auth, fresh_demo, monkeypatch):
    """The requests inbox: the other save lands between the form's version check and ours.
    (A writing request holds SQLite's write lock, so the other save is stood in for by
    making our loaded copy one version older than the row, which is what it would be.)"""
    from sqlalchemy.orm.attributes import set_committed_value

    from webapp.requests import services
    from webapp.requests.models import ResidentRequest

    req = db.session.scalar(select(ResidentRequest).order_by(ResidentRequest.id).limit(1))
    auth.login("street_admin")
    detail = client.get(f"/requests/{req.id}").get_data(as_text=True)
    act = services.act
    before = req.chase_count

    def after_someone_else(item, *args, **kwargs):
        set_committed_value(item, "version", item.version - 1)
        return act(item, *args, **kwargs)

    monkeypatch.setattr(services, "act", after_someone_else)
    r = client.post(f"/requests/{req.id}/act/chase", data={"csrf_token": csrf_from(detail), "version": req.version,
                                                           "note": "请尽快办理。"})
    assert r.status_code == 409
    assert CONFLICT_MESSAGE in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ResidentRequest, req.id).chase_count == before
