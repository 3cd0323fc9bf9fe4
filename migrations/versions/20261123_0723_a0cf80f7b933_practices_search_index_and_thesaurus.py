"""Good practices, revisions, themes, the search index and the thesaurus

Revision ID: a0cf80f7b933
Revises: e2fea3aa4041
Create Date: 2026-11-23 07:23:20.757873

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a0cf80f7b933'
down_revision = 'e2fea3aa4041'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('thesaurus_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expressions', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thesaurus_entries'))
    )
    op.create_table('practices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('lever', sa.String(length=40), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('partners', sa.JSON(), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('territory_name', sa.String(length=200), nullable=False),
    sa.Column('territory_kind', sa.String(length=20), nullable=True),
    sa.Column('department_code', sa.String(length=3), nullable=True),
    sa.Column('territory_id', sa.Integer(), nullable=True),
    sa.Column('collectivity_id', sa.Integer(), nullable=True),
    sa.Column('contact_role', sa.String(length=200), nullable=False),
    sa.Column('contact_member_id', sa.Integer(), nullable=True),
    sa.Column('provenance', sa.String(length=20), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('len_title', sa.Integer(), nullable=False),
    sa.Column('len_themes', sa.Integer(), nullable=False),
    sa.Column('len_summary', sa.Integer(), nullable=False),
    sa.Column('len_description', sa.Integer(), nullable=False),
    sa.CheckConstraint("provenance IN ('member', 'club', 'partner_network')", name=op.f('ck_practices_provenance_valid')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'published', 'archived')", name=op.f('ck_practices_status_valid')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_practices_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['collectivity_id'], ['collectivities.id'], name=op.f('fk_practices_collectivity_id_collectivities')),
    sa.ForeignKeyConstraint(['contact_member_id'], ['members.id'], name=op.f('fk_practices_contact_member_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['territory_id'], ['territories.id'], name=op.f('fk_practices_territory_id_territories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practices')),
    sa.UniqueConstraint('ref', name=op.f('uq_practices_ref'))
    )
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practices_collectivity_id'), ['collectivity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_department_code'), ['department_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_lever'), ['lever'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_territory_kind'), ['territory_kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_year'), ['year'], unique=False)

    op.create_table('practice_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_label', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_practice_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_revisions_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_revisions'))
    )
    with op.batch_alter_table('practice_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_revisions_practice_id'), ['practice_id'], unique=False)

    op.create_table('practice_terms',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=1), nullable=False),
    sa.Column('term', sa.String(length=60), nullable=False),
    sa.Column('tf', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_terms_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'field', 'term', name=op.f('pk_practice_terms'))
    )
    with op.batch_alter_table('practice_terms', schema=None) as batch_op:
        batch_op.create_index('ix_practice_terms_term_practice', ['term', 'practice_id'], unique=False)

    op.create_table('practice_themes',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_themes_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'theme', name=op.f('pk_practice_themes'))
    )
    with op.batch_alter_table('practice_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_themes_theme'), ['theme'], unique=False)



def downgrade():
    with op.batch_alter_table('practice_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_themes_theme'))

    op.drop_table('practice_themes')
    with op.batch_alter_table('practice_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_terms_term_practice')

    op.drop_table('practice_terms')
    with op.batch_alter_table('practice_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_revisions_practice_id'))

    op.drop_table('practice_revisions')
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practices_year'))
        batch_op.drop_index(batch_op.f('ix_practices_territory_kind'))
        batch_op.drop_index(batch_op.f('ix_practices_status'))
        batch_op.drop_index(batch_op.f('ix_practices_published_at'))
        batch_op.drop_index(batch_op.f('ix_practices_lever'))
        batch_op.drop_index(batch_op.f('ix_practices_department_code'))
        batch_op.drop_index(batch_op.f('ix_practices_collectivity_id'))

    op.drop_table('practices')
    op.drop_table('thesaurus_entries')
