"""stored documents: several versions of one subject (a month closed again)

Revision ID: perf_0002_document_versions
Revises: requests_0002_score_rule
Create Date: 2026-12-02 01:40:00

A filled score sheet is final when its month closes; a month can be reopened and closed
again, and the new print is a new version beside the old one (never an overwrite), so
the unique key becomes (kind, subject_id, version).

Also: with many streets every list filters by street first, so the notice list's and the
appointments list's order indexes lead with street_id (else the planner takes the
street index and sorts the whole street's rows).
"""
from alembic import op


revision = 'perf_0002_document_versions'
down_revision = 'requests_0002_score_rule'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stored_document') as batch:
        batch.drop_constraint('uq_stored_document_kind_subject', type_='unique')
        batch.create_unique_constraint('uq_stored_document_kind_subject_version', ['kind', 'subject_id', 'version'])
    op.drop_index('ix_notice_list', table_name='notice')
    op.create_index('ix_notice_street_list', 'notice', ['street_id', 'pinned', 'updated_at', 'id'])
    op.drop_index('ix_cross_appointment_start', table_name='cross_appointment')
    op.create_index('ix_cross_appointment_street_start', 'cross_appointment', ['street_id', 'start_date', 'id'])


def downgrade():
    op.drop_index('ix_cross_appointment_street_start', table_name='cross_appointment')
    op.create_index('ix_cross_appointment_start', 'cross_appointment', ['start_date', 'id'])
    op.drop_index('ix_notice_street_list', table_name='notice')
    op.create_index('ix_notice_list', 'notice', ['pinned', 'updated_at', 'id'])
    with op.batch_alter_table('stored_document') as batch:
        batch.drop_constraint('uq_stored_document_kind_subject_version', type_='unique')
        batch.create_unique_constraint('uq_stored_document_kind_subject', ['kind', 'subject_id'])
