"""Mail suppression list: addresses that left a list (invitations, communiqués, digest) or bounced

Revision ID: 1148a9d5bd22
Revises: 6656bfd725f9
Create Date: 2026-12-01 03:37:16.442933

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "1148a9d5bd22"
down_revision = "6656bfd725f9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_suppressions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("reason IN ('unsubscribed', 'bounced', 'erased')", name=op.f("ck_mail_suppressions_reason_valid")),
        sa.CheckConstraint(
            "scope IN ('invitations', 'communiques', 'digest')", name=op.f("ck_mail_suppressions_scope_valid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_suppressions")),
        sa.UniqueConstraint("email", "scope", name="uq_mail_suppressions_email_scope"),
    )
    op.create_index("ix_mail_suppressions_scope_created", "mail_suppressions", ["scope", "created_at"])


def downgrade():
    op.drop_index("ix_mail_suppressions_scope_created", table_name="mail_suppressions")
    op.drop_table("mail_suppressions")
