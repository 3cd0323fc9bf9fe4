"""Meeting documents and the resource centre: documents (files or replay links), their links to practices,
their search index; an agenda item's practice fiche

Revision ID: 22d6436e6a3a
Revises: 5e7a1c0d2b44
Create Date: 2026-12-01 05:49:26.042318

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '22d6436e6a3a'
down_revision = '5e7a1c0d2b44'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('resource_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('lever', sa.String(length=40), nullable=True),
    sa.Column('visibility', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('stored_name', sa.String(length=120), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('demo', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint("kind IN ('support', 'etude', 'guide', 'compte_rendu', 'replay', 'photo', 'autre')", name=op.f('ck_resource_documents_kind_valid')),
    sa.CheckConstraint("stored_name IS NOT NULL OR url != ''", name=op.f('ck_resource_documents_file_or_link')),
    sa.CheckConstraint("visibility != 'registrants' OR meeting_id IS NOT NULL", name=op.f('ck_resource_documents_registrants_of_a_meeting')),
    sa.CheckConstraint("visibility IN ('public', 'members', 'registrants')", name=op.f('ck_resource_documents_visibility_valid')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_resource_documents_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_resource_documents_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_documents')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_resource_documents_stored_name'))
    )
    with op.batch_alter_table('resource_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_documents_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_documents_lever'), ['lever'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_documents_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('resource_document_practices',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['resource_documents.id'], name=op.f('fk_resource_document_practices_document_id_resource_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_resource_document_practices_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'practice_id', name=op.f('pk_resource_document_practices'))
    )
    with op.batch_alter_table('resource_document_practices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_document_practices_practice_id'), ['practice_id'], unique=False)

    op.create_table('resource_postings',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=60), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['resource_documents.id'], name=op.f('fk_resource_postings_document_id_resource_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'term', name=op.f('pk_resource_postings'))
    )
    with op.batch_alter_table('resource_postings', schema=None) as batch_op:
        batch_op.create_index('ix_resource_postings_term', ['term', 'document_id', 'weight'], unique=False)

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practice_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_agenda_items_practice_id'), ['practice_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_agenda_items_practice_id_practices'), 'practices', ['practice_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_agenda_items_practice_id_practices'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_agenda_items_practice_id'))
        batch_op.drop_column('practice_id')

    with op.batch_alter_table('resource_postings', schema=None) as batch_op:
        batch_op.drop_index('ix_resource_postings_term')

    op.drop_table('resource_postings')
    with op.batch_alter_table('resource_document_practices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_document_practices_practice_id'))

    op.drop_table('resource_document_practices')
    with op.batch_alter_table('resource_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_documents_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_resource_documents_lever'))
        batch_op.drop_index(batch_op.f('ix_resource_documents_agenda_item_id'))

    op.drop_table('resource_documents')
