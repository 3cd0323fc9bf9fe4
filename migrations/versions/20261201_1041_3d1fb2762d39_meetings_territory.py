"""The territory a meeting is held in or is about (« Territoire concerné »), for the territory pages (issue 17)

Revision ID: 3d1fb2762d39
Revises: eb2b371bcb76
Create Date: 2026-12-01 10:41:55.847948

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3d1fb2762d39'
down_revision = 'eb2b371bcb76'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('territory_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_meetings_territory_id'), ['territory_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_meetings_territory_id_territories'), 'territories', ['territory_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meetings_territory_id_territories'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meetings_territory_id'))
        batch_op.drop_column('territory_id')
