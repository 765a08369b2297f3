"""indexes for the assessment and district pages at 10,000 compounds (issue 13)

Revision ID: perf_0005_assess
Revises: perf_0005_dash
Create Date: 2026-12-02 14:30:00

- assessment_sheet (round_id, company_id, final_score): a round's totals, its company
  ranking and the quarterly rankings (street and district) aggregate the frozen results
  per company from the index alone, in its order, without reading the sheets' rows;
- cross_appointment (street_id, start_date, end_date): the district page counts each
  street's appointments in place today from the index alone.
"""
from alembic import op


revision = 'perf_0005_assess'
down_revision = 'perf_0005_dash'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_assessment_sheet_round_company_score', 'assessment_sheet',
                    ['round_id', 'company_id', 'final_score'])
    op.create_index('ix_cross_appointment_street_term', 'cross_appointment', ['street_id', 'start_date', 'end_date'])


def downgrade():
    op.drop_index('ix_cross_appointment_street_term', table_name='cross_appointment')
    op.drop_index('ix_assessment_sheet_round_company_score', table_name='assessment_sheet')
