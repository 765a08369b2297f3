"""Figures kept a short while per worker and dropped on any write: the staff dashboard
(per place and day), the quarterly ranking (per street, quarter and whether interim), the
district pages (per district and period) and the district ranking (per district and
quarter).

Each figure is one SQL aggregate, but an aggregate still reads every row it counts: at
100,000 appointments, tasks, requests and meetings the staff page spends ~0.4 s in SQL
(issue 13), however well indexed, and a ranking combines every company's sheets of the
quarter. The figures change only when something is written, so each worker process
keeps them under their key and uses them while
- the newest audit entry of a write is the same one: every audited write appends an
  entry in the same transaction, in whichever worker or command it happened (a few steps
  down the audit log's primary key: the check costs the same at any size). Entries that
  change nothing the figures count (sign-ins, views, exports, revealed phones: `READS`)
  are stepped over, else every sign-in anywhere would drop every place's figures. The
  stamp is read before the figures are computed, so a write committed meanwhile makes
  the next page compute them again;
- they are younger than FIGURES_CACHE_SECONDS, which bounds what only the clock
  changes (a request falling overdue) and writes made outside the app (raw SQL).
Off (0) in the tests' configuration: they write and read figures in the same second.
"""
import time

from flask import current_app
from sqlalchemy import select

from .audit.models import AuditLog
from .extensions import db

MAX_ENTRIES = 256
_entries = {}


def seconds():
    """How long figures are kept (0: not at all)."""
    return float(current_app.config.get("FIGURES_CACHE_SECONDS") or 0)


# Audited actions that write none of what the kept figures count.
READS = ("login", "login_failed", "logout", "lockout", "unlock", "session_end", "password_change", "password_reset",
         "totp_enrol", "totp_reset", "view", "unmask", "export", "start_job")


def _stamp():
    """The id of the newest audit entry of a write (0 in an empty log)."""
    return db.session.scalar(select(AuditLog.id).where(AuditLog.action.not_in(READS))
                             .order_by(AuditLog.id.desc()).limit(1)) or 0


def kept(key, build):
    """`build()` for `key` (a tuple naming the page and everything its figures depend on:
    the place or streets the user sees, the period, the day), or what it returned last
    time while no write has happened since and it is younger than `seconds()`. A caller
    must not change what it gets: the next request gets the same objects."""
    ttl = seconds()
    if not ttl:
        return build()
    key = (current_app.config["SQLALCHEMY_DATABASE_URI"], *key)
    stamp = _stamp()
    entry = _entries.get(key)
    if entry is not None and entry[0] == stamp and time.monotonic() < entry[1]:
        return entry[2]
    value = build()
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[key] = (stamp, time.monotonic() + ttl, value)
    return value


def clear():
    _entries.clear()
