"""A small response cache for the public pages, shared by nothing but a stamp file.

Public pages are read far more often than anything changes, so each worker process
keeps rendered pages in memory. An entry is used only while
- the board stamp (a file's mtime under the instance folder) is unchanged: any commit
  that wrote an audited row touches it, in whichever worker process it happened;
- the next scheduled publication or expiry has not arrived;
- it is younger than PUBLIC_CACHE_SECONDS (for changes made outside the app).
Responses carry an ETag (hash of the body) and Last-Modified, and answer 304 to a
matching conditional request. Off in tests unless PUBLIC_CACHE_SECONDS is set.
"""
import hashlib
import os
import time
from functools import wraps

from flask import current_app, has_app_context, make_response, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..notices.models import local_now

_entries = {}
MAX_ENTRIES = 512
STAMP_NAME = "public-board.stamp"
UNTRACKED = {"public_post", "login_attempt", "audit_log", "resident_request"}


def _stamp_path():
    return os.path.join(current_app.instance_path, STAMP_NAME)


def board_stamp():
    try:
        return os.stat(_stamp_path()).st_mtime_ns
    except FileNotFoundError:
        return 0


def touch():
    """Mark every worker's cached public pages stale."""
    path = _stamp_path()
    now = time.time_ns()
    try:
        with open(path, "a"):
            pass
        # Make sure the stamp moves even when two commits share a clock tick.
        os.utime(path, ns=(now, max(now, board_stamp() + 1)))
    except OSError:
        pass
    _entries.clear()


def _after_flush(session, flush_context):
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if getattr(obj, "__tablename__", None) not in UNTRACKED:
            session.info["public_board_dirty"] = True
            return


def _after_commit(session):
    if session.info.pop("public_board_dirty", False) and has_app_context():
        touch()


def install():
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)


def ttl():
    value = current_app.config.get("PUBLIC_CACHE_SECONDS")
    if value is None:
        value = 0 if current_app.testing else 30
    return value


def cached(view):
    """Serve a public GET view from the cache; the view returns (html, last_modified)
    or a full Response (not cached)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        seconds = ttl()
        key = request.full_path
        stamp = board_stamp() if seconds else None
        entry = _entries.get(key) if seconds else None
        now_mono = time.monotonic()
        if entry is not None:
            e_stamp, e_until, e_boundary, body, mimetype, etag, last_mod = entry
            if e_stamp == stamp and now_mono < e_until and (e_boundary is None or local_now() < e_boundary):
                return _respond(body, mimetype, etag, last_mod)
        result = view(*args, **kwargs)
        if not isinstance(result, tuple):
            return result
        body, last_mod = result[0], result[1]
        mimetype = result[2] if len(result) > 2 else "text/html"
        data = body.encode("utf-8") if isinstance(body, str) else body
        etag = hashlib.blake2b(data, digest_size=12).hexdigest()
        if seconds:
            from .board import next_boundary

            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[key] = (stamp, now_mono + seconds, next_boundary(), data, mimetype, etag, last_mod)
        return _respond(data, mimetype, etag, last_mod)

    return wrapped


def _respond(data, mimetype, etag, last_mod):
    response = make_response(data)
    response.mimetype = mimetype
    response.set_etag(etag)
    if last_mod is not None:
        response.last_modified = last_mod
    response.headers["Cache-Control"] = "public, no-cache"
    return response.make_conditional(request)
