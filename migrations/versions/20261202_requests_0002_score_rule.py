"""requests: the street's rule for the 群众诉求办理 assessment item

Revision ID: requests_0002_score_rule
Revises: dashboard_0010_recorded_counts
Create Date: 2026-12-02 01:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'requests_0002_score_rule'
down_revision = 'dashboard_0010_recorded_counts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('request_score_rule',
    sa.Column('street_id', sa.Integer(), nullable=False),
    sa.Column('on_time_weight', sa.Integer(), nullable=False),
    sa.Column('satisfaction_weight', sa.Integer(), nullable=False),
    sa.Column('per_reopen', sa.Double(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['street_id'], ['street.id'], name=op.f('fk_request_score_rule_street_id_street')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_score_rule')),
    sa.UniqueConstraint('street_id', name=op.f('uq_request_score_rule_street_id'))
    )
    with op.batch_alter_table('request_score_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_score_rule_street_id'), ['street_id'], unique=False)


def downgrade():
    with op.batch_alter_table('request_score_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_score_rule_street_id'))
    op.drop_table('request_score_rule')
