"""The database refuses to change the audit log: triggers on SQLite and PostgreSQL.

UPDATE of `audit_log` or `audit_anchor` is always refused, and so is DELETE, with one
exception the archive command relies on: an entry already covered by an archive anchor
(its id at most the newest anchor's `last_id`) and older than the minimum retention of
180 days may be removed. Nothing the application does can make a younger or unarchived
entry disappear.

The same statements are installed by `db.create_all()` (DDL events on the tables) and by
the migration, so tests and upgraded databases refuse alike.
"""
from sqlalchemy import event, inspect, text

from .models import AuditAnchor, AuditLog

MIN_RETENTION_DAYS = 180
REFUSED = "操作记录只能追加，不能修改或删除"

_SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
    WHEN OLD.id > COALESCE((SELECT MAX(last_id) FROM audit_anchor), 0)
      OR OLD.at >= datetime('now', '-{MIN_RETENTION_DAYS} days')
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_anchor_no_update BEFORE UPDATE ON audit_anchor
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_anchor_no_delete BEFORE DELETE ON audit_anchor
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
]
SQLITE_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete", "audit_anchor_no_update", "audit_anchor_no_delete")

_POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_log'
         AND OLD.id <= COALESCE((SELECT MAX(last_id) FROM audit_anchor), 0)
         AND OLD.at < (now() AT TIME ZONE 'UTC') - INTERVAL '{MIN_RETENTION_DAYS} days' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION '{REFUSED}（% %）', TG_OP, TG_TABLE_NAME;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE OR REPLACE TRIGGER audit_anchor_append_only BEFORE UPDATE OR DELETE ON audit_anchor
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
]


def statements(dialect):
    """The CREATE statements for `dialect` ('sqlite' or 'postgresql')."""
    return {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}.get(dialect, [])


def install_triggers(conn):
    """Create the triggers (idempotent) on an open connection."""
    for stmt in statements(conn.dialect.name):
        conn.execute(text(stmt))


def drop_triggers(conn):
    """Remove the triggers: what an attacker with database access could do, and what the
    test suite's wipe does on SQLite. The application never calls it."""
    if conn.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    elif conn.dialect.name == "postgresql":
        conn.execute(text("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"))
        conn.execute(text("DROP TRIGGER IF EXISTS audit_anchor_append_only ON audit_anchor"))


def _after_create(target, connection, **kw):
    """Install the triggers when `create_all()` creates the tables. The log's DELETE
    trigger reads audit_anchor, so they are installed once both tables exist."""
    if {AuditLog.__tablename__, AuditAnchor.__tablename__} <= set(inspect(connection).get_table_names()):
        install_triggers(connection)


event.listen(AuditLog.__table__, "after_create", _after_create)
event.listen(AuditAnchor.__table__, "after_create", _after_create)
