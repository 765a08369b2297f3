"""security policy: allow_self_approval (minutes approved by whoever recorded or
submitted them only when the street allows it)

Revision ID: hardening_0007_self_approval
Revises: 0006_audit_chain
Create Date: 2026-12-01 22:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'hardening_0007_self_approval'
down_revision = '0006_audit_chain'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('security_policy', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allow_self_approval', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('security_policy', schema=None) as batch_op:
        batch_op.drop_column('allow_self_approval')
