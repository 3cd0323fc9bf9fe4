"""The meetings' mails: registrations, waiting list, invitations, updates, cancellations and reminders.

Every mail is an outbox row written in the transaction of the change that causes it. Mails that put
the meeting in a calendar carry an iMIP part (RFC 6047): REQUEST for invitations, confirmations and
updates, CANCEL when the person no longer attends or the meeting is cancelled.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from clubess.core.db import now_utc
from clubess.core.tokens import make_token
from clubess.extensions import db
from clubess.mailing.models import MessageStatus, OutboxMessage, Scope
from clubess.mailing.services import external_url, queue, queue_from_source, render_email, unsubscribe_headers
from clubess.mailing.sources import Rendered
from clubess.mailing.suppression import suppressed_among
from clubess.meetings import ical
from clubess.meetings.models import Invitation, InvitationResponse, Meeting, Registration, RegistrationStatus
from clubess.members.models import Member

TEMPLATE = "meetings/message"


def _context(kind: str, meeting: Meeting, name: str = "", with_link: bool = False, **context) -> dict:
    return {
        "kind": kind,
        "meeting": meeting,
        "name": name,
        "meeting_url": external_url("meetings.detail", meeting_id=meeting.id),
        "with_link": with_link,
        **context,
    }


def _send(
    email: str,
    kind: str,
    meeting: Meeting,
    *,
    method: str | None = None,
    partstat: str = "ACCEPTED",
    name: str = "",
    category: str | None = None,
    dedupe_key: str | None = None,
    reply_to: str | None = None,
    headers: dict | None = None,
    with_link: bool = False,
    **context,
) -> OutboxMessage:
    # the online link goes in the calendar exactly when it goes in the mail: to registrants only
    attachments = [ical.imip_attachment(meeting, method, email, name, partstat, with_link)] if method else None
    return queue(
        email,
        TEMPLATE,
        _context(kind, meeting, name, with_link, **context),
        category=category or f"meetings.{kind}",
        dedupe_key=dedupe_key,
        reply_to=reply_to,
        headers=headers,
        attachments=attachments,
    )


def token_url(endpoint: str, purpose: str, payload: dict, **values) -> str:
    return external_url(endpoint, token=make_token(purpose, payload), **values)


def manage_token(registration: Registration) -> str:
    """The token of the "see or cancel my registration" page (no account needed)."""
    return make_token("meeting-registration", {"r": registration.id})


def _manage_url(registration: Registration) -> str:
    return external_url("registrations.manage", token=manage_token(registration))


# --- registrations ------------------------------------------------------------------------------


def queue_registration_outcome(registration: Registration, registered_by=None) -> None:
    meeting = registration.meeting
    by = getattr(registered_by, "display_name", "") or getattr(registered_by, "email", "")
    if registration.status == RegistrationStatus.REGISTERED:
        _send(
            registration.email,
            "registered",
            meeting,
            method="REQUEST",
            name=registration.name,
            with_link=True,
            registration=registration,
            by=by,
            manage_url=_manage_url(registration),
        )
    elif registration.status == RegistrationStatus.WAITLISTED:
        from clubess.meetings.seats import waitlist_position

        _send(
            registration.email,
            "waitlisted",
            meeting,
            name=registration.name,
            registration=registration,
            by=by,
            position=waitlist_position(registration),
            manage_url=_manage_url(registration),
        )


def queue_replaced(replaced: Registration, delegate: Registration) -> None:
    _send(
        replaced.email,
        "replaced",
        replaced.meeting,
        method="CANCEL",
        name=replaced.name,
        delegate=delegate.name,
    )


def queue_guest_confirmation(registration: Registration) -> None:
    _send(
        registration.email,
        "guest_confirm",
        registration.meeting,
        name=registration.name,
        confirm_url=token_url("registrations.confirm_guest", "meeting-guest", {"r": registration.id}),
    )


def queue_already_registered(registration: Registration) -> None:
    _send(
        registration.email,
        "already_registered",
        registration.meeting,
        name=registration.name,
        registration=registration,
        manage_url=_manage_url(registration),
    )


def queue_cancelled_registration(registration: Registration, by_coordination: bool, had_event: bool) -> None:
    _send(
        registration.email,
        "registration_cancelled",
        registration.meeting,
        method="CANCEL" if had_event else None,
        name=registration.name,
        by_coordination=by_coordination,
    )


def queue_promotion(registration: Registration) -> None:
    if registration.status == RegistrationStatus.REGISTERED:
        queue_registration_outcome(registration)
        return
    payload = {"r": registration.id}
    _send(
        registration.email,
        "offer",
        registration.meeting,
        name=registration.name,
        expires=registration.offer_expires_at,
        accept_url=token_url("registrations.offer", "meeting-offer", payload, answer="oui"),
        decline_url=token_url("registrations.offer", "meeting-offer", payload, answer="non"),
    )


def queue_offer_expired(registration: Registration) -> None:
    _send(registration.email, "offer_expired", registration.meeting, name=registration.name)


# --- invitations --------------------------------------------------------------------------------


INVITATION_SOURCE = "meetings.invitation"


def queue_invitations(invitations: list[Invitation], reply_to: str | None, reminder: bool = False) -> int:
    """Queue the invitations (or their reminders) for the worker to render: one bulk INSERT for any number.

    Each one is written when it is sent, so an invitee who unsubscribed meanwhile gets nothing. Returns
    how many were queued (a reminder already in the outbox is not queued twice).
    """
    if not invitations:
        return 0
    kind = "rsvp_reminder" if reminder else "invitation"
    first = invitations[0]
    subject, _text = preview_invitation(first.meeting, first.email, first.name, kind)  # the same for everyone
    return queue_from_source(
        INVITATION_SOURCE,
        [(i.id, i.email, f"invitation:{i.id}:{i.reminders if reminder else 0}") for i in invitations],
        category="meetings.invitation",
        subject=subject,
        template=kind,
        reply_to=reply_to,
    )


def _invitation_links(invitation: Invitation) -> dict:
    payload = {"i": invitation.id}
    return {
        "yes_url": token_url("registrations.rsvp", "meeting-rsvp", payload, answer="oui"),
        "no_url": token_url("registrations.rsvp", "meeting-rsvp", payload, answer="non"),
    }


class InvitationSource:
    """Outbox messages that are invitations (`source_id` is the Invitation's id, `template` its kind)."""

    name = INVITATION_SOURCE

    def render(self, message: OutboxMessage) -> Rendered | None:
        row = db.session.execute(
            sa.select(Invitation, Member.wants_invitations)
            .outerjoin(Member, Member.id == Invitation.member_id)
            .where(Invitation.id == message.source_id)
        ).first()
        if row is None:
            return None
        invitation, wants_invitations = row
        if wants_invitations is False:
            return None  # the member unsubscribed from invitations since it was queued
        unsubscribe_url, headers = unsubscribe_headers(invitation.email, Scope.INVITATIONS)
        context = _context(
            message.template or "invitation",
            invitation.meeting,
            invitation.name,
            unsubscribe_url=unsubscribe_url,
            **_invitation_links(invitation),
        )
        subject, text, html = render_email(TEMPLATE, context)
        return Rendered(
            subject=subject,
            text=text,
            html=html,
            reply_to=message.reply_to,
            headers=headers,
            attachments=[
                ical.imip_attachment(invitation.meeting, "REQUEST", invitation.email, invitation.name, "NEEDS-ACTION")
            ],
        )

    def outcome(self, message: OutboxMessage, outcome: str, error: str = "") -> None:
        """The invitation keeps no delivery log: the outbox row says what happened."""


def preview_invitation(meeting: Meeting, email: str, name: str, kind: str = "invitation") -> tuple[str, str]:
    """The subject and text of the invitation one recipient would get (links are examples)."""
    example = external_url("meetings.detail", meeting_id=meeting.id) + "#…"
    subject, text, _ = render_email(
        TEMPLATE, _context(kind, meeting, name, yes_url=example, no_url=example, unsubscribe_url="…")
    )
    return subject, text


# --- changes to the meeting ---------------------------------------------------------------------


def _calendar_holders(meeting: Meeting) -> list[tuple[str, str, str]]:
    """(email, name, partstat) of everyone whose calendar holds the event: seated registrants and invitees
    who did not decline (and did not cancel a registration, nor unsubscribe from invitations)."""
    registrations = db.session.scalars(
        sa.select(Registration).where(Registration.meeting_id == meeting.id, Registration.is_walk_in.is_(False))
    ).all()
    holders: dict[str, tuple[str, str, str]] = {}
    gone = set()
    for r in registrations:
        if r.status == RegistrationStatus.REGISTERED:
            holders[r.email.lower()] = (r.email, r.name, "ACCEPTED")
        elif r.status == RegistrationStatus.CANCELLED:
            gone.add(r.email.lower())
    invitations = db.session.scalars(
        sa.select(Invitation).where(
            Invitation.meeting_id == meeting.id, Invitation.response != InvitationResponse.DECLINED
        )
    ).all()
    gone |= suppressed_among([i.email for i in invitations], Scope.INVITATIONS)
    for i in invitations:
        key = i.email.lower()
        if key not in holders and key not in gone:
            holders[key] = (i.email, i.name, "NEEDS-ACTION")
    return sorted(holders.values())


def update_recipients(meeting: Meeting) -> list[tuple[str, str, str]]:
    """Who a change of time, place or link is mailed to (the count the coordinator confirms before saving)."""
    return _calendar_holders(meeting)


def _withdraw_queued(meeting: Meeting, prefix: str) -> int:
    """Cancel the not-yet-sent mails of an earlier change: the new one replaces them."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.status == MessageStatus.QUEUED,
            OutboxMessage.dedupe_key.like(f"{prefix}:{meeting.id}:%"),
        )
        .values(status=MessageStatus.CANCELLED.value, last_error="remplacé par une modification plus récente")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def queue_update(meeting: Meeting) -> int:
    """A material change of a published meeting: everyone holding it gets an update (same UID, SEQUENCE + 1).

    The mails wait MEETING_UPDATE_DELAY_MINUTES in the outbox; a further change within that time
    withdraws them and queues one update with the latest state, so several edits make one mail.
    """
    _withdraw_queued(meeting, "meeting-update")
    delay = timedelta(minutes=current_app.config["MEETING_UPDATE_DELAY_MINUTES"])
    count = 0
    for email, name, partstat in _calendar_holders(meeting):
        message = _send(
            email,
            "update",
            meeting,
            method="REQUEST",
            partstat=partstat,
            name=name,
            dedupe_key=f"meeting-update:{meeting.id}:{meeting.sequence}:{email.lower()}",
            with_link=partstat == "ACCEPTED",  # a registrant, not an invitee
        )
        message.next_attempt_at = now_utc() + delay
        count += 1
    return count


def queue_meeting_cancelled(meeting: Meeting) -> int:
    """Tell everyone `cancellation.people_told` selects (the count the coordinator confirmed); returns how many."""
    from clubess.meetings.cancellation import people_told

    _withdraw_queued(meeting, "meeting-update")
    told = people_told(meeting)
    for person in told:
        _send(
            person.email,
            "meeting_cancelled",
            meeting,
            method="CANCEL" if person.partstat else None,
            partstat=person.partstat or "NEEDS-ACTION",
            name=person.name,
            dedupe_key=f"meeting-cancel:{meeting.id}:{meeting.sequence}:{person.email.lower()}",
            in_calendar=person.partstat is not None,
        )
    return len(told)


# --- reminders ----------------------------------------------------------------------------------


def reminder_key(registration: Registration, days: int) -> str:
    """The outbox dedupe key that makes each reminder go once."""
    return f"meeting-reminder:{registration.meeting_id}:{days}:{registration.id}"


def queue_reminder(registration: Registration, days: int) -> OutboxMessage:
    return _send(
        registration.email,
        "reminder",
        registration.meeting,
        name=registration.name,
        dedupe_key=reminder_key(registration, days),
        with_link=registration.status == RegistrationStatus.REGISTERED,
        days=days,
        registration=registration,
        manage_url=_manage_url(registration),
    )
