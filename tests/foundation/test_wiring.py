"""create_app wires start-up explicitly: every session hook the data rules rely on is
installed by it, in one place."""
from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp import create_app, uploads
from webapp.audit import services as audit_services
from webapp.config import TestConfig
from webapp.meetings.models import _guard_approved
from webapp.public import cache


def test_create_app_installs_the_audit_hook_the_minutes_guard_and_the_cache_listeners(app):
    create_app(TestConfig)  # building another app is harmless (each install is idempotent)
    hooks = [(name, fn) for name, fn in audit_services._HOOKS] + [
        ("before_flush", _guard_approved), ("after_flush", cache._after_flush), ("after_commit", cache._after_commit),
        ("after_commit", uploads._keep_committed), ("after_transaction_end", uploads._drop_uncommitted)]
    for name, fn in hooks:
        assert event.contains(Session, name, fn), (name, fn.__name__)
