"""indexes for the list pages that still grew with their tables (issue 13)

Revision ID: perf_0004_list_order_indexes
Revises: perf_0003_street_list_indexes
Create Date: 2026-12-02 05:30:00

- audit_log (street_id, user_id, id): a street admin's entries from before the many-streets
  release (no street_id, by the street's users) found by user, not by walking every entry
  without a street.
- meeting (street_id, compound_id, is_current, starts_at, id): the meetings list filtered
  by compound; with the street first, the pager's count (no ORDER BY) takes it too, not the
  street index (35 ms → 0.1 ms at 100,000 meetings).
- meeting (community_id, compound_id, starts_at, id): a compound's public board reads its
  community's community-wide meetings newest first, not every meeting of the community
  (6 ms → 0.1 ms at 100,000 meetings, when the board has fewer than ten resolutions).
- compound (street_id, name, id): the compound pickers' first options by name, without
  sorting the street's compounds (3.7 ms → 0.1 ms at 10,000).
- compound (street_id, company_id): whether a company serves the street's compounds
  (companies/access.py's EXISTS, and the served counts) is one probe of the index alone
  (the companies list's SQL: 30 ms → 1 ms at 10,000 compounds).
- person (street_id, name, id): the people list by name, read in order instead of the
  street's people sorted (51 ms → 0.1 ms at 100,000).
"""
from alembic import op


revision = 'perf_0004_list_order_indexes'
down_revision = 'perf_0003_street_list_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_log_street_user', 'audit_log', ['street_id', 'user_id', 'id'])
    op.create_index('ix_meeting_street_compound_starts', 'meeting',
                    ['street_id', 'compound_id', 'is_current', 'starts_at', 'id'])
    op.create_index('ix_meeting_community_compound_starts', 'meeting', ['community_id', 'compound_id', 'starts_at', 'id'])
    op.create_index('ix_compound_street_name', 'compound', ['street_id', 'name', 'id'])
    op.create_index('ix_person_street_name', 'person', ['street_id', 'name', 'id'])
    op.create_index('ix_compound_street_company', 'compound', ['street_id', 'company_id'])


def downgrade():
    op.drop_index('ix_compound_street_company', table_name='compound')
    op.drop_index('ix_person_street_name', table_name='person')
    op.drop_index('ix_compound_street_name', table_name='compound')
    op.drop_index('ix_meeting_community_compound_starts', table_name='meeting')
    op.drop_index('ix_meeting_street_compound_starts', table_name='meeting')
    op.drop_index('ix_audit_log_street_user', table_name='audit_log')
