"""Search index version (workers check it before reusing their vocabulary cache)

Revision ID: 6333438e4f19
Revises: a0cf80f7b933
Create Date: 2026-11-23 07:33:33.062970

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6333438e4f19'
down_revision = 'a0cf80f7b933'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_state'))
    )


def downgrade():
    op.drop_table('search_state')
