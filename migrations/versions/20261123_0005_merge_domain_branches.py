"""merge domain branches

Revision ID: 0005
Revises: 0002, 0003, 0004
Create Date: 2026-11-23 21:33:05.333263

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = ('0002', '0003', '0004')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
