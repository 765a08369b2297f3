"""district: the 金牌红色物业 selection (candidates, decision, publication) and the
indexes the district's street-by-street page needs at city scale

Revision ID: district_0009_gold_selection
Revises: perf_0001_list_indexes
Create Date: 2026-12-02 01:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'district_0009_gold_selection'
down_revision = 'perf_0001_list_indexes'
branch_labels = None
depends_on = None


def _stamps():
    return [
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
    ]


def upgrade():
    op.create_table(
        'district_selection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=8), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('criteria', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('decision_note', sa.Text(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_district_selection_region_id_region')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_district_selection_decided_by_id_user')),
        sa.ForeignKeyConstraint(['published_by_id'], ['user.id'],
                                name=op.f('fk_district_selection_published_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_district_selection')),
        sa.UniqueConstraint('region_id', 'period', name='uq_district_selection_region_period'),
    )
    with op.batch_alter_table('district_selection') as batch:
        batch.create_index(batch.f('ix_district_selection_region_id'), ['region_id'], unique=False)
        batch.create_index(batch.f('ix_district_selection_status'), ['status'], unique=False)
        batch.create_index(batch.f('ix_district_selection_published_at'), ['published_at'], unique=False)
    op.create_table(
        'district_selection_candidate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('selection_id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('street_scores', sa.JSON(), nullable=True),
        sa.Column('chosen', sa.Boolean(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(['selection_id'], ['district_selection.id'],
                                name=op.f('fk_district_selection_candidate_selection_id_district_selection')),
        sa.ForeignKeyConstraint(['company_id'], ['property_company.id'],
                                name=op.f('fk_district_selection_candidate_company_id_property_company')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_district_selection_candidate')),
        sa.UniqueConstraint('selection_id', 'company_id', name='uq_district_candidate_company'),
    )
    with op.batch_alter_table('district_selection_candidate') as batch:
        batch.create_index(batch.f('ix_district_selection_candidate_selection_id'), ['selection_id'], unique=False)
        batch.create_index(batch.f('ix_district_selection_candidate_company_id'), ['company_id'], unique=False)
    # The district's 三会三公开 figures read each street's meetings in a period.
    with op.batch_alter_table('meeting') as batch:
        batch.create_index('ix_meeting_street_starts', ['street_id', 'starts_at'], unique=False)


def downgrade():
    with op.batch_alter_table('meeting') as batch:
        batch.drop_index('ix_meeting_street_starts')
    with op.batch_alter_table('district_selection_candidate') as batch:
        batch.drop_index(batch.f('ix_district_selection_candidate_company_id'))
        batch.drop_index(batch.f('ix_district_selection_candidate_selection_id'))
    op.drop_table('district_selection_candidate')
    with op.batch_alter_table('district_selection') as batch:
        batch.drop_index(batch.f('ix_district_selection_published_at'))
        batch.drop_index(batch.f('ix_district_selection_status'))
        batch.drop_index(batch.f('ix_district_selection_region_id'))
    op.drop_table('district_selection')
