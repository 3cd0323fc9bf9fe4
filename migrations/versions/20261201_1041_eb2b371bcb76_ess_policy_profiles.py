"""ESS policy profiles: one row per member collectivity and year, kept by its référent (clubess.territories.policy_models)

Revision ID: eb2b371bcb76
Revises: cde3726c5a31
Create Date: 2026-12-01 10:41:50.171420

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'eb2b371bcb76'
down_revision = 'cde3726c5a31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('policy_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collectivity_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('elu_id', sa.Integer(), nullable=True),
    sa.Column('elu_name', sa.String(length=200), nullable=False),
    sa.Column('has_budget_line', sa.Boolean(), nullable=False),
    sa.Column('budget_amount', sa.Integer(), nullable=True),
    sa.Column('spaser_year', sa.Integer(), nullable=True),
    sa.Column('social_clause_share', sa.Integer(), nullable=True),
    sa.Column('has_reserved_contracts', sa.Boolean(), nullable=False),
    sa.Column('supports_ptce', sa.Boolean(), nullable=False),
    sa.Column('ptce_name', sa.String(length=200), nullable=False),
    sa.Column('has_ess_in_crte', sa.Boolean(), nullable=False),
    sa.Column('tiers_lieux_count', sa.Integer(), nullable=True),
    sa.Column('strategy_year', sa.Integer(), nullable=True),
    sa.Column('levers', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('demo', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint('social_clause_share IS NULL OR social_clause_share BETWEEN 0 AND 100', name=op.f('ck_policy_profiles_share_percent')),
    sa.ForeignKeyConstraint(['collectivity_id'], ['collectivities.id'], name=op.f('fk_policy_profiles_collectivity_id_collectivities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['elu_id'], ['members.id'], name=op.f('fk_policy_profiles_elu_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_policy_profiles_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_profiles')),
    sa.UniqueConstraint('collectivity_id', 'year', name='uq_policy_profiles_collectivity_year')
    )
    with op.batch_alter_table('policy_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_profiles_collectivity_id'), ['collectivity_id'], unique=False)



def downgrade():
    with op.batch_alter_table('policy_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_profiles_collectivity_id'))

    op.drop_table('policy_profiles')
