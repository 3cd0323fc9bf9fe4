"""Commitments of the collectivities and their history; the agenda item kind « suivi des engagements »

Revision ID: cf79fbbb225e
Revises: fba6440c0994
Create Date: 2026-12-01 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cf79fbbb225e'
down_revision = "fba6440c0994"
branch_labels = None
depends_on = None

STATUSES = "'planned', 'in_progress', 'done', 'abandoned'"
LEVERS = (
    "'ecosysteme_financement', 'soutien_structures', 'foncier_tiers_lieux', 'rd_sociale_cooperation', "
    "'achats_responsables', 'animation_sensibilisation'"
)
ITEM_KINDS = (
    "'accueil', 'intervention', 'retour_experience', 'echange_bonnes_pratiques', 'table_ronde', 'signature', 'pause'"
)


def _item_kinds(kinds: str) -> None:
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_agenda_items_kind_valid'), type_='check')
        batch_op.create_check_constraint(op.f('ck_agenda_items_kind_valid'), sa.text(f"kind IN ({kinds})"))


def upgrade():
    op.create_table('commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collectivity_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('lever', sa.String(length=40), nullable=False),
    sa.Column('success', sa.Text(), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('responsible_label', sa.String(length=100), nullable=False),
    sa.Column('target_year', sa.Integer(), nullable=False),
    sa.Column('target_quarter', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('demo', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint(f"lever IN ({LEVERS})", name=op.f('ck_commitments_lever_valid')),
    sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f('ck_commitments_status_valid')),
    sa.CheckConstraint('target_quarter BETWEEN 1 AND 4', name=op.f('ck_commitments_target_quarter_valid')),
    sa.ForeignKeyConstraint(['collectivity_id'], ['collectivities.id'], name=op.f('fk_commitments_collectivity_id_collectivities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_commitments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_commitments_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['responsible_id'], ['members.id'], name=op.f('fk_commitments_responsible_id_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitments'))
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitments_collectivity_id'), ['collectivity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_responsible_id'), ['responsible_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_status'), ['status'], unique=False)

    op.create_table('commitment_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_label', sa.String(length=200), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint(f"from_status IN ({STATUSES})", name=op.f('ck_commitment_changes_from_status_valid')),
    sa.CheckConstraint(f"to_status IN ({STATUSES})", name=op.f('ck_commitment_changes_to_status_valid')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_commitment_changes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_commitment_changes_commitment_id_commitments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_changes'))
    )
    with op.batch_alter_table('commitment_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_changes_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_changes_commitment_id'), ['commitment_id'], unique=False)

    # the agenda item that reviews the commitments due at a meeting
    _item_kinds(ITEM_KINDS + ", 'suivi_engagements'")


def downgrade():
    # a generated follow-up item becomes an exchange of practices: its text stays on the agenda
    op.execute("UPDATE agenda_items SET kind = 'echange_bonnes_pratiques' WHERE kind = 'suivi_engagements'")
    _item_kinds(ITEM_KINDS)

    with op.batch_alter_table('commitment_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_changes_commitment_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_changes_author_id'))

    op.drop_table('commitment_changes')
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitments_status'))
        batch_op.drop_index(batch_op.f('ix_commitments_responsible_id'))
        batch_op.drop_index(batch_op.f('ix_commitments_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_commitments_collectivity_id'))

    op.drop_table('commitments')
