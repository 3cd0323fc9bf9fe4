"""What a member's personal calendar feed lists, and which of its events carry the online link."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from clubess.extensions import db
from clubess.meetings.models import (
    AgendaItem,
    Invitation,
    InvitationResponse,
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from clubess.meetings.services import VISIBLE
from clubess.members.models import Member

#: registrations that put a meeting in the person's feed (a guest who has not confirmed is not there yet)
LISTED = (
    RegistrationStatus.REGISTERED.value,
    RegistrationStatus.WAITLISTED.value,
    RegistrationStatus.OFFERED.value,
)


def _mine(model, user):
    """Rows of `model` (Registration or Invitation) that are this user's: through their member person or address."""
    return sa.or_(
        model.member_id.in_(sa.select(Member.id).where(Member.user_id == user.id)),
        sa.func.lower(model.email) == user.email.lower(),
    )


def personal_meetings(user) -> tuple[list[Meeting], set[int]]:
    """The meetings a user is registered for (seat, waiting list or offer) or invited to and did not decline,
    and the ids of those where their seat is confirmed: the only ones whose online link the feed carries.

    Someone who cancelled their registration no longer has the meeting, even if invited (4 queries).
    """
    registrations = db.session.execute(
        sa.select(Registration.meeting_id, Registration.status).where(_mine(Registration, user))
    ).all()
    listed = {meeting_id for meeting_id, status in registrations if status in LISTED}
    cancelled = {meeting_id for meeting_id, status in registrations if status == RegistrationStatus.CANCELLED}
    linked = {meeting_id for meeting_id, status in registrations if status == RegistrationStatus.REGISTERED}
    invited = set(
        db.session.scalars(
            sa.select(Invitation.meeting_id).where(
                _mine(Invitation, user), Invitation.response != InvitationResponse.DECLINED
            )
        )
    )
    ids = listed | (invited - cancelled)
    if not ids:
        return [], set()
    meetings = list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.id.in_(ids), Meeting.status.in_(VISIBLE))
            .options(selectinload(Meeting.items).selectinload(AgendaItem.speakers))
            .order_by(Meeting.starts_at)
        )
    )
    return meetings, {m.id for m in meetings if m.id in linked and m.status != MeetingStatus.CANCELLED}
