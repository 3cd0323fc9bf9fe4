"""Seats and the waiting list: whether a meeting is open, the row lock, taking and freeing a place, promotion.

Every change of seats starts with `lock(meeting)`: an UPDATE of the meeting row. On PostgreSQL it
holds the row lock until commit, so concurrent registrations to one meeting are serialised and each
count sees the previous ones (READ COMMITTED takes a new snapshot per statement). On SQLite the
UPDATE is the transaction's first write: it takes the database's write lock (waiting for it),
and the count that follows sees every committed row.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError
from clubess.extensions import db
from clubess.meetings import notifications
from clubess.meetings.models import (
    SEATED,
    AttendMode,
    Invitation,
    InvitationResponse,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)

ACTIVE = (
    RegistrationStatus.REGISTERED.value,
    RegistrationStatus.OFFERED.value,
    RegistrationStatus.WAITLISTED.value,
)


def lock(meeting: Meeting) -> None:
    """Serialise the seat changes of one meeting until the transaction ends (see the module's doc)."""
    db.session.flush()
    db.session.execute(
        sa.update(Meeting)
        .where(Meeting.id == meeting.id)
        .values(updated_at=Meeting.updated_at)
        .execution_options(synchronize_session=False)
    )


def _counts_against_capacity(meeting: Meeting, mode: str) -> bool:
    # In a hybrid meeting the capacity is the room's: following online takes no seat.
    return not (meeting.format == MeetingFormat.HYBRID and mode == AttendMode.ONLINE)


def seats_taken(meeting: Meeting) -> int:
    stmt = sa.select(sa.func.count()).where(
        Registration.meeting_id == meeting.id, Registration.status.in_(SEATED), Registration.is_walk_in.is_(False)
    )
    if meeting.format == MeetingFormat.HYBRID:
        stmt = stmt.where(Registration.mode == AttendMode.IN_PERSON)
    return db.session.scalar(stmt) or 0


def seats_left(meeting: Meeting) -> int | None:
    """Free seats, or None when the meeting has no capacity limit."""
    if meeting.capacity is None:
        return None
    return max(0, meeting.capacity - seats_taken(meeting))


def _has_room(meeting: Meeting, mode: str) -> bool:
    if meeting.capacity is None or not _counts_against_capacity(meeting, mode):
        return True
    if _queue_exists(meeting):
        return False  # first come, first served: nobody overtakes the waiting list
    return seats_taken(meeting) < meeting.capacity


def _queue_exists(meeting: Meeting) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.WAITLISTED
            )
        )
        > 0
    )


def check_open(meeting: Meeting, now: datetime | None = None) -> None:
    """Refuse when the meeting cannot take registrations any more (or not yet)."""
    now = now or now_utc()
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Cette rencontre est annulée : les inscriptions sont fermées."))
    if meeting.status != MeetingStatus.PUBLISHED:
        raise DomainError(_("Les inscriptions à cette rencontre ne sont pas ouvertes."))
    if meeting.starts_at <= now:
        raise DomainError(_("Cette rencontre a déjà commencé : les inscriptions sont closes."))
    if meeting.registration_deadline and meeting.registration_deadline < now:
        raise DomainError(_("Les inscriptions sont closes depuis la date limite."))


def check_mode(meeting: Meeting, mode: str) -> str:
    """How the person attends: set by the meeting's format, chosen (and checked) only for a hybrid one."""
    if meeting.format == MeetingFormat.ONLINE:
        return AttendMode.ONLINE.value
    if meeting.format == MeetingFormat.IN_PERSON:
        return AttendMode.IN_PERSON.value
    if mode not in set(AttendMode):
        raise DomainError(_("Choisissez de venir sur place ou de suivre en ligne."), field="mode")
    return mode


def existing(meeting: Meeting, email: str) -> Registration | None:
    """The registration of this address to the meeting, whatever its status (one row per address)."""
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.meeting_id == meeting.id, sa.func.lower(Registration.email) == email.lower()
        )
    )


def take_place(registration: Registration, after: Registration | None = None) -> None:
    """A seat if one is free, else the end of the waiting list; `after`: take over that registration's place.

    The caller holds the meeting's lock.
    """
    if after is not None:
        registration.status, registration.queued_at = after.status, after.queued_at
        registration.offer_expires_at = after.offer_expires_at
    else:
        has_room = _has_room(registration.meeting, registration.mode)
        registration.status = (RegistrationStatus.REGISTERED if has_room else RegistrationStatus.WAITLISTED).value
        registration.queued_at = now_utc()
        registration.offer_expires_at = None
    registration.cancelled_at = None
    if registration.id is None:
        db.session.add(registration)
    db.session.flush()


# --- freeing a place and the waiting list -----------------------------------------------------


def withdraw(registration: Registration, actor=None, by_coordination: bool = False) -> None:
    """The seat-freeing part of a cancellation (authorisation is the caller's)."""
    meeting = registration.meeting
    lock(meeting)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return
    had_seat = registration.holds_seat
    was_registered = registration.status == RegistrationStatus.REGISTERED
    mark_cancelled(registration)
    mark_invitation(meeting, registration.email, InvitationResponse.DECLINED)
    record(actor, "registration.cancelled", registration, meeting=meeting.id, by_coordination=by_coordination)
    notifications.queue_cancelled_registration(registration, by_coordination=by_coordination, had_event=was_registered)
    if had_seat and meeting.status == MeetingStatus.PUBLISHED and meeting.starts_at > now_utc():
        promote(meeting)


def mark_cancelled(registration: Registration) -> None:
    """The registration's status only: freeing its seat, mail and audit are the caller's."""
    registration.status = RegistrationStatus.CANCELLED.value
    registration.cancelled_at = now_utc()
    registration.offer_expires_at = None


def offer_window(meeting: Meeting, now: datetime) -> datetime | None:
    """Until when a freed seat is held; None when the meeting is too close to wait for an answer."""
    expires = min(
        now + timedelta(hours=current_app.config["MEETING_OFFER_HOURS"]), meeting.starts_at - timedelta(hours=2)
    )
    return expires if expires - now >= timedelta(hours=1) else None


def promote(meeting: Meeting) -> list[Registration]:
    """Offer the free seats to the waiting list, in order. The caller holds the meeting's lock."""
    if meeting.capacity is None:
        queue = _queue(meeting, limit=None)
    else:
        free = meeting.capacity - seats_taken(meeting)
        queue = _queue(meeting, limit=max(0, free)) if free > 0 else []
    now = now_utc()
    promoted = []
    for registration in queue:
        expires = offer_window(meeting, now)
        if expires is None:
            registration.status = RegistrationStatus.REGISTERED.value
        else:
            registration.status = RegistrationStatus.OFFERED.value
            registration.offer_expires_at = expires
        promoted.append(registration)
        record(None, "registration.promoted", registration, meeting=meeting.id, status=registration.status)
        notifications.queue_promotion(registration)
    db.session.flush()
    return promoted


def _queue(meeting: Meeting, limit: int | None) -> list[Registration]:
    stmt = (
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.queued_at, Registration.id)
    )
    if meeting.format == MeetingFormat.HYBRID:
        stmt = stmt.where(Registration.mode == AttendMode.IN_PERSON)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def capacity_changed(meeting: Meeting) -> None:
    """After a coordinator raised the capacity: offer the new seats."""
    if meeting.status == MeetingStatus.PUBLISHED and meeting.starts_at > now_utc():
        lock(meeting)
        promote(meeting)


def mark_invitation(meeting: Meeting, email: str, response: InvitationResponse) -> None:
    """Record on the address's invitation, if any, that registering or cancelling answered it."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(
            Invitation.meeting_id == meeting.id, sa.func.lower(Invitation.email) == email.lower()
        )
    )
    if invitation is not None and invitation.response != response:
        invitation.response = response.value
        invitation.responded_at = now_utc()


def waitlist_position(registration: Registration) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Registration.meeting_id == registration.meeting_id,
                Registration.status == RegistrationStatus.WAITLISTED,
                sa.or_(
                    Registration.queued_at < registration.queued_at,
                    sa.and_(Registration.queued_at == registration.queued_at, Registration.id < registration.id),
                ),
            )
        )
        + 1
    )
