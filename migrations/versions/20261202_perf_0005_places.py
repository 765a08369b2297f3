"""indexes for the cross-appointment gaps and the compliance page at 10,000 compounds (issue 13)

Revision ID: perf_0005_places
Revises: perf_0005_assess
Create Date: 2026-12-02 14:40:00

- cross_appointment (company_id, street_id, start_date, community_id, compound_id,
  end_date): the gaps page and the structure page's summary ask, for each compound and
  company of the user's place, whether its company has an active appointment there; the
  check walked every appointment of the street (ix_cross_appointment_street_start) for
  each compound, 1.1 s at 10,000 compounds and 100,000 appointments. Now one look-up in
  this index per compound, reading no table row;
- ix_compound_street_company gains community_id: the same check walks the street's served
  compounds on that index alone (a third less time than fetching each compound's row);
- compound (street_id, community_id, name, id): the compliance page's page of a street's
  compounds, by community then name, read in index order (it sorted every compound).
"""
from alembic import op


revision = 'perf_0005_places'
down_revision = 'perf_0005_assess'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_cross_appointment_company_street_start', 'cross_appointment',
                    ['company_id', 'street_id', 'start_date', 'community_id', 'compound_id', 'end_date'])
    op.drop_index('ix_compound_street_company', table_name='compound')
    op.create_index('ix_compound_street_company', 'compound', ['street_id', 'company_id', 'community_id'])
    op.create_index('ix_compound_street_community_name', 'compound', ['street_id', 'community_id', 'name', 'id'])


def downgrade():
    op.drop_index('ix_compound_street_community_name', table_name='compound')
    op.drop_index('ix_compound_street_company', table_name='compound')
    op.create_index('ix_compound_street_company', 'compound', ['street_id', 'company_id'])
    op.drop_index('ix_cross_appointment_company_street_start', table_name='cross_appointment')
