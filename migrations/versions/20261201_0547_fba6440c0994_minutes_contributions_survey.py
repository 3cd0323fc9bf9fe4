"""After a meeting: minutes and decisions, workshop contributions, satisfaction answers, "suivi" mail list

Minutes keep their revisions after publication; a communiqué remembers the meeting it was prepared from;
the suppression list gains the scope of meeting follow-up mail (minutes and questionnaires).

Revision ID: fba6440c0994
Revises: 22d6436e6a3a
Create Date: 2026-12-01 05:47:14.478178

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "fba6440c0994"
down_revision = "22d6436e6a3a"
branch_labels = None
depends_on = None

SCOPES_BEFORE = "scope IN ('invitations', 'communiques', 'digest')"
SCOPES_AFTER = "scope IN ('invitations', 'communiques', 'digest', 'suivi')"


def _scopes(check: str) -> None:
    # SQLite cannot alter a CHECK constraint: batch mode copies the table with the new one
    with op.batch_alter_table("mail_suppressions", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_mail_suppressions_scope_valid"), type_="check")
        batch_op.create_check_constraint(op.f("ck_mail_suppressions_scope_valid"), check)


def upgrade():
    op.create_table(
        "meeting_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mailings", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'published')", name=op.f("ck_meeting_minutes_status_valid")),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_minutes_meeting_id_meetings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_meeting_minutes_meeting_id")),
    )
    op.create_table(
        "minutes_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("lever", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["meeting_minutes.id"],
            name=op.f("fk_minutes_decisions_minutes_id_meeting_minutes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_decisions")),
    )
    op.create_index(op.f("ix_minutes_decisions_minutes_id"), "minutes_decisions", ["minutes_id"])
    op.create_table(
        "minutes_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("is_mailed", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_minutes_revisions_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["meeting_minutes.id"],
            name=op.f("fk_minutes_revisions_minutes_id_meeting_minutes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_revisions")),
    )
    op.create_index(op.f("ix_minutes_revisions_minutes_id"), "minutes_revisions", ["minutes_id"])
    op.create_table(
        "workshop_contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lever", sa.String(length=40), nullable=True),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('constat', 'initiative', 'preconisation')", name=op.f("ck_workshop_contributions_kind_valid")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_workshop_contributions_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_workshop_contributions_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territories.id"],
            name=op.f("fk_workshop_contributions_territory_id_territories"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_contributions")),
    )
    op.create_index(op.f("ix_workshop_contributions_author_id"), "workshop_contributions", ["author_id"])
    op.create_index(op.f("ix_workshop_contributions_meeting_id"), "workshop_contributions", ["meeting_id"])
    op.create_index(op.f("ix_workshop_contributions_territory_id"), "workshop_contributions", ["territory_id"])
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("useful_item_id", sa.Integer(), nullable=True),
        sa.Column("wished_theme", sa.String(length=200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_survey_answers_rating_range")),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_survey_answers_meeting_id_meetings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_survey_answers_registration_id_registrations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["useful_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_survey_answers_useful_item_id_agenda_items"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
        sa.UniqueConstraint("registration_id", name=op.f("uq_survey_answers_registration_id")),
    )
    op.create_index(op.f("ix_survey_answers_meeting_id"), "survey_answers", ["meeting_id"])
    with op.batch_alter_table("communiques") as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_communiques_meeting_id"), ["meeting_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_communiques_meeting_id_meetings"), "meetings", ["meeting_id"], ["id"], ondelete="SET NULL"
        )
    _scopes(SCOPES_AFTER)


def downgrade():
    op.execute("DELETE FROM mail_suppressions WHERE scope = 'suivi'")
    _scopes(SCOPES_BEFORE)
    with op.batch_alter_table("communiques") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_communiques_meeting_id_meetings"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_communiques_meeting_id"))
        batch_op.drop_column("meeting_id")
    op.drop_index(op.f("ix_survey_answers_meeting_id"), table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_index(op.f("ix_workshop_contributions_territory_id"), table_name="workshop_contributions")
    op.drop_index(op.f("ix_workshop_contributions_meeting_id"), table_name="workshop_contributions")
    op.drop_index(op.f("ix_workshop_contributions_author_id"), table_name="workshop_contributions")
    op.drop_table("workshop_contributions")
    op.drop_index(op.f("ix_minutes_revisions_minutes_id"), table_name="minutes_revisions")
    op.drop_table("minutes_revisions")
    op.drop_index(op.f("ix_minutes_decisions_minutes_id"), table_name="minutes_decisions")
    op.drop_table("minutes_decisions")
    op.drop_table("meeting_minutes")
