"""Deadlines in working days follow the official calendar (调休 working Saturdays
included) across 国庆 and 春节; a year the calendar does not know counts weekends only and
the settings page says so; the street's own days off count too."""
from datetime import date, datetime

from webapp.extensions import db
from webapp.requests import workdays
from webapp.requests.models import StreetDayOff


END = __import__("datetime").timedelta(minutes=59, seconds=59)


def _utc(y, m, d, h=0):
    """A local (UTC+8) wall-clock time as naive UTC."""
    return datetime(y, m, d, h) - __import__("datetime").timedelta(hours=8)


def test_national_day_skips_the_holiday_and_counts_the_working_saturday():
    cal = workdays.Calendar(overrides={})
    # Dispatched Wed 30 Sep 2026: 1–7 Oct are off; Thu 8, Fri 9 and the 调休 Saturday 10 Oct work.
    assert cal.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert cal.add_workdays(date(2026, 9, 30), 4) == date(2026, 10, 12)  # Sunday 11 Oct is off
    due, warn = workdays.deadline(_utc(2026, 9, 30, 10), 3, "workdays", 1, calendar=cal)
    assert due == _utc(2026, 10, 10, 23) + END  # the end of Sat 10 Oct, local
    assert warn == _utc(2026, 10, 9, 23) + END  # the end of the 2nd working day (Fri 9 Oct)


def test_spring_festival_counts_both_working_saturdays():
    cal = workdays.Calendar(overrides={})
    # Fri 13 Feb 2026: Sat 14 Feb works (调休), 15–23 Feb off, 24 Feb on; Sat 28 Feb works too.
    assert cal.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert cal.add_workdays(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert cal.add_workdays(date(2026, 2, 23), 5) == date(2026, 2, 28)
    due, _ = workdays.deadline(_utc(2026, 2, 13, 9), 3, "workdays", 0, calendar=cal)
    assert due == _utc(2026, 2, 25, 23) + END


def test_a_year_the_calendar_does_not_know_counts_weekends_only():
    assert workdays.known_year(2026) and not workdays.known_year(2027)
    cal = workdays.Calendar(overrides={})
    # 1 Jan 2027 is a Friday; unknown, so a working day; then Mon 4 Jan.
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert cal.add_workdays(date(2026, 12, 31), 2) == date(2027, 1, 4)


def test_hours_limits_are_clock_hours():
    due, warn = workdays.deadline(datetime(2026, 10, 1, 2), 24, "hours", 6)
    assert due == datetime(2026, 10, 2, 2) and warn == datetime(2026, 10, 1, 20)


def test_the_streets_own_day_off_and_working_day(fresh_demo):
    from rq_helpers import compound

    street = compound("珠海一区").street_id
    db.session.add_all([StreetDayOff(street_id=street, day=date(2026, 10, 8), note="街道活动日"),
                        StreetDayOff(street_id=street, day=date(2026, 10, 11), working=True, note="补班")])
    db.session.flush()
    cal = workdays.Calendar(street)
    assert cal.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 9)
    assert cal.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 11)
    db.session.rollback()


def test_the_settings_page_says_which_years_count_weekends_only(client, auth, fresh_demo, monkeypatch):
    from webapp.requests.views import settings as settings_view

    monkeypatch.setattr(settings_view, "local_today", lambda: date(2026, 12, 2))
    auth.login("street_admin")
    page = client.get("/requests/settings").get_data(as_text=True)
    assert "2027 年的法定节假日" in page and "暂按周六、周日休息计算" in page
    monkeypatch.setattr(settings_view, "local_today", lambda: date(2025, 3, 1))
    assert "暂按周六、周日休息计算" not in client.get("/requests/settings").get_data(as_text=True)
