"""The minutes as a mail to each attendee, rendered by the worker when it sends it (a mailing.sources source).

Queued as references (one bulk INSERT for any number of attendees): `source_id` is the attendee's
registration, `template` says whether it is the publication or a correction mailed again. At delivery
the worker checks the "suivi" list; the source checks the person is still marked present, and writes
the current published minutes, the workshop's contributions and the person's own questionnaire link.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from clubess.core.db import now_utc
from clubess.extensions import db
from clubess.mailing.models import OutboxMessage, Scope
from clubess.mailing.services import external_url, queue_from_source, render_email, unsubscribe_headers
from clubess.mailing.sources import Rendered
from clubess.meetings.followup_models import Minutes
from clubess.meetings.models import Attendance, Meeting, Registration

SOURCE = "meetings.minutes"
CATEGORY = "meetings.minutes"
TEMPLATE = "meetings/minutes"
PUBLISHED, CORRECTED = "minutes", "minutes_corrected"


def dedupe_key(minutes: Minutes, mailing: int, email: str) -> str:
    """Each person gets each mailing of the minutes once (a mailing: the publication, or a correction sent again)."""
    return f"minutes:{minutes.id}:{mailing}:{email.strip().lower()}"


def queue_minutes(minutes: Minutes, people, corrected: bool) -> int:
    """Queue the current mailing of the minutes to `people` (minutes.recipients); returns how many were queued."""
    if not people:
        return 0
    meeting = db.session.get(Meeting, minutes.meeting_id)
    subject, _text, _html = render_email(TEMPLATE, _context(meeting, minutes, "", corrected=corrected))
    return queue_from_source(
        SOURCE,
        [(p.registration_id, p.email, dedupe_key(minutes, minutes.mailings, p.email)) for p in people],
        category=CATEGORY,
        subject=subject,
        template=CORRECTED if corrected else PUBLISHED,
    )


def _context(meeting: Meeting, minutes: Minutes, name: str, corrected: bool = False, **extra) -> dict:
    from clubess.meetings import contributions

    published = contributions.published_contributions(meeting)
    return {
        "meeting": meeting,
        "minutes": minutes,
        "decisions": minutes.decisions,
        "name": name,
        "corrected": corrected,
        "contributions": published,
        "contribution_counts": contributions.count_by_kind(published),
        "meeting_url": external_url("meetings.detail", meeting_id=meeting.id) + "#compte-rendu",
        #: a member attendee sees every document of the meeting; someone from outside the club, the public ones
        "is_member": True,
        "survey_url": None,
        "survey_until": None,
        "unsubscribe_url": None,
        **extra,
    }


def render_minutes(registration: Registration, minutes: Minutes, corrected: bool) -> Rendered:
    """The mail one attendee receives: the minutes, decisions and contributions, and their own survey link."""
    from clubess.meetings import survey

    meeting = registration.meeting
    unsubscribe_url, headers = unsubscribe_headers(registration.email, Scope.SUIVI)
    survey_url = survey_until = None
    if survey.answer_of(registration) is None:
        survey_url = survey.survey_url(registration)
        survey_until = now_utc() + timedelta(days=current_app.config["MEETING_SURVEY_DAYS"])
    subject, text, html = render_email(
        TEMPLATE,
        _context(
            meeting,
            minutes,
            registration.name,
            corrected=corrected,
            survey_url=survey_url,
            survey_until=survey_until,
            unsubscribe_url=unsubscribe_url,
            is_member=registration.member_id is not None,
        ),
    )
    return Rendered(subject=subject, text=text, html=html, headers=headers)


class MinutesSource:
    """Outbox messages that are the minutes mailed to one attendee (`source_id` is their Registration's id)."""

    name = SOURCE
    discreet = False

    def render(self, message: OutboxMessage) -> Rendered | None:
        row = db.session.execute(
            sa.select(Registration, Minutes)
            .join(Minutes, Minutes.meeting_id == Registration.meeting_id)
            .where(Registration.id == message.source_id)
        ).first()
        if row is None:
            return None  # the registration was deleted
        registration, minutes = row
        if registration.attendance != Attendance.PRESENT or not minutes.is_published:
            return None  # marked present by mistake, and corrected since
        if registration.email.strip().lower() != message.recipient.strip().lower():
            return None  # the person was erased since (their registration keeps no address)
        return render_minutes(registration, minutes, corrected=message.template == CORRECTED)

    def outcome(self, message: OutboxMessage, outcome: str, error: str = "") -> bool:
        """The outbox row says what happened; a hard bounce puts the address on the "suivi" suppression list."""
        return False


def preview(meeting: Meeting, minutes: Minutes) -> tuple[str, str]:
    """The subject and text one attendee would receive (the links are examples), for the confirmation page."""
    example = external_url("meetings.detail", meeting_id=meeting.id) + "#…"
    subject, text, _html = render_email(
        TEMPLATE,
        _context(
            meeting,
            minutes,
            "",
            survey_url=example,
            survey_until=now_utc() + timedelta(days=current_app.config["MEETING_SURVEY_DAYS"]),
            unsubscribe_url="…",
        ),
    )
    return subject, text
