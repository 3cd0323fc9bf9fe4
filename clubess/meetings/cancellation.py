"""Who is told when a meeting is cancelled.

One function selects them: the cancellation mails are queued from it and the coordinator's confirmation
counts it, so the figure shown before the click is the number of mails queued after it.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from clubess.extensions import db
from clubess.meetings.models import Invitation, InvitationResponse, Meeting, Registration, RegistrationStatus

REGISTERED, WAITLISTED, INVITED = "registered", "waitlisted", "invited"


@dataclass(frozen=True)
class Told:
    email: str
    name: str
    #: REGISTERED (a seat), WAITLISTED (in the queue, or offered a seat) or INVITED (invited, no answer or yes)
    group: str
    #: their calendar holds the event (registration or invitation): the mail carries METHOD:CANCEL with this
    #: PARTSTAT; None when it does not (waiting list only): a plain mail
    partstat: str | None


def people_told(meeting: Meeting) -> list[Told]:
    """Everyone a cancellation concerns, once per address, in a stable order (two queries).

    Registered people and those on the waiting list (or offered a seat); invitees who did not decline
    and did not cancel a registration. Guests who never confirmed their address are not told.
    """
    registrations = db.session.scalars(
        sa.select(Registration).where(Registration.meeting_id == meeting.id, Registration.is_walk_in.is_(False))
    ).all()
    invited = {
        i.email.lower(): i
        for i in db.session.scalars(
            sa.select(Invitation).where(
                Invitation.meeting_id == meeting.id, Invitation.response != InvitationResponse.DECLINED
            )
        )
    }
    told: dict[str, Told] = {}
    gone = set()
    for r in registrations:
        key = r.email.lower()
        if r.status == RegistrationStatus.REGISTERED:
            told[key] = Told(r.email, r.name, REGISTERED, "ACCEPTED")
        elif r.status in (RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED):
            told[key] = Told(r.email, r.name, WAITLISTED, "NEEDS-ACTION" if key in invited else None)
        elif r.status == RegistrationStatus.CANCELLED:
            gone.add(key)
    for key, i in invited.items():
        if key not in told and key not in gone:
            told[key] = Told(i.email, i.name, INVITED, "NEEDS-ACTION")
    return sorted(told.values(), key=lambda t: (t.group != REGISTERED, t.group != WAITLISTED, t.name, t.email))


def count_by_group(told: list[Told]) -> dict[str, int]:
    counts = {REGISTERED: 0, WAITLISTED: 0, INVITED: 0}
    for person in told:
        counts[person.group] += 1
    return counts
