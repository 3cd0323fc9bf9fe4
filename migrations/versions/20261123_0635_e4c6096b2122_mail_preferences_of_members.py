"""Mail preferences of members

Revision ID: e4c6096b2122
Revises: 6c65767161a3
Create Date: 2026-11-23 06:35:29.174562

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4c6096b2122'
down_revision = '6c65767161a3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wants_invitations', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('wants_news', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('wants_news')
        batch_op.drop_column('wants_invitations')

