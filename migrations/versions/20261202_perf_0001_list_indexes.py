"""indexes for lists that stay flat as the tables grow (issue 13)

Revision ID: perf_0001_list_indexes
Revises: streets_0008_many_streets
Create Date: 2026-12-02 01:10:00

- compound.name: pickers and lists order compounds by name and stop at a LIMIT;
- notice (category, status, pinned, publish_at, id) and (status, pinned, publish_at, id): the public
  board's newest live notices per category and the archive, read along the index;
- notice.updated_at, notice.expires_at: the board's Last-Modified as index-end MAXes;
- meeting_task (state, due_date, owner, id): the task list's order;
- cross_appointment (start_date, id): the appointments list, newest first, paged;
- notice (pinned, updated_at, id): the staff's notice list order;
- meeting (compound_id, is_current, starts_at, id): the meetings list filtered by compound.
"""
from alembic import op


revision = 'perf_0001_list_indexes'
down_revision = 'streets_0008_many_streets'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_compound_name", "compound", ["name"]),
    ("ix_notice_board", "notice", ["category", "status", "pinned", "publish_at", "id"]),
    ("ix_notice_record", "notice", ["status", "pinned", "publish_at", "id"]),
    ("ix_notice_updated_at", "notice", ["updated_at"]),
    ("ix_notice_expires_at", "notice", ["expires_at"]),
    ("ix_meeting_task_state_due", "meeting_task", ["state", "due_date", "owner", "id"]),
    ("ix_cross_appointment_start", "cross_appointment", ["start_date", "id"]),
    ("ix_notice_list", "notice", ["pinned", "updated_at", "id"]),
    ("ix_meeting_compound_starts", "meeting", ["compound_id", "is_current", "starts_at", "id"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
