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


def test_the_suite_leaves_no_files_in_the_checkouts_instance_folder(app):
    """The board's cache stamps and the job queue's SQLite file live in the run's temporary
    folder; a test run used to leave a public-board-*.stamp per database in instance/."""
    import os

    checkout_instance = os.path.join(os.path.dirname(os.path.dirname(cache.__file__)), "..", "instance")
    checkout_instance = os.path.realpath(checkout_instance)
    cache.touch()
    stamp = os.path.realpath(cache._stamp_path())
    assert os.path.exists(stamp)
    for path in (os.path.realpath(app.instance_path), stamp, os.path.realpath(os.environ["HUEY_SQLITE"])):
        assert not path.startswith(checkout_instance + os.sep), path
