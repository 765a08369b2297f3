"""The inbox's Chinese text search (`?q=`), by an index built for substrings.

Chinese has no spaces between words, so a word such as 漏水 is a substring of the text.
- SQLite: an FTS5 table with the trigram tokenizer (`resident_request_fts`, external
  content kept in step by triggers) answers terms of three characters or more.
- PostgreSQL: a pg_trgm GIN index on the text lets `LIKE '%term%'` use it for terms of
  three characters or more.
- One- and two-character terms (漏水) fall back to LIKE; the inbox still stays bounded
  because the page walks the created_at index and the pager counts at most a cap.
A receipt number (YJ…) is looked up exactly.
"""
import re

from sqlalchemy import Integer, column, event, literal_column, text

from ..extensions import db
from .models import ResidentRequest

R = ResidentRequest
RECEIPT = re.compile(r"^YJ\d{8}-[0-9A-Z]{3,4}$", re.IGNORECASE)

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS resident_request_fts USING fts5("
    "text, content='resident_request', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS resident_request_fts_ai AFTER INSERT ON resident_request BEGIN "
    "INSERT INTO resident_request_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS resident_request_fts_ad AFTER DELETE ON resident_request BEGIN "
    "INSERT INTO resident_request_fts(resident_request_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS resident_request_fts_au AFTER UPDATE OF text ON resident_request BEGIN "
    "INSERT INTO resident_request_fts(resident_request_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO resident_request_fts(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS resident_request_fts_au", "DROP TRIGGER IF EXISTS resident_request_fts_ad",
               "DROP TRIGGER IF EXISTS resident_request_fts_ai", "DROP TABLE IF EXISTS resident_request_fts"]
POSTGRES_DDL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_resident_request_text_trgm ON resident_request USING gin (text gin_trgm_ops)",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS ix_resident_request_text_trgm"]


def is_search_object(object_, name, type_, reflected, compare_to):
    """Alembic's include_object: the search index lives outside the models (FTS5 tables,
    the pg_trgm index), so autogenerate and the migration check leave it alone."""
    return not (name or "").startswith(("resident_request_fts", "ix_resident_request_text_trgm"))


def install(connection):
    """Create the search index for the connection's database (migration and create_all)."""
    statements = SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRES_DDL
    for statement in statements:
        connection.execute(text(statement))


def uninstall(connection):
    statements = SQLITE_DROP if connection.dialect.name == "sqlite" else POSTGRES_DROP
    for statement in statements:
        connection.execute(text(statement))


@event.listens_for(ResidentRequest.__table__, "after_create")
def _after_create(target, connection, **kw):
    install(connection)


@event.listens_for(ResidentRequest.__table__, "before_drop")
def _before_drop(target, connection, **kw):
    uninstall(connection)


def condition(q, common=False):
    """SQL condition on ResidentRequest for the search term `q` (already trimmed).

    On SQLite the planner drives a search by the index's matches: it reads every matching
    request and sorts them all, which is right for a rare term and slow for a common one
    (8,000 rows read and sorted to show 30). With `common` (the pager's bounded count
    reached its cap, so matches are plenty) the rowid is hidden from the planner (`+ 0`),
    so it walks the newest-first index and only probes the set of matches instead."""
    if RECEIPT.match(q):
        return R.receipt_no == q.upper()
    if len(q) >= 3 and db.engine.dialect.name == "sqlite":
        phrase = '"' + q.replace('"', '""') + '"'
        key = R.id + literal_column("0") if common else R.id
        return key.in_(text("SELECT rowid FROM resident_request_fts WHERE resident_request_fts MATCH :phrase")
                       .bindparams(phrase=phrase).columns(column("rowid", Integer)))
    return R.text.contains(q, autoescape=True)
