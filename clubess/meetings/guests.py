"""Registrations without an account: a visitor's, once their address is confirmed, and an invitee's yes by mail."""

from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.errors import DomainError
from clubess.extensions import db
from clubess.meetings import notifications, seats
from clubess.meetings.models import (
    AttendMode,
    Audience,
    Invitation,
    InvitationResponse,
    Meeting,
    Registration,
    RegistrationStatus,
)
from clubess.meetings.registrations import as_member


def request_guest_registration(meeting: Meeting, name: str, organisation: str, email: str, mode: str) -> Registration:
    """A visitor asks for a seat at a public meeting; the seat is only taken once the address is confirmed.

    The answer is the same whether or not the address was already registered (no address probing).
    """
    if meeting.audience != Audience.PUBLIC:
        raise DomainError(_("Cette rencontre est réservée aux membres du club."))
    seats.check_open(meeting)
    mode = seats.check_mode(meeting, mode)
    email = email.strip()
    existing = seats.existing(meeting, email)
    if existing is not None and existing.status in seats.ACTIVE:
        notifications.queue_already_registered(existing)
        return existing
    registration = existing or Registration(meeting=meeting, email=email)
    registration.member_id = None
    registration.collectivity_id = None
    registration.name = name.strip()
    registration.organisation = organisation.strip()
    registration.is_guest = True
    registration.mode = mode
    registration.status = RegistrationStatus.PENDING.value
    registration.cancelled_at = None
    if registration.id is None:
        db.session.add(registration)
    db.session.flush()
    notifications.queue_guest_confirmation(registration)
    return registration


def confirm_guest(registration: Registration) -> Registration:
    """The guest followed the link in the mail: their address is real, they take a seat (or queue)."""
    if registration.status in seats.ACTIVE:
        return registration
    if registration.status != RegistrationStatus.PENDING:
        raise DomainError(_("Cette demande d’inscription a été annulée."))
    meeting = registration.meeting
    seats.check_open(meeting)
    seats.lock(meeting)
    db.session.refresh(registration)
    if registration.status != RegistrationStatus.PENDING:
        return registration
    seats.take_place(registration)
    seats.mark_invitation(meeting, registration.email, InvitationResponse.ACCEPTED)
    record(None, "registration.guest_confirmed", registration, meeting=meeting.id, status=registration.status)
    notifications.queue_registration_outcome(registration)
    return registration


def register_invitee(invitation: Invitation) -> Registration:
    """An invitee answered yes from the mail: a member gets a member registration, anyone else a guest one."""
    meeting = invitation.meeting
    member = invitation.member if invitation.member is not None and invitation.member.anonymised_at is None else None
    email = member.email if member is not None else invitation.email
    existing = seats.existing(meeting, email)
    if existing is not None and existing.status in seats.ACTIVE:
        return existing
    seats.check_open(meeting)
    seats.lock(meeting)
    registration = existing or Registration(meeting=meeting, email=email)
    if member is not None:
        as_member(registration, member)
    else:
        registration.name = invitation.name or invitation.email
        registration.is_guest = True
    registration.mode = seats.check_mode(meeting, AttendMode.IN_PERSON.value)
    seats.take_place(registration)
    record(None, "registration.from_invitation", registration, meeting=meeting.id, status=registration.status)
    notifications.queue_registration_outcome(registration)
    return registration
