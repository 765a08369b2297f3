"""indexes for the requests inbox at 100,000 requests (issue 11)

Revision ID: requests_0003_inbox_indexes
Revises: perf_0004_list_order_indexes
Create Date: 2026-12-02 05:20:00

- resident_request (compound_id, category_id, created_at): a compound filtered by
  category, newest first; without it the pager's count and the page walked every
  request of the compound (2,000 at 100,000) to find the few of the category;
- ix_resident_request_due gains created_at: the overdue and due-soon lists pick their
  page's ids by deadline and sort them on the index alone, without reading the rows.
"""
from alembic import op


revision = 'requests_0003_inbox_indexes'
down_revision = 'perf_0004_list_order_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_resident_request_compound_category', 'resident_request',
                    ['compound_id', 'category_id', 'created_at'])
    op.drop_index('ix_resident_request_due', table_name='resident_request')
    op.create_index('ix_resident_request_due', 'resident_request', ['street_id', 'status', 'due_at', 'created_at'])


def downgrade():
    op.drop_index('ix_resident_request_due', table_name='resident_request')
    op.create_index('ix_resident_request_due', 'resident_request', ['street_id', 'status', 'due_at'])
    op.drop_index('ix_resident_request_compound_category', table_name='resident_request')
