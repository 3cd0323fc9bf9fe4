"""The yearly activity report (bilan, issue 18): the coordinators' introduction and highlights per year, and the
version frozen for the public when it is published (a JSON snapshot of its texts and figures).

Revision ID: a869e4b8360e
Revises: 32845c36c230
Create Date: 2026-12-01 13:37:02.031217

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a869e4b8360e"
down_revision = "32845c36c230"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "annual_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("introduction", sa.Text(), nullable=False),
        sa.Column("highlights", sa.Text(), nullable=False),
        sa.Column("is_published", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_reports")),
        sa.UniqueConstraint("year", name=op.f("uq_annual_reports_year")),
    )


def downgrade():
    op.drop_table("annual_reports")
