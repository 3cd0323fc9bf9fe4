"""Search postings per practice and term with a precomputed BM25F weight (run `flask practices reindex`)

Revision ID: 8f1bba8962c2
Revises: 6333438e4f19
Create Date: 2026-11-23 07:43:28.660938

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f1bba8962c2'
down_revision = '6333438e4f19'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_postings',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=60), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_search_postings_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'term', name=op.f('pk_search_postings'))
    )
    with op.batch_alter_table('search_postings', schema=None) as batch_op:
        batch_op.create_index('ix_search_postings_term', ['term', 'practice_id', 'weight'], unique=False)

    with op.batch_alter_table('practice_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_terms_term_practice'))

    op.drop_table('practice_terms')


def downgrade():
    op.create_table('practice_terms',
    sa.Column('practice_id', sa.INTEGER(), nullable=False),
    sa.Column('field', sa.VARCHAR(length=1), nullable=False),
    sa.Column('term', sa.VARCHAR(length=60), nullable=False),
    sa.Column('tf', sa.INTEGER(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_terms_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'field', 'term', name=op.f('pk_practice_terms'))
    )
    with op.batch_alter_table('practice_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_terms_term_practice'), ['term', 'practice_id'], unique=False)

    with op.batch_alter_table('search_postings', schema=None) as batch_op:
        batch_op.drop_index('ix_search_postings_term')

    op.drop_table('search_postings')
