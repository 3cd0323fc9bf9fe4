"""Walk-ins at meetings: registrations.is_walk_in, and a walk-in may come without an address

A walk-in is a Registration a coordinator adds with the attendance (clubess.meetings.attendance): present,
holding no seat, never mailed a registration's messages. A person who came without registering may give no
address, so `registrations.email` takes NULL (NULLs never clash in the unique (meeting, email) constraint).

Revision ID: 5e7a1c0d2b44
Revises: a92720700212
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5e7a1c0d2b44"
down_revision = "a92720700212"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_walk_in", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=True)


def downgrade():
    # walk-ins without an address get one that no mail can reach, so the column can be NOT NULL again
    op.execute("UPDATE registrations SET email = 'sans-adresse-r' || id || '@invalid' WHERE email IS NULL")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=False)
        batch_op.drop_column("is_walk_in")
