"""notified_solution_matches: a followed problem's author is mailed once when an ESS actor's solution answers it,
as notified_matches does for practices

Revision ID: e8b40f2c6d17
Revises: d3a91c07e5b2
Create Date: 2026-12-01 21:25:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "e8b40f2c6d17"
down_revision = "d3a91c07e5b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notified_solution_matches",
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("solution_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["problem_id"], ["problems.id"], name=op.f("fk_notified_solution_matches_problem_id_problems"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"], ["solutions.id"], name=op.f("fk_notified_solution_matches_solution_id_solutions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("problem_id", "solution_id", name=op.f("pk_notified_solution_matches")),
    )


def downgrade():
    op.drop_table("notified_solution_matches")
