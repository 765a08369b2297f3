"""Every search box takes `%` and `_` as the characters typed (webapp/search.matches):
before, "%" listed every person, notice and meeting, and "_" matched any character."""
from sqlalchemy import select

from webapp.compounds.models import Community
from webapp.extensions import db
from webapp.meetings.models import FollowUpTask, Meeting
from webapp.notices.models import Notice
from webapp.people.models import Person


def _text(client, url, q):
    r = client.get(url, query_string={"q": q})
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_percent_and_underscore_match_themselves(client, auth, fresh_demo):
    community = db.session.scalar(select(Community).where(Community.slug == "shuangzhu"))
    db.session.add(Person(name="王5%_芳", community=community))
    db.session.commit()
    # Records of 隐珠街道, the street admin's street.
    someone = db.session.scalar(select(Person.name).where(Person.name != "王5%_芳",
                                                          Person.street_id == community.street_id).limit(1))
    meeting = db.session.scalar(select(Meeting.title).where(Meeting.is_current.is_(True),
                                                            Meeting.street_id == community.street_id).limit(1))
    notice = db.session.scalar(select(Notice).where(Notice.live(), Notice.community_id == community.id).limit(1))
    auth.login("street_admin")
    for q in ("%", "_", "5%_"):
        people = _text(client, "/people/", q)
        assert "王5%_芳" in people and someone not in people
    assert "王5%_芳" not in _text(client, "/people/", "5_%")  # "_" is not "any character"
    assert meeting not in _text(client, "/meetings/", "%") and meeting in _text(client, "/meetings/", meeting)
    task = db.session.scalar(select(FollowUpTask).join(Meeting, Meeting.id == FollowUpTask.meeting_id)
                             .where(Meeting.street_id == community.street_id).limit(1))
    owners = client.get("/meetings/tasks", query_string={"owner": "%", "state": "all"}).get_data(as_text=True)
    assert task.what[:20] not in owners
    assert task.what[:20] in client.get("/meetings/tasks", query_string={"owner": task.owner, "state": "all"}).get_data(as_text=True)
    assert notice.title not in _text(client, "/notices/", "%") and notice.title in _text(client, "/notices/", notice.title)
    auth.logout()
    board = "/public/yinzhu/shuangzhu/archive"
    assert notice.title not in _text(client, board, "%") and notice.title in _text(client, board, notice.title[:20])
