"""Meeting data past its retention period (`flask retention run`, see core.retention and /confidentialite).

- a guest's request never confirmed: deleted once the meeting has started (it can no longer be confirmed);
- guests (and invitees who are not members): name, address and organisation removed some months after
  the meeting;
- members' registrations and invitations: the link to the person, their name and address removed some
  years after the meeting. The rows stay, with the collectivity, status and attendance: the figures of
  past meetings do not change.
"""

from datetime import datetime

import sqlalchemy as sa

from clubess.core.retention import cutoff
from clubess.extensions import db
from clubess.meetings.models import Invitation, Meeting, Registration, RegistrationStatus

#: what an anonymised row keeps in place of the person
ANONYMOUS = "personne anonymisée"


def _not_anonymised(column):
    # a walk-in may have given no address (NULL): it is anonymised too (NOT LIKE alone skips NULL)
    return sa.or_(column.is_(None), ~column.like("anonyme-%@invalid"))


def _ended_before(moment: datetime):
    return sa.select(Meeting.id).where(Meeting.ends_at < moment)


def purge_expired(now: datetime) -> dict[str, int]:
    pending = db.session.execute(
        sa.delete(Registration)
        .where(
            Registration.status == RegistrationStatus.PENDING,
            Registration.meeting_id.in_(sa.select(Meeting.id).where(Meeting.starts_at <= now)),
        )
        .execution_options(synchronize_session=False)
    )
    guests_before = _ended_before(cutoff("guests", now))
    members_before = _ended_before(cutoff("registrations", now))
    guests = _anonymise(
        Registration,
        Registration.is_guest.is_(True),
        Registration.meeting_id.in_(guests_before),
        organisation="",
        share_presence=False,
    )
    invitees = _anonymise(Invitation, Invitation.member_id.is_(None), Invitation.meeting_id.in_(guests_before))
    members = _anonymise(
        Registration,
        Registration.is_guest.is_(False),
        Registration.meeting_id.in_(members_before),
        member_id=None,
        on_behalf_of_id=None,
        registered_by_id=None,
        share_presence=False,
    )
    member_invitees = _anonymise(
        Invitation,
        Invitation.member_id.is_not(None),
        Invitation.meeting_id.in_(members_before),
        member_id=None,
        invited_by_id=None,
    )
    return {
        "unconfirmed_guest_requests": pending.rowcount or 0,
        "guest_registrations": guests,
        "guest_invitations": invitees,
        "member_registrations": members,
        "member_invitations": member_invitees,
    }


def _anonymise(model, *conditions, **values) -> int:
    """Each row gets an address of its own (the meeting's address is unique per person) and no name."""
    prefix = "anonyme-r" if model is Registration else "anonyme-i"
    result = db.session.execute(
        sa.update(model)
        .where(_not_anonymised(model.email), *conditions)
        .values(
            email=sa.literal(prefix) + sa.cast(model.id, sa.String) + sa.literal("@invalid"),
            name=ANONYMOUS,
            **values,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
