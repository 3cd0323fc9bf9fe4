"""ESS indicators: one imported figure per territory, indicator and year (clubess.territories.catalogue)

Revision ID: f02ea0b86b7c
Revises: 3b8d2f61c4a7
Create Date: 2026-12-01 10:37:15.051571

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f02ea0b86b7c'
down_revision = '3b8d2f61c4a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('indicator_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('demo', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_indicator_values_imported_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], name=op.f('fk_indicator_values_territory_id_territories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_values')),
    sa.UniqueConstraint('territory_id', 'indicator', 'year', name='uq_indicator_values_territory_indicator_year')
    )
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.create_index('ix_indicator_values_indicator_year', ['indicator', 'year'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_values_territory_id'), ['territory_id'], unique=False)



def downgrade():
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_values_territory_id'))
        batch_op.drop_index('ix_indicator_values_indicator_year')

    op.drop_table('indicator_values')
