"""The scheduler's state in the database: its lock (one scheduler at a time, whatever the machine) and
when each of its jobs last ran."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clubess.core.db import Base, UtcDateTime


class SchedulerLock(Base):
    """A lease: the scheduler that holds it until `held_until` is the only one running jobs. A scheduler
    that dies keeps it until the lease ends, then the next one takes it over."""

    __tablename__ = "scheduler_locks"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    #: host:pid of the scheduler holding the lease, None when free
    holder: Mapped[str | None] = mapped_column(sa.String(200))
    held_until: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SchedulerJob(Base):
    """When a scheduled job last ran to its end (a job that failed is due again at the next run)."""

    __tablename__ = "scheduler_jobs"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
