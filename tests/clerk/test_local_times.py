"""Times are stored in UTC and shown in the street's local time (Asia/Shanghai by
default). Everything here happens at 23:30 UTC on 30 November, which is 07:30 on
1 December in the street: a page that prints UTC as if local shows the wrong day."""
import io
from datetime import date, datetime, timezone

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from webapp import clock
from webapp.extensions import db

LATE = datetime(2026, 11, 30, 23, 30)  # naive UTC, as stored
SHOWN = "2026年12月1日 07:30"


@pytest.fixture
def late_clock(monkeypatch):
    """Stop the clock at 2026-11-30 23:30 UTC."""
    monkeypatch.setattr(clock, "_now", lambda: LATE.replace(tzinfo=timezone.utc))


def test_the_clock_stores_utc_and_shows_local(late_clock):
    assert clock.utcnow() == LATE
    assert clock.local(LATE).strftime("%Y-%m-%d %H:%M") == "2026-12-01 07:30"
    assert clock.local_today() == date(2026, 12, 1)
    assert clock.local_now() == datetime(2026, 12, 1, 7, 30)
    assert clock.format_local(LATE) == SHOWN
    assert clock.utc_from_local(datetime(2026, 12, 1, 7, 30)) == LATE


def test_the_zone_is_a_setting(app, late_clock):
    app.config["STREET_TIMEZONE"] = "Asia/Urumqi"  # UTC+6
    try:
        assert clock.format_local(LATE) == "2026年12月1日 05:30"
    finally:
        app.config["STREET_TIMEZONE"] = "Asia/Shanghai"


def test_stamps_written_at_2330_utc_show_local_time_everywhere(client, auth, fresh_demo, late_clock):
    from webapp.assessments.models import AssessmentRound, QuarterRanking
    from webapp.meetings.models import FollowUpTask, Meeting
    from webapp.requests.models import ResidentRequest

    from webapp.auth.models import User
    from webapp.meetings import services as meetings

    from webapp.compounds.models import Street

    # Everything in 隐珠街道, the street the street admin reads.
    yinzhu = db.session.scalar(select(Street.id).where(Street.name == "隐珠街道"))
    meeting = db.session.scalars(select(Meeting).where(Meeting.status == "submitted", Meeting.street_id == yinzhu)).first()
    meetings.approve(meeting, user=db.session.scalar(select(User).where(User.username == "street_admin")))
    task = db.session.scalars(select(FollowUpTask).join(Meeting, Meeting.id == FollowUpTask.meeting_id)
                              .where(FollowUpTask.state == "done", Meeting.street_id == yinzhu)).first()
    task.done_at = LATE
    rnd = db.session.scalars(select(AssessmentRound).where(AssessmentRound.closed_at.is_not(None),
                                                           AssessmentRound.street_id == yinzhu)).first()
    rnd.closed_at = LATE
    ranking = db.session.scalars(select(QuarterRanking).where(QuarterRanking.published_at.is_not(None),
                                                              QuarterRanking.street_id == yinzhu)).first()
    ranking.published_at = LATE
    opinion = db.session.scalars(select(ResidentRequest).where(ResidentRequest.street_id == yinzhu)).first()
    opinion.created_at = LATE
    db.session.commit()
    slug = opinion.community.slug

    auth.login()
    pages = {
        "minutes page": client.get(f"/meetings/{meeting.id}"),
        "task page": client.get(f"/meetings/{task.meeting_id}"),
        "round page": client.get(f"/assessments/rounds/{rnd.id}"),
        "ranking page": client.get(f"/assessments/ranking?quarter={ranking.quarter}"),
        "public board": client.get(f"/public/yinzhu/{slug}/"),
        "request list": client.get("/requests/"),
        "request page": client.get(f"/requests/{opinion.id}"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.get_data(as_text=True)
        assert SHOWN in html, name
        assert "2026年11月30日 23:30" not in html, name

    pdf = client.get(f"/meetings/{meeting.id}.pdf")
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "2026年12月1日07:30" in text and "2026年11月30日23:30" not in text

    # the audit log: the rows the changes above wrote (at 23:30 UTC) read as 07:30 local
    log = client.get("/audit/").get_data(as_text=True)
    assert "2026-12-01 07:30:00" in log and "2026-11-30 23:30" not in log
    assert "时间（UTC）" not in log


def test_today_is_the_streets_date(client, auth, fresh_demo, late_clock):
    """At 23:30 UTC it is already 1 December in the street: deadlines and defaults use it."""
    auth.login()
    gaps = client.get("/appointments/gaps").get_data(as_text=True)
    assert "截至 2026年12月1日" in gaps
    export = client.get("/people/export.xlsx")
    assert "2026-12-01" in export.headers["Content-Disposition"]
