"""`flask schedule run` (a timer, every few minutes, on any number of machines) and `flask schedule status`."""

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from clubess.core.db import now_utc
from clubess.extensions import db
from clubess.ops import scheduler

log = logging.getLogger(__name__)

schedule_cli = AppGroup("schedule", help="The scheduler: the cron commands, run by one machine at a time.")


@schedule_cli.command("run")
@click.option("--job", "only", multiple=True, type=click.Choice(scheduler.JOB_NAMES), help="Only this job.")
@click.option("--force", is_flag=True, help="Run the chosen jobs even when they are not due.")
def run_command(only, force):
    """Run the jobs that are due (reminders, retention, the monthly digest) if no other scheduler is running;
    exits at once, successfully, when another one holds the lock. Exit status 1 when a job failed."""
    holder = scheduler.holder_name()
    if not scheduler.acquire(holder):
        other = scheduler.current_holder()
        who = f"{other.holder} until {other.held_until:%Y-%m-%d %H:%M:%S} UTC" if other else "another scheduler"
        click.echo(f"skipped: the scheduler lock is held by {who}")
        return
    failures = 0
    try:
        chosen = [job for job in scheduler.jobs() if not only or job.name in only]
        due = {job.name for job in scheduler.due_jobs()}
        for job in chosen:
            if job.name not in due and not force:
                click.echo(f"{job.name}: not due")
                continue
            if not scheduler.renew(holder):
                click.echo("stopped: another scheduler took the lock over (the lease ran out)", err=True)
                failures += 1
                break
            failures += not _run(job)
    finally:
        db.session.rollback()
        scheduler.release(holder)
    if failures:
        raise SystemExit(1)


def _run(job: scheduler.Job) -> bool:
    ctx = click.get_current_context()
    group, name = job.command
    command = current_app.cli.get_command(ctx, group).get_command(ctx, name)
    started = now_utc()
    click.echo(f"{job.name}: flask {group} {name}")
    try:
        ctx.invoke(command)
    except Exception as exc:  # noqa: BLE001 - one job failing must not stop the others
        db.session.rollback()
        log.exception("scheduled job %s failed", job.name)
        scheduler.record_run(job.name, started, error=repr(exc)[:2000])
        click.echo(f"{job.name}: failed: {exc!r}", err=True)
        return False
    scheduler.record_run(job.name, started)
    return True


@schedule_cli.command("status")
def status_command():
    """Each job, when it last ran and whether it is due; who holds the lock."""
    now = now_utc()
    runs = scheduler.last_runs()
    due = {job.name for job in scheduler.due_jobs(now)}
    for job in scheduler.jobs():
        run = runs.get(job.name)
        last = f"{run.last_run_at:%Y-%m-%d %H:%M} UTC" if run and run.last_run_at else "never"
        failed = f", last failure {run.last_failed_at:%Y-%m-%d %H:%M} UTC" if run and run.last_failed_at else ""
        click.echo(f"{job.name}: last run {last}{failed}, {'due' if job.name in due else 'not due'}")
    holder = scheduler.current_holder()
    click.echo(f"lock: held by {holder.holder} until {holder.held_until:%H:%M:%S} UTC" if holder else "lock: free")
