"""Problems: is_answered, the « nothing answers this yet » decision stored when a problem is matched

clubess.practices.answered decides from the ranking (best score, margin) whether a real answer exists; the
problems loop, the coordinators' to-do and the unanswered themes count on this column, in one query. Problems
stated before it get the decision from their stored best score (margin unknown: taken as 0); the next match
(a verdict, a new practice) rewrites it.

Revision ID: 7a4e2c91d5b3
Revises: 2fc2b91e8faf
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7a4e2c91d5b3"
down_revision = "2fc2b91e8faf"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_answered", sa.Boolean(), nullable=False, server_default=sa.false()))
    # sigmoid(8.92 * best - 3.35) >= 0.5 with no margin: best >= 0.3756 (clubess.practices.answered)
    op.execute("UPDATE problems SET is_answered = (best_score >= 0.3756)")


def downgrade():
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.drop_column("is_answered")
