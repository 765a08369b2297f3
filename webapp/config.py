"""Configuration read from the environment (microblog style)."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-only-not-secret"


class Config:
    """Settings for development and production; every value may come from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'hongye.sqlite3'}"
    )
    PRODUCTION = os.environ.get("HONGYE_PRODUCTION", "") in ("1", "true", "yes")
    # `demo-data --if-empty` (a start-up step) loads the demo street into an empty database
    # unless this is off (never in production).
    LOAD_DEMO = os.environ.get("HONGYE_LOAD_DEMO", "1") in ("1", "true", "yes")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a clerk may keep a form open all afternoon
    WTF_I18N_ENABLED = False
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # 10 MB: the largest upload anywhere
    XLSX_MAX_ROWS = 5000  # data rows in one import
    # The work one import may do, fixed before parsing: rows read, empty ones included
    # (default 2 × XLSX_MAX_ROWS + the header), and seconds.
    XLSX_MAX_SHEET_ROWS = None
    XLSX_MAX_SECONDS = 5
    # Argon2id (argon2-cffi's defaults, RFC 9106's low-memory choice: 64 MiB, 3 passes).
    ARGON2_PARAMETERS = dict(time_cost=3, memory_cost=65536, parallelism=4)
    # Flask-Limiter's storage: memory for one process; redis://host:6379/N shares the
    # sign-in counters and lockouts between several app servers.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "hongye")
    RATELIMIT_HEADERS_ENABLED = False
    # The public receipt lookup, per address (a receipt has ~920,000 possible codes a day).
    RECEIPT_LOOKUP_LIMIT = os.environ.get("RECEIPT_LOOKUP_LIMIT", "20 per 10 minutes")
    # Production sets the session cookie Secure; a plain-HTTP intranet says so explicitly.
    PLAIN_HTTP = os.environ.get("HONGYE_PLAIN_HTTP", "") in ("1", "true", "yes")
    # The address printed in QR codes and on paper. Without it the request's Host is used,
    # so production needs it or TRUSTED_HOSTS (Flask answers 400 to any other Host).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or None
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("HONGYE_TRUSTED_HOSTS", "").split(",") if h.strip()] or None
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(BASE_DIR / "instance" / "uploads"))
    # The street's time zone: stored times are UTC, pages show this zone (see clock.py).
    STREET_TIMEZONE = os.environ.get("STREET_TIMEZONE", "Asia/Shanghai")
    # Background jobs' result files (kept 7 days); the queue itself is in jobs/queue.py.
    JOB_DIR = os.environ.get("JOB_DIR", str(BASE_DIR / "instance" / "jobs"))
    JOBS_IMMEDIATE = False
    # Behind nginx: trust one proxy's X-Forwarded-For/-Proto/-Host (webapp/observability.py).
    PROXY_FIX = os.environ.get("PROXY_FIX", "") in ("1", "true", "yes")
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    # Final printed documents (approved minutes …), kept for ever; see webapp/documents/.
    DOCUMENT_DIR = os.environ.get("DOCUMENT_DIR", str(BASE_DIR / "instance" / "documents"))
    # The audit log keeps entries online this long (at least 180 days, 等保2.0), then
    # `flask audit-archive` moves older ones to files here.
    AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "180"))
    AUDIT_ARCHIVE_DIR = os.environ.get("AUDIT_ARCHIVE_DIR", str(BASE_DIR / "instance" / "audit-archive"))
    # Reverse proxies in front of the app whose X-Forwarded-For is believed (0: none, the
    # client address is the connection's).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Flask-Compress: brotli where the browser takes it (WeChat's does), else gzip; static
    # files (streamed) brotli or deflate. Pages under 500 bytes go as they are.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "deflate"]
    # Each worker keeps the security policy this long before reading it again (every
    # signed-in request needs it); the worker that saves a change drops its copy at once.
    SECURITY_POLICY_CACHE_SECONDS = float(os.environ.get("SECURITY_POLICY_CACHE_SECONDS", "5"))
    # Each worker keeps the dashboard's, the rankings' and the district pages' figures this
    # long at most, and only until the next audited write anywhere (`figures_cache`).
    FIGURES_CACHE_SECONDS = float(os.environ.get("FIGURES_CACHE_SECONDS", "60"))


class TestConfig(Config):
    """Settings for the test suite: a throwaway database, CSRF still on."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    LOAD_DEMO = False
    # Jobs run inside the request that starts them (tests/production/test_jobs.py also
    # runs a real consumer once).
    JOBS_IMMEDIATE = True
    JOB_DIR = os.path.join(os.environ.get("UPLOAD_DIR", "/tmp/hongye-test-uploads"), "..", "jobs")
    # The instance folder (the public board's cache stamps) beside the test's uploads, not
    # in the checkout's instance/.
    INSTANCE_PATH = os.path.abspath(os.path.join(os.environ.get("UPLOAD_DIR", "/tmp/hongye-test-uploads"), "..", "instance"))
    DOCUMENT_DIR = os.path.join(os.environ.get("UPLOAD_DIR", "/tmp/hongye-test-uploads"), "..", "documents")
    # Hashing is deliberately slow in production; the suite signs in thousands of times.
    ARGON2_PARAMETERS = dict(time_cost=1, memory_cost=64, parallelism=1)
    RATELIMIT_STORAGE_URI = "memory://"
    SECURITY_POLICY_CACHE_SECONDS = 0  # tests change the policy row directly
    FIGURES_CACHE_SECONDS = 0  # tests write and read the figures in the same second
