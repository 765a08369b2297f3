"""The Huey queue and its consumer.

Storage: Redis when REDIS_URL is set (several app servers share it), otherwise a SQLite
file under instance/ (HUEY_SQLITE overrides the path), so `make run` needs nothing else.
The Flask app is bound with `init_app` (create_app calls it); each task runs in that
app's context. Tests switch the queue to immediate mode (JOBS_IMMEDIATE)."""
import logging
import os

from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

from ..config import BASE_DIR

log = logging.getLogger(__name__)


def _make_huey():
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return RedisHuey("hongye", url=redis_url)
    path = os.environ.get("HUEY_SQLITE", str(BASE_DIR / "instance" / "huey.sqlite3"))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return SqliteHuey("hongye", filename=path)


huey = _make_huey()
_bound = {}


def init_app(app):
    """Register the worker command; set the immediate mode the tests use."""
    _bound.setdefault("app", app)
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE"))

    @app.cli.command("jobs-worker")
    def jobs_worker():
        """Run the background-job consumer (own process; `make serve` starts it)."""
        _bound["app"] = app
        workers = int(os.environ.get("JOBS_WORKERS", "2"))
        huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


def bound_app():
    """The app a task runs in: the caller's (immediate mode runs inside the request), else
    the one the consumer was started for. A fresh app context either way, so the job has
    its own database session."""
    if has_app_context():
        return current_app._get_current_object()
    return _bound["app"]


class InProcessConsumer(Consumer):
    """A consumer living in threads of the dev server (`make run`): the server keeps its
    own signal handlers (Ctrl+C stops everything)."""

    def _set_signal_handlers(self):
        pass


def start_inprocess_consumer(app, workers=1):
    """Start a consumer as daemon threads of this process; returns it (stop() ends it)."""
    _bound["app"] = app
    consumer = InProcessConsumer(huey, workers=workers, worker_type="thread", periodic=True)
    consumer.start()  # Huey's thread environment makes daemon threads
    log.info("job consumer started in-process (%s worker thread)", workers)
    return consumer


@huey.task()
def run_job(job_id):
    """Run one job (see services.run); everything it needs is in the job's row."""
    from . import services

    with bound_app().app_context():
        services.run(job_id)


@huey.periodic_task(crontab(minute="0", hour="22"))
def morning():
    """Each morning at 06:00 Beijing time (22:00 UTC): the scheduled work."""
    from . import scheduled

    with bound_app().app_context():
        scheduled.run_morning()
