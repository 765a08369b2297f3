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

from sqlalchemy import Integer, column, event, literal_column, select, table, text

from ..extensions import db
from .models import ResidentRequest

R = ResidentRequest
FTS = table("resident_request_fts", column("rowid", Integer))
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


def narrow(stmt, q, common=False):
    """`stmt`, a SELECT of ResidentRequest, narrowed to the search term `q` (trimmed).

    On SQLite a term of three characters or more joins the FTS5 table, so the planner
    reads the matches as the index yields them: the pager's bounded count stops at its
    cap, and a page of a rare term sorts only its few matches. For a term the pager
    found plenty of (`common`, the count reached its cap) reading every match to sort
    them by date would read thousands of rows to show 30; then the request's id is hidden
    from the planner (`+ 0`), which walks the newest-first index instead and checks each
    request against the set of matches."""
    if RECEIPT.match(q):
        return stmt.where(R.receipt_no == q.upper())
    if len(q) >= 3 and db.engine.dialect.name == "sqlite":
        phrase = '"' + q.replace('"', '""') + '"'
        match = text("resident_request_fts MATCH :phrase").bindparams(phrase=phrase)
        if common:
            return stmt.where((R.id + literal_column("0")).in_(select(FTS.c.rowid).where(match)))
        return stmt.join(FTS, FTS.c.rowid == R.id).where(match)
    return stmt.where(R.text.contains(q, autoescape=True))
