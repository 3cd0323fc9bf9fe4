"""The scheduler: the cron commands (reminders, retention, the monthly digest) run when due, by one machine at a time.

Every machine may run `flask schedule run` from its timer; the one that takes the lease in `scheduler_locks`
runs the jobs that are due, the others exit at once saying who holds it. The lease is a row updated only while
it is free or expired (`UPDATE … WHERE held_until < now`): atomic on PostgreSQL (the row lock makes a concurrent
update wait, then see the new holder) and on SQLite (one writer at a time). It is renewed before each job; a
scheduler that dies holds it until the lease ends (`SCHEDULER_LEASE_SECONDS`). The jobs keep their own
exactly-once rules (the outbox's dedupe keys, one digest per person and month): the lock only stops two
schedulers doing the work twice at the same time.
"""

import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from clubess.core.db import now_utc
from clubess.core.timezone import tz
from clubess.extensions import db
from clubess.ops.models import SchedulerJob, SchedulerLock

LOCK = "scheduler"
#: a timer firing every 15 minutes starts a few seconds late or early: a job due every 15 minutes still runs
SLACK = timedelta(minutes=1)


@dataclass(frozen=True)
class Job:
    name: str
    #: the CLI command it runs, e.g. ("meetings", "remind"): the schedule does exactly what cron did
    command: tuple[str, str]
    every: timedelta | None = None
    #: the latest moment the job was scheduled for, at or before a local time (daily, monthly jobs)
    slot: Callable[[datetime], datetime] | None = None
    #: a daily or monthly job missed for longer than this waits for its next slot (no digest on the 17th)
    catch_up: timedelta = timedelta(0)

    def is_due(self, last_run_at: datetime | None, now: datetime) -> bool:
        if self.every is not None:
            return last_run_at is None or now - last_run_at >= self.every - SLACK
        slot = self.slot(now.astimezone(tz()))
        return (last_run_at is None or last_run_at < slot) and now - slot <= self.catch_up


def _clock(value: str, default: time) -> time:
    try:
        hours, minutes = (int(part) for part in str(value).split(":"))
        return time(hours, minutes)
    except (TypeError, ValueError):
        return default


def daily(at: time) -> Callable[[datetime], datetime]:
    def slot(local_now: datetime) -> datetime:
        today = datetime.combine(local_now.date(), at, tzinfo=local_now.tzinfo)
        return (
            today
            if local_now >= today
            else datetime.combine(local_now.date() - timedelta(days=1), at, tzinfo=local_now.tzinfo)
        )

    return slot


def monthly(day: int, at: time) -> Callable[[datetime], datetime]:
    day = min(max(day, 1), 28)

    def slot(local_now: datetime) -> datetime:
        this_month = datetime.combine(local_now.date().replace(day=day), at, tzinfo=local_now.tzinfo)
        if local_now >= this_month:
            return this_month
        previous = local_now.date().replace(day=1) - timedelta(days=1)
        return datetime.combine(previous.replace(day=day), at, tzinfo=local_now.tzinfo)

    return slot


def jobs() -> list[Job]:
    """The schedule, from the settings (README, « Deploying »)."""
    config = current_app.config
    return [
        Job("remind", ("meetings", "remind"), every=timedelta(minutes=max(1, config["SCHEDULE_REMIND_MINUTES"]))),
        Job(
            "retention",
            ("retention", "run"),
            slot=daily(_clock(config["SCHEDULE_RETENTION_AT"], time(3, 0))),
            catch_up=timedelta(hours=20),
        ),
        Job(
            "digest",
            ("digest", "send"),
            slot=monthly(config["SCHEDULE_DIGEST_DAY"], _clock(config["SCHEDULE_DIGEST_AT"], time(8, 0))),
            catch_up=timedelta(days=3),
        ),
    ]


JOB_NAMES = ("remind", "retention", "digest")


def holder_name() -> str:
    """Who holds the lease: the machine and the process, and a nonce (a pid is reused after a restart)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def _insert_missing(model, **values) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing())


def acquire(holder: str, now: datetime | None = None) -> bool:
    """Take the lease if it is free or expired; commits (the other schedulers must see it at once)."""
    now = now or now_utc()
    _insert_missing(SchedulerLock, name=LOCK)
    result = db.session.execute(
        sa.update(SchedulerLock)
        .where(
            SchedulerLock.name == LOCK,
            sa.or_(SchedulerLock.held_until.is_(None), SchedulerLock.held_until < now),
        )
        .values(holder=holder, held_until=now + _lease())
    )
    db.session.commit()
    return result.rowcount == 1


def renew(holder: str) -> bool:
    """Extend the lease before a job; False when another scheduler took it over (this one must stop)."""
    result = db.session.execute(
        sa.update(SchedulerLock)
        .where(SchedulerLock.name == LOCK, SchedulerLock.holder == holder)
        .values(held_until=now_utc() + _lease())
    )
    db.session.commit()
    return result.rowcount == 1


def release(holder: str) -> None:
    db.session.execute(
        sa.update(SchedulerLock)
        .where(SchedulerLock.name == LOCK, SchedulerLock.holder == holder)
        .values(holder=None, held_until=None)
    )
    db.session.commit()


def current_holder() -> SchedulerLock | None:
    lock = db.session.get(SchedulerLock, LOCK)
    return lock if lock is not None and lock.holder else None


def _lease() -> timedelta:
    return timedelta(seconds=max(60, current_app.config["SCHEDULER_LEASE_SECONDS"]))


def last_runs() -> dict[str, SchedulerJob]:
    return {row.name: row for row in db.session.scalars(sa.select(SchedulerJob))}


def due_jobs(now: datetime | None = None) -> list[Job]:
    now = now or now_utc()
    runs = last_runs()
    return [job for job in jobs() if job.is_due(getattr(runs.get(job.name), "last_run_at", None), now)]


def record_run(name: str, started_at: datetime, error: str | None = None) -> None:
    """After a job: a success moves its last run to when it started; a failure leaves it due."""
    _insert_missing(SchedulerJob, name=name)
    values = {"last_run_at": started_at} if error is None else {"last_failed_at": now_utc(), "last_error": error}
    db.session.execute(sa.update(SchedulerJob).where(SchedulerJob.name == name).values(**values))
    db.session.commit()
