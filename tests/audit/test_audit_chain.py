"""The log is append-only (the database refuses UPDATE and DELETE), hash-chained
(`audit-verify` names the first broken link), and archived — never silently deleted."""
import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from webapp.audit import chain, schema
from webapp.audit.models import AuditAnchor, AuditLog
from webapp.audit.services import record
from webapp.extensions import db
from webapp.models_base import utcnow


def _entry(n, days_ago=0):
    return dict(at=utcnow() - timedelta(days=days_ago), user_id=None, username="system", role="", address="",
                action="import", entity="compound", entity_id=n, label=f"小区{n}", changes={"n": [None, n]},
                note=f"第{n}条")


def _write(n, days_ago=0):
    with db.engine.begin() as conn:
        chain.append(conn, [_entry(i, days_ago) for i in range(n)])


def _count():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AuditLog))


def _tamper(sql):
    """What an attacker with database access does: drop the triggers, change, restore."""
    db.session.remove()  # PostgreSQL: DROP TRIGGER waits for every open transaction on the table
    with db.engine.begin() as conn:
        schema.drop_triggers(conn)
        conn.execute(text(sql))
        schema.install_triggers(conn)


@pytest.mark.parametrize("sql", ["UPDATE audit_log SET note = 'x'", "DELETE FROM audit_log",
                                 "UPDATE audit_anchor SET count = 0", "DELETE FROM audit_anchor"])
def test_the_database_refuses_to_change_the_log(sql):
    _write(3, days_ago=400)
    with db.engine.begin() as conn:  # even an anchor covering the rows does not open a recent row
        conn.execute(AuditAnchor.__table__.insert().values(at=utcnow(), first_id=1, last_id=4, last_hash="x" * 64,
                                                           count=4, before=utcnow(), filename="f", file_sha256="0"))
    _write(1)
    with pytest.raises(DatabaseError) as err:
        with db.engine.begin() as conn:
            conn.execute(text(sql + (" WHERE id = 4" if "audit_log" in sql and "DELETE" in sql else "")))
    assert "只能追加" in str(err.value)
    assert _count() == 4


def test_only_archived_old_rows_may_be_deleted():
    _write(2, days_ago=400)
    with pytest.raises(DatabaseError):  # old, but not archived
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_log WHERE id = 1"))
    with db.engine.begin() as conn:
        conn.execute(AuditAnchor.__table__.insert().values(at=utcnow(), first_id=1, last_id=1, last_hash="x" * 64,
                                                           count=1, before=utcnow(), filename="f", file_sha256="0"))
        conn.execute(text("DELETE FROM audit_log WHERE id = 1"))
    assert _count() == 1


def test_verify_reports_complete_then_names_a_tampered_row(runner):
    _write(5)
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0 and "完整" in result.output and "5 条" in result.output
    _tamper("UPDATE audit_log SET note = '改过的说明' WHERE id = 3")
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1
    assert "第 3 条的内容与其哈希不符" in result.output


def test_verify_finds_a_deleted_row_and_a_truncated_tail(runner):
    _write(5)
    _tamper("DELETE FROM audit_log WHERE id = 2")
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1 and "第 3 条与前一条（1）的链接断开" in result.output
    _tamper("DELETE FROM audit_log WHERE id >= 2")
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1 and "最新的第 5 条记录已不在日志中" in result.output


def test_a_rehashed_forgery_still_breaks_the_next_link(runner):
    """Changing a row and recomputing its own hash leaves the next row pointing at the old one."""
    _write(3)
    row = dict(db.session.execute(select(AuditLog.__table__).where(AuditLog.id == 2)).mappings().one())
    entry = chain.row_entry(row)
    entry["note"] = "伪造"
    forged = chain.digest(entry)
    _tamper(f"UPDATE audit_log SET note = '伪造', hash = '{forged}' WHERE id = 2")
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1 and "第 3 条与前一条（2）的链接断开" in result.output


def test_writes_through_the_session_chain_on_commit(factory):
    factory.community("链社区")
    record(db.session, "publish", note="一")
    db.session.commit()
    rows = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert rows[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))
    assert chain.verify(db.session) == len(rows)


def test_two_writers_never_fork_the_chain(app):
    """Two threads commit audited writes at once; every entry chains onto the one before."""
    from webapp.compounds.models import Community, Street

    street = Street(name="并发街道")
    db.session.add(street)
    db.session.commit()
    street_id = street.id
    errors = []

    def writer(n):
        try:
            with app.app_context():
                for i in range(15):
                    db.session.add(Community(name=f"并发社区{n}-{i}", slug=f"cc{n}x{i}", street_id=street_id))
                    db.session.commit()
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.rollback()  # end this test's own read snapshot
    assert chain.verify(db.session) == 31
    hashes = db.session.scalars(select(AuditLog.prev_hash)).all()
    assert len(hashes) == len(set(hashes))  # no entry is the predecessor of two


def test_archive_moves_old_entries_to_a_verifiable_file_then_removes_them(app, runner, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_ARCHIVE_DIR", str(tmp_path))
    _write(4, days_ago=200)
    _write(2, days_ago=10)
    result = runner.invoke(args=["audit-archive"])
    assert result.exit_code == 0, result.output
    assert "已归档 4 条" in result.output
    (path,) = tmp_path.glob("audit-*.jsonl")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == [1, 2, 3, 4] and lines[0]["prev_hash"] == chain.GENESIS
    assert all(x["hash"] for x in lines)
    db.session.expire_all()
    online = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [r.id for r in online[:2]] == [5, 6] and online[0].prev_hash == lines[-1]["hash"]
    assert online[-1].action == "archive" and path.name in online[-1].note  # the archive is itself logged
    anchor = db.session.scalar(select(AuditAnchor))
    assert (anchor.first_id, anchor.last_id, anchor.count, anchor.filename) == (1, 4, 4, path.name)

    # The online chain verifies from the anchor, and together with the file from the start.
    assert runner.invoke(args=["audit-verify"]).exit_code == 0
    result = runner.invoke(args=["audit-verify", str(path)])
    assert result.exit_code == 0 and "已核对 7 条" in result.output
    # A changed archive file is found.
    lines[1]["note"] = "改过"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    result = runner.invoke(args=["audit-verify", str(path)])
    assert result.exit_code == 1 and "第 2 条的内容与其哈希不符" in result.output

    # Nothing is old enough now: the next run says so and removes nothing.
    result = runner.invoke(args=["audit-archive"])
    assert result.exit_code == 0 and "无需归档" in result.output
    assert _count() == 3


def test_archive_refuses_a_retention_below_180_days_and_a_broken_chain(app, runner, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_ARCHIVE_DIR", str(tmp_path))
    _write(3, days_ago=300)
    result = runner.invoke(args=["audit-archive", "--days", "30"])
    assert result.exit_code != 0 and "不能少于 180 天" in result.output
    _tamper("UPDATE audit_log SET label = '改' WHERE id = 2")
    result = runner.invoke(args=["audit-archive"])
    assert result.exit_code != 0 and "未归档" in result.output
    assert _count() == 3 and list(tmp_path.glob("*.jsonl")) == []


def test_an_entry_written_by_a_reading_request_survives_a_concurrent_commit(app, factory):
    """A GET (deferred transaction on SQLite) that has read, then logs an export, while
    another writer committed in between: the entry is still written, the chain intact."""
    from webapp.audit.services import record_export

    factory.community("读取社区")
    with app.test_request_context("/people/export.xlsx"):
        db.session.execute(select(func.count()).select_from(AuditLog)).scalar()  # the read snapshot
        _write(1)  # someone else commits meanwhile
        record_export("人员名单", {}, 3, personal=("电话",))
    db.session.rollback()
    assert db.session.scalars(select(AuditLog.action).order_by(AuditLog.id.desc())).first() == "export"
    assert chain.verify(db.session) == _count()
