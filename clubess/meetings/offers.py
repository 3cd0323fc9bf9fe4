"""Offers of a freed seat (made by `seats.promote`): confirming, declining, and expiry after the delay."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError
from clubess.extensions import db
from clubess.meetings import notifications, seats
from clubess.meetings.models import Meeting, MeetingStatus, Registration, RegistrationStatus


def accept_offer(registration: Registration) -> Registration:
    meeting = registration.meeting
    seats.lock(meeting)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.REGISTERED:
        return registration
    if registration.status != RegistrationStatus.OFFERED or (
        registration.offer_expires_at and registration.offer_expires_at < now_utc()
    ):
        raise DomainError(_("Cette place n’est plus disponible : le délai pour la confirmer est passé."))
    if meeting.status != MeetingStatus.PUBLISHED:
        raise DomainError(_("Cette rencontre est annulée."))
    registration.status = RegistrationStatus.REGISTERED.value
    registration.offer_expires_at = None
    record(None, "registration.offer_accepted", registration, meeting=meeting.id)
    notifications.queue_registration_outcome(registration)
    return registration


def decline_offer(registration: Registration) -> None:
    meeting = registration.meeting
    seats.lock(meeting)
    db.session.refresh(registration)
    if registration.status not in (RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED):
        raise DomainError(_("Cette proposition n’est plus valable."))
    seats.mark_cancelled(registration)
    record(None, "registration.offer_declined", registration, meeting=meeting.id)
    notifications.queue_cancelled_registration(registration, by_coordination=False, had_event=False)
    if meeting.status == MeetingStatus.PUBLISHED:
        seats.promote(meeting)


def expire_offers(now: datetime | None = None) -> int:
    """Offers not confirmed in time are withdrawn and the seat goes to the next person. Returns how many expired."""
    now = now or now_utc()
    meeting_ids = db.session.scalars(
        sa.select(Registration.meeting_id)
        .where(Registration.status == RegistrationStatus.OFFERED, Registration.offer_expires_at < now)
        .distinct()
    ).all()
    expired = 0
    for meeting_id in meeting_ids:
        meeting = db.session.get(Meeting, meeting_id)
        seats.lock(meeting)
        late = db.session.scalars(
            sa.select(Registration).where(
                Registration.meeting_id == meeting_id,
                Registration.status == RegistrationStatus.OFFERED,
                Registration.offer_expires_at < now,
            )
        ).all()
        for registration in late:
            seats.mark_cancelled(registration)
            record(None, "registration.offer_expired", registration, meeting=meeting_id)
            notifications.queue_offer_expired(registration)
            expired += 1
        if meeting.status == MeetingStatus.PUBLISHED and meeting.starts_at > now:
            seats.promote(meeting)
    return expired
