"""stored documents: several versions of one subject (a month closed again)

Revision ID: perf_0002_document_versions
Revises: requests_0002_score_rule
Create Date: 2026-12-02 01:40:00

A filled score sheet is final when its month closes; a month can be reopened and closed
again, and the new print is a new version beside the old one (never an overwrite), so
the unique key becomes (kind, subject_id, version).
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


def downgrade():
    with op.batch_alter_table('stored_document') as batch:
        batch.drop_constraint('uq_stored_document_kind_subject_version', type_='unique')
        batch.create_unique_constraint('uq_stored_document_kind_subject', ['kind', 'subject_id'])
