"""The application's one clock: times are stored in UTC and shown in the street's local time.

- `utcnow()` is "now" for storing: naive UTC, alike on SQLite and PostgreSQL. Every
  stamp (created/updated, submitted, approved, closed, published, done, the audit log)
  comes from it.
- `local(dt)` turns such a stamp into the street's local time for people to read; the
  `local` template filter formats it ("2026年12月1日 07:30"). Pages, PDFs and exports
  use it; nothing adds eight hours by hand.
- `local_today()` / `local_now()` are "today" and "now" on the street's wall clock: the
  date a deadline is compared with, the month a form defaults to.

A few times are typed by a clerk as wall-clock times of the street and stored as typed
(naive local): a meeting's start and end, a notice's publication, expiry and withdrawal.
They are compared with `local_now()` and shown as they are, with the `d` filter.

The zone is a setting (`STREET_TIMEZONE`, default Asia/Shanghai); `street_zone()` is the
one place that looks it up, so a per-street zone later changes only that function.
"""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"


def _now():
    """The real clock (tests replace this one function to stop time)."""
    return datetime.now(timezone.utc)


def utcnow():
    """Naive UTC now: the value every stored stamp gets."""
    return _now().astimezone(timezone.utc).replace(tzinfo=None)


def street_zone(street=None):
    """The time zone of a street (today: one street, one setting for the installation)."""
    name = DEFAULT_TIMEZONE
    if has_app_context():
        name = current_app.config.get("STREET_TIMEZONE") or DEFAULT_TIMEZONE
    return ZoneInfo(name)


def local(dt, street=None):
    """A stored UTC stamp (naive or aware) as an aware datetime in the street's zone."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(street_zone(street))


def local_now(street=None):
    """The street's wall-clock now, naive (to compare with times typed as local)."""
    return local(_now(), street).replace(tzinfo=None)


def local_today(street=None):
    """Today's date on the street's wall clock (not the server's, not UTC's)."""
    return local_now(street).date()


def format_local(dt, fmt=None):
    """A UTC stamp as the street's local time: 2026年12月1日 07:30; `fmt="date"` gives the
    local date alone (2026年12月1日), any other `fmt` is a strftime pattern."""
    if dt is None:
        return ""
    if isinstance(dt, date) and not isinstance(dt, datetime):
        return f"{dt.year}年{dt.month}月{dt.day}日"
    value = local(dt)
    if fmt == "date":
        return f"{value.year}年{value.month}月{value.day}日"
    if fmt:
        return value.strftime(fmt)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


def utc_from_local(wall, street=None):
    """A naive wall-clock time of the street (as a clerk typed it) as naive UTC."""
    if wall is None:
        return None
    return wall.replace(tzinfo=street_zone(street)).astimezone(timezone.utc).replace(tzinfo=None)
