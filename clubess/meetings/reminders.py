"""Reminders before a meeting, sent by `flask meetings remind` (cron), each exactly once."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from clubess.core.db import now_utc
from clubess.extensions import db
from clubess.mailing.models import OutboxMessage
from clubess.meetings import notifications
from clubess.meetings.models import Meeting, MeetingStatus, Registration, RegistrationStatus


def reminder_days() -> list[int]:
    days = {int(d) for d in str(current_app.config["MEETING_REMINDER_DAYS"]).split(",") if d.strip().isdigit()}
    return sorted(d for d in days if d > 0)


def due_offset(meeting: Meeting, registration: Registration, now: datetime, offsets: list[int]) -> int | None:
    """The reminder this registrant is due now: the closest offset whose moment has come.

    An offset whose moment had passed when the person registered is skipped (who registers two days
    before does not get the "in a week" reminder), and a late cron run sends one reminder, not several.
    """
    for days in sorted(offsets):
        moment = meeting.starts_at - timedelta(days=days)
        if now >= moment:
            return days if registration.created_at <= moment else None
    return None


def send_reminders(now: datetime | None = None) -> int:
    """Queue the reminders due now; the outbox's dedupe key makes a second run send nothing again."""
    now = now or now_utc()
    offsets = reminder_days()
    if not offsets:
        return 0
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.starts_at > now,
            Meeting.starts_at <= now + timedelta(days=max(offsets)),
        )
        .options(selectinload(Meeting.items))
    ).all()
    queued = 0
    for meeting in meetings:
        registrations = db.session.scalars(
            sa.select(Registration).where(
                Registration.meeting_id == meeting.id,
                Registration.status == RegistrationStatus.REGISTERED,
                Registration.is_walk_in.is_(False),
            )
        ).all()
        due = [(r, days) for r in registrations if (days := due_offset(meeting, r, now, offsets)) is not None]
        if not due:
            continue
        keys = [notifications.reminder_key(r, days) for r, days in due]
        sent = set(db.session.scalars(sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))))
        for (registration, days), key in zip(due, keys, strict=True):
            if key not in sent:
                notifications.queue_reminder(registration, days)
                queued += 1
    return queued
