"""Problems: best_solution_id, the best answer when it is an ESS actor's solution (best_practice_id names practices
only), so the coordinators' loop names every problem's best answer

Problems matched before keep no best solution until they are matched again (a verdict, a new practice or
solution, `flask practices rematch` is not needed: the loop shows « — » for them as before).

Revision ID: d3a91c07e5b2
Revises: 61d43aa66e61
Create Date: 2026-12-01 21:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d3a91c07e5b2"
down_revision = "61d43aa66e61"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.add_column(sa.Column("best_solution_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_problems_best_solution_id_solutions"),
            "solutions",
            ["best_solution_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_problems_best_solution_id_solutions"), type_="foreignkey")
        batch_op.drop_column("best_solution_id")
