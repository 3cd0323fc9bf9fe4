"""Territory links: the hierarchy's closure (which territories contain which), for filters in one query

Filled by `flask territories load` (clubess.members.hierarchy.refresh_links): run it after upgrading.

Revision ID: 3b8d2f61c4a7
Revises: cf79fbbb225e
Create Date: 2026-12-01 09:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3b8d2f61c4a7"
down_revision = "cf79fbbb225e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "territory_links",
        sa.Column("ancestor_id", sa.Integer(), nullable=False),
        sa.Column("descendant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ancestor_id"],
            ["territories.id"],
            name=op.f("fk_territory_links_ancestor_id_territories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["descendant_id"],
            ["territories.id"],
            name=op.f("fk_territory_links_descendant_id_territories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ancestor_id", "descendant_id", name=op.f("pk_territory_links")),
    )
    with op.batch_alter_table("territory_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_territory_links_descendant_id"), ["descendant_id"], unique=False)


def downgrade():
    with op.batch_alter_table("territory_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_territory_links_descendant_id"))
    op.drop_table("territory_links")
