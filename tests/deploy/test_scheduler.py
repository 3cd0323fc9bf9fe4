"""`flask schedule run`: the cron commands when they are due, by one scheduler at a time (the lock), each job's
exactly-once rules still holding."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

PARIS = ZoneInfo("Europe/Paris")


def reminders(db) -> list[str]:
    from clubess.mailing.models import OutboxMessage

    db.session.rollback()
    subjects = db.session.scalars(sa.select(OutboxMessage.recipient).where(OutboxMessage.subject.like("Rappel%")))
    return sorted(subjects)


def run(app, *args):
    return app.test_cli_runner().invoke(args=["schedule", "run", *args])


@pytest.fixture
def daytime():
    """Noon in Paris on the 2nd of a month, the clock running: the retention job (daily from 03:00, caught up for
    20 hours) and the digest (monthly on the 1st, caught up for 3 days) are both due. On the real clock these
    tests failed between 23:00 and 03:00 in Paris, and from the 4th of a month on, where the schedule is right to
    wait."""
    from freezegun import freeze_time

    with freeze_time("2026-12-02 11:00:00", tick=True):
        yield


def test_a_run_sends_what_is_due_once_and_the_next_run_finds_nothing_due(app, db, daytime, meeting_tomorrow):
    first = run(app)
    assert first.exit_code == 0, first.output
    assert "remind: flask meetings remind" in first.output and "2 rappel(s)" in first.output
    assert "retention: flask retention run" in first.output and "digest: flask digest send" in first.output
    assert reminders(db) == ["helene@montreuil.fr", "sofia@saint-ouen.fr"]
    second = run(app)
    assert second.exit_code == 0
    assert "remind: not due" in second.output and "retention: not due" in second.output
    forced = run(app, "--job", "remind", "--force")  # run again by hand: the outbox's dedupe keys still hold
    assert "0 rappel(s)" in forced.output
    assert reminders(db) == ["helene@montreuil.fr", "sofia@saint-ouen.fr"]
    status = app.test_cli_runner().invoke(args=["schedule", "status"])
    assert "remind: last run" in status.output and "not due" in status.output and "lock: free" in status.output


def test_a_second_scheduler_skips_while_the_first_holds_the_lock(app, db, meeting_tomorrow, monkeypatch):
    """Two schedulers at once (threads, each with its own database connection): one sends, the other skips."""
    from clubess.meetings import reminders as reminders_module

    real = reminders_module.send_reminders
    inside, go_on = threading.Event(), threading.Event()

    def slow_send(*args, **kwargs):
        inside.set()
        assert go_on.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(reminders_module, "send_reminders", slow_send)
    outputs = {}

    def first():
        with app.app_context():
            outputs["first"] = run(app).output

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert inside.wait(30), "the first scheduler never reached the reminders"
        second = run(app)
    finally:
        go_on.set()
        thread.join(60)
    assert second.exit_code == 0
    assert second.output.startswith("skipped: the scheduler lock is held by ")
    assert "rappel" not in second.output
    assert "2 rappel(s)" in outputs["first"]
    assert reminders(db) == ["helene@montreuil.fr", "sofia@saint-ouen.fr"]
    assert "remind: not due" in run(app).output  # the lock is free again, and the job ran


def test_a_dead_schedulers_lock_is_taken_over_when_its_lease_ends(app, db, meeting_tomorrow):
    from clubess.core.db import now_utc
    from clubess.ops import scheduler

    assert scheduler.acquire("other-host:123:abc")
    assert run(app).output.startswith("skipped: the scheduler lock is held by other-host:123:abc until ")
    assert reminders(db) == []
    assert not scheduler.acquire("third-host:1:def", now=now_utc() + timedelta(minutes=59))
    db.session.execute(sa.text("UPDATE scheduler_locks SET held_until = :t"), {"t": now_utc() - timedelta(seconds=1)})
    db.session.commit()
    taken = run(app)
    assert "2 rappel(s)" in taken.output
    assert scheduler.current_holder() is None  # released at the end


def test_a_failing_job_leaves_it_due_and_the_others_run(app, db, daytime, meeting_tomorrow, monkeypatch):
    from clubess.retention import cli as retention_cli

    def broken():
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention_cli, "purges", broken)
    result = run(app)
    assert result.exit_code == 1
    assert "retention: failed: RuntimeError('disk full')" in result.output
    assert "2 rappel(s)" in result.output and "digest: flask digest send" in result.output
    monkeypatch.undo()
    again = run(app)
    assert again.exit_code == 0
    assert "retention: flask retention run" in again.output and "digest: not due" in again.output


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("last_run", "now", "due"),
    [
        (None, paris(2027, 3, 10, 10, 0), True),  # never ran: this morning's 3:00 slot is within its catch-up
        (None, paris(2027, 3, 10, 2, 59), False),  # yesterday's slot is 24 h old: wait for tonight's
        (paris(2027, 3, 10, 3, 0), paris(2027, 3, 10, 23, 0), False),
        (paris(2027, 3, 10, 3, 0), paris(2027, 3, 11, 2, 59), False),
        (paris(2027, 3, 10, 3, 0), paris(2027, 3, 11, 3, 0), True),
        (paris(2027, 3, 10, 3, 0), paris(2027, 3, 11, 23, 30), False),  # 20 h late: wait for the next slot
        (paris(2027, 3, 27, 3, 1), paris(2027, 3, 28, 3, 5), True),  # the night clocks go forward
    ],
)
def test_retention_runs_daily_at_three_in_paris(app_ctx, last_run, now, due):
    from clubess.ops.scheduler import jobs

    [retention] = [job for job in jobs() if job.name == "retention"]
    assert retention.is_due(last_run, now) is due


@pytest.mark.parametrize(
    ("last_run", "now", "due"),
    [
        (paris(2027, 2, 1, 8, 0), paris(2027, 3, 1, 7, 59), False),
        (paris(2027, 2, 1, 8, 0), paris(2027, 3, 1, 8, 0), True),
        (paris(2027, 2, 1, 8, 0), paris(2027, 3, 3, 20, 0), True),  # a scheduler down two days catches up
        (paris(2027, 2, 1, 8, 0), paris(2027, 3, 17, 9, 0), False),  # never a digest in the middle of a month
        (None, paris(2027, 3, 17, 9, 0), False),  # installed mid-month: the first digest is on April 1st
        (paris(2027, 3, 1, 8, 0), paris(2027, 3, 31, 23, 0), False),
    ],
)
def test_the_digest_runs_on_the_first_of_the_month(app_ctx, last_run, now, due):
    from clubess.ops.scheduler import jobs

    [digest] = [job for job in jobs() if job.name == "digest"]
    assert digest.is_due(last_run, now) is due


def test_reminders_run_every_quarter_hour_whatever_the_timers_jitter(app_ctx):
    from clubess.ops.scheduler import jobs

    [remind] = [job for job in jobs() if job.name == "remind"]
    last = paris(2027, 3, 10, 10, 0, 3)
    assert not remind.is_due(last, paris(2027, 3, 10, 10, 10))
    assert remind.is_due(last, paris(2027, 3, 10, 10, 15, 1))
    assert remind.is_due(None, last)
