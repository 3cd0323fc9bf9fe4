"""A week before a meeting, each référent whose collectivity has commitments due there is asked for an update.

Run by `flask meetings remind` (cron, every 15 minutes): one mail per référent and meeting, ever (the outbox's
dedupe key), sent late but once when the cron was down, never for a cancelled or draft meeting, never to a
référent without commitments due.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from clubess.commitments import notifications, quarters
from clubess.commitments.followup import by_collectivity, due_at
from clubess.core.db import now_utc
from clubess.extensions import db
from clubess.mailing.models import OutboxMessage
from clubess.meetings.models import Meeting, MeetingStatus


def send_commitment_reminders(now: datetime | None = None) -> int:
    """Queue the update requests due now; returns how many were queued (a second run queues none)."""
    now = now or now_utc()
    days = current_app.config["COMMITMENT_REMINDER_DAYS"]
    if days <= 0:
        return 0
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.starts_at > now,
            Meeting.starts_at <= now + timedelta(days=days),
        )
        .order_by(Meeting.starts_at)
    ).all()
    queued = 0
    for meeting in meetings:
        groups = []
        for collectivity, commitments in by_collectivity(due_at(meeting)):
            referent = collectivity.referent
            if referent is None or referent.anonymised_at is not None or not referent.is_current:
                continue
            groups.append((referent, collectivity, commitments))
        keys = [notifications.reminder_key(meeting, referent) for referent, _c, _l in groups]
        sent = set(db.session.scalars(sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))))
        day = quarters.local_day(meeting.starts_at)
        for (referent, collectivity, commitments), key in zip(groups, keys, strict=True):
            if key not in sent:
                notifications.queue_reminder(referent, collectivity, meeting, commitments, day)
                queued += 1
    return queued
