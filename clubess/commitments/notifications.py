"""The commitments' mail: asking a référent, a week before a meeting, to update the commitments due there."""

from clubess.commitments.models import Commitment
from clubess.mailing.models import OutboxMessage
from clubess.mailing.services import external_url, queue
from clubess.meetings.models import Meeting
from clubess.members.models import Collectivity, Member


def reminder_key(meeting: Meeting, referent: Member) -> str:
    """One mail per référent and meeting, whatever the number of cron runs (the outbox's dedupe key)."""
    return f"commitments-reminder:{meeting.id}:{referent.id}"


def queue_reminder(
    referent: Member, collectivity: Collectivity, meeting: Meeting, commitments: list[Commitment], day
) -> OutboxMessage:
    user = referent.user
    return queue(
        referent.email,
        "commitments/reminder",
        {
            "referent": referent,
            "collectivity": collectivity,
            "meeting": meeting,
            "commitments": commitments,
            "day": day,
            "commitments_url": external_url("commitment_area.index"),
            "meeting_url": external_url("meetings.detail", meeting_id=meeting.id),
        },
        category="commitments.reminder",
        dedupe_key=reminder_key(meeting, referent),
        locale=user.locale if user is not None and user.locale else None,
    )
