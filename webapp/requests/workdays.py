"""Working days by the official calendar (调休 included), with the street's own days off,
and the deadlines they give.

The official calendar comes from the `chinese_calendar` package (holidays and the
working weekends the State Council announces each year). A year the package does not
know yet counts weekends only; `known_year()` tells the settings page to say so. The
street's own entries (`StreetDayOff`) win over both.

Deadlines: a limit in working days ends at 23:59:59 (local) of the Nth working day after
the day the request was dispatched; a limit in hours is that many hours later. The
warning point is the same count of units before the deadline.
"""
from datetime import date, datetime, time, timedelta

import chinese_calendar
from sqlalchemy import select

from ..clock import local, street_zone
from ..extensions import db

MAX_DAYS = 400  # a limit never runs past a year and a bit


def known_year(year):
    """Whether the official calendar knows `year` (its holidays and 调休)."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def official_workday(day):
    """The official answer for one day; weekends only for a year the package does not know."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def street_overrides(street_id, start, end):
    """{day: working?} of the street's own entries between start and end (inclusive)."""
    from .models import StreetDayOff

    if street_id is None:
        return {}
    rows = db.session.execute(select(StreetDayOff.day, StreetDayOff.working).where(
        StreetDayOff.street_id == street_id, StreetDayOff.day >= start, StreetDayOff.day <= end)).all()
    return {d: w for d, w in rows}


class Calendar:
    """The working days of one street, its own entries loaded once for a span of days."""

    def __init__(self, street_id=None, overrides=None):
        self.street_id = street_id
        self._overrides = overrides
        self._loaded = overrides is not None

    def is_workday(self, day):
        if not self._loaded:
            self._overrides = street_overrides(self.street_id, day - timedelta(days=7), day + timedelta(days=MAX_DAYS))
            self._loaded = True
        if day in self._overrides:
            return self._overrides[day]
        return official_workday(day)

    def add_workdays(self, day, n):
        """The Nth working day after `day` (n ≥ 1); `day` itself does not count."""
        count, d = 0, day
        for _ in range(MAX_DAYS):
            d += timedelta(days=1)
            if self.is_workday(d):
                count += 1
                if count >= n:
                    return d
        return d


def _end_of(day, zone):
    """The last second of `day` (23:59:59 local) as naive UTC."""
    from datetime import timezone

    return datetime.combine(day, time(23, 59, 59), tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)


def deadline(start_utc, limit_value, limit_unit, warn_value=0, street_id=None, calendar=None):
    """(due_at, warn_at) as naive UTC for a clock started at `start_utc` (naive UTC)."""
    if limit_unit == "hours":
        due = start_utc + timedelta(hours=max(limit_value, 1))
        warn = due - timedelta(hours=max(warn_value, 0))
        return due, max(warn, start_utc)
    cal = calendar or Calendar(street_id)
    zone = street_zone()
    start_day = local(start_utc).date()
    limit_value = max(limit_value, 1)
    due = _end_of(cal.add_workdays(start_day, limit_value), zone)
    if warn_value <= 0:
        return due, due
    if warn_value >= limit_value:
        return due, start_utc
    warn = _end_of(cal.add_workdays(start_day, limit_value - warn_value), zone)
    return due, warn
