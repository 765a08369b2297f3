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
from datetime import timezone
from functools import wraps

from flask import Response, current_app, has_app_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.http import http_date, parse_date, parse_etags

from ..clock import local_now

_entries = {}
MAX_ENTRIES = 512
UNTRACKED = {"public_post", "login_attempt", "audit_log", "resident_request"}


def _stamp_path():
    """One stamp per database, so apps on other databases (tests, other checkouts) that
    share the instance folder do not invalidate each other."""
    path = current_app.config.get("_PUBLIC_STAMP_PATH")
    if path is None:
        db_key = hashlib.blake2b(current_app.config["SQLALCHEMY_DATABASE_URI"].encode(), digest_size=6).hexdigest()
        path = os.path.join(current_app.instance_path, f"public-board-{db_key}.stamp")
        current_app.config["_PUBLIC_STAMP_PATH"] = path
    return path


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
    """Serve a public GET view from the cache; the view returns (body, last_modified
    [, mimetype]) or a full Response (not cached)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        seconds = ttl()
        environ = request.environ
        # The host is part of the key: pages carry absolute URLs (QR codes).
        key = environ.get("HTTP_HOST", "") + environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")
        stamp = board_stamp() if seconds else None
        entry = _entries.get(key) if seconds else None
        if entry is not None:
            e_stamp, e_until, e_boundary, data, headers, etag, last_mod = entry
            if e_stamp == stamp and time.monotonic() < e_until and (e_boundary is None or local_now() < e_boundary):
                return _respond(data, headers, etag, last_mod)
        result = view(*args, **kwargs)
        if not isinstance(result, tuple):
            return result
        body, last_mod = result[0], result[1]
        mimetype = result[2] if len(result) > 2 else "text/html"
        data = body.encode("utf-8") if isinstance(body, str) else body
        etag = hashlib.blake2b(data, digest_size=12).hexdigest()
        if last_mod is not None:
            last_mod = last_mod.replace(microsecond=0)
        headers = [
            ("Content-Type", f"{mimetype}; charset=utf-8" if mimetype.startswith("text/") else mimetype),
            ("ETag", f'"{etag}"'),
            ("Cache-Control", "public, no-cache"),
        ]
        if last_mod is not None:
            headers.append(("Last-Modified", http_date(last_mod.replace(tzinfo=timezone.utc))))
        if seconds:
            from .board import next_boundary

            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[key] = (stamp, time.monotonic() + seconds, next_boundary(), data, headers, etag, last_mod)
        return _respond(data, headers, etag, last_mod)

    return wrapped


def _respond(data, headers, etag, last_mod):
    """The cached bytes, or 304 when the client's copy (ETag first, else date) is current.

    Flask-Compress sends a compressed body with the ETag `"<etag>:br"` (or `:gzip`), so
    that is what a browser sends back; it names the same page, so it is a match too, and
    the 304 repeats the tag the client holds."""
    if_none_match = request.headers.get("If-None-Match")
    if_modified_since = request.headers.get("If-Modified-Since")
    held = None
    if if_none_match:
        tags = parse_etags(if_none_match)
        held = etag if tags.star_tag else next(
            (tag for tag in tags.as_set() if tag == etag or tag.startswith(etag + ":")), None)
        not_modified = held is not None
    elif if_modified_since and last_mod is not None:
        since = parse_date(if_modified_since)
        not_modified = since is not None and last_mod.replace(tzinfo=timezone.utc) <= since
    else:
        not_modified = False
    if not_modified:
        kept = [h for h in headers if h[0] not in ("Content-Type", "ETag")]
        return Response(status=304, headers=kept + [("ETag", f'"{held or etag}"')])
    return Response(data, headers=headers)
