"""indexes for the assessment round and ranking pages at 10,000 compounds (issue 13)

Revision ID: perf_0005_assess
Revises: requests_0003_inbox_indexes
Create Date: 2026-12-02 14:30:00

- assessment_sheet (round_id, company_id, final_score): a round's totals, its company
  ranking and the quarterly rankings (street and district) aggregate the frozen results
  per company from the index alone, in its order, without reading the sheets' rows.
"""
from alembic import op


revision = 'perf_0005_assess'
down_revision = 'requests_0003_inbox_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_assessment_sheet_round_company_score', 'assessment_sheet',
                    ['round_id', 'company_id', 'final_score'])


def downgrade():
    op.drop_index('ix_assessment_sheet_round_company_score', table_name='assessment_sheet')
