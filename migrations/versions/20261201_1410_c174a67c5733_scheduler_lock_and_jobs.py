"""The scheduler's lock and its jobs' last runs: scheduler_locks, scheduler_jobs

`flask schedule run` (clubess.ops.scheduler) runs the cron commands (reminders, retention, the digest) when they
are due. Several machines may run it: the one that takes the lease in `scheduler_locks` runs the jobs, the others
exit saying who holds it. `scheduler_jobs` keeps when each job last ran to its end, so a job is due once per slot.

Revision ID: c174a67c5733
Revises: a869e4b8360e
Create Date: 2026-12-01 14:10:51.955309

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c174a67c5733"
down_revision = "a869e4b8360e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduler_jobs",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_jobs")),
    )
    op.create_table(
        "scheduler_locks",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=True),
        sa.Column("held_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_locks")),
    )


def downgrade():
    op.drop_table("scheduler_locks")
    op.drop_table("scheduler_jobs")
