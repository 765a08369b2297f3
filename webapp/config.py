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
    # Load the demo street on first start when the database is empty (never in production).
    LOAD_DEMO = os.environ.get("HONGYE_LOAD_DEMO", "1") in ("1", "true", "yes")
    UPGRADE_ON_START = True
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
    PASSWORD_HASH_METHOD = "scrypt"
    LOGIN_MAX_FAILURES = 5
    LOGIN_WINDOW_MINUTES = 15
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(BASE_DIR / "instance" / "uploads"))


class TestConfig(Config):
    """Settings for the test suite: a throwaway database, CSRF still on."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    LOAD_DEMO = False
    UPGRADE_ON_START = False
    # Hashing is deliberately slow in production; the suite signs in thousands of times.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
