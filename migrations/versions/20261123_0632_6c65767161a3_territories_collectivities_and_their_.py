"""Territories, member collectivities and their people

Revision ID: 6c65767161a3
Revises: 7804f7bb6eca
Create Date: 2026-11-23 06:32:57.304337

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6c65767161a3'
down_revision = '7804f7bb6eca'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('territories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('search_name', sa.String(length=200), nullable=False),
    sa.Column('department_code', sa.String(length=3), nullable=True),
    sa.Column('parent_code', sa.String(length=12), nullable=True),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('postal_codes', sa.String(length=200), nullable=False),
    sa.CheckConstraint("kind IN ('region', 'departement', 'metropole', 'ept', 'epci', 'commune')", name=op.f('ck_territories_kind_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_territories')),
    sa.UniqueConstraint('kind', 'code', name=op.f('uq_territories_kind_code'))
    )
    with op.batch_alter_table('territories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_territories_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_territories_department_code'), ['department_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_territories_search_name'), ['search_name'], unique=False)

    op.create_table('collectivities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('application_message', sa.Text(), nullable=False),
    sa.Column('referent_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'active', 'rejected', 'left')", name=op.f('ck_collectivities_status_valid')),
    sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], name=op.f('fk_collectivities_territory_id_territories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collectivities'))
    )
    with op.batch_alter_table('collectivities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collectivities_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_collectivities_territory_id'), ['territory_id'], unique=False)

    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collectivity_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('function', sa.String(length=200), nullable=False),
    sa.Column('delegation', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('mandate_start_on', sa.Date(), nullable=True),
    sa.Column('mandate_end_on', sa.Date(), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('show_in_directory', sa.Boolean(), nullable=False),
    sa.Column('show_email', sa.Boolean(), nullable=False),
    sa.Column('show_phone', sa.Boolean(), nullable=False),
    sa.Column('interests', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('elu', 'agent')", name=op.f('ck_members_kind_valid')),
    sa.ForeignKeyConstraint(['collectivity_id'], ['collectivities.id'], name=op.f('fk_members_collectivity_id_collectivities')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_members_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('user_id', name=op.f('uq_members_user_id'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_collectivity_id'), ['collectivity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_email'), ['email'], unique=False)

    # collectivities and members point at each other: the référent's key comes once both exist
    with op.batch_alter_table('collectivities', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_collectivities_referent_id_members'), 'members', ['referent_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('collectivities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_collectivities_referent_id_members'), type_='foreignkey')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_email'))
        batch_op.drop_index(batch_op.f('ix_members_collectivity_id'))

    op.drop_table('members')
    with op.batch_alter_table('collectivities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collectivities_territory_id'))
        batch_op.drop_index(batch_op.f('ix_collectivities_status'))

    op.drop_table('collectivities')
    with op.batch_alter_table('territories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_territories_search_name'))
        batch_op.drop_index(batch_op.f('ix_territories_department_code'))
        batch_op.drop_index(batch_op.f('ix_territories_code'))

    op.drop_table('territories')
