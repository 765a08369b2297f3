"""indexes for the list pages that still grew with their tables (issue 13)

Revision ID: perf_0004_list_order_indexes
Revises: perf_0003_street_list_indexes
Create Date: 2026-12-02 05:30:00

- audit_log (street_id, user_id, id): a street admin's entries from before the many-streets
  release (no street_id, by the street's users) found by user, not by walking every entry
  without a street.
"""
from alembic import op


revision = 'perf_0004_list_order_indexes'
down_revision = 'perf_0003_street_list_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_log_street_user', 'audit_log', ['street_id', 'user_id', 'id'])


def downgrade():
    op.drop_index('ix_audit_log_street_user', table_name='audit_log')
