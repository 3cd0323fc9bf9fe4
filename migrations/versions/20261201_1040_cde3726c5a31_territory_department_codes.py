"""Territories: every département each is found under ("92 95" for an EPT spanning two), for display

Written by `flask territories load` (clubess.members.hierarchy.refresh_links): run it after upgrading.

Revision ID: cde3726c5a31
Revises: f02ea0b86b7c
Create Date: 2026-12-01 10:40:56.571124

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cde3726c5a31'
down_revision = 'f02ea0b86b7c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('territories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_codes', sa.String(length=40), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('territories', schema=None) as batch_op:
        batch_op.drop_column('department_codes')

