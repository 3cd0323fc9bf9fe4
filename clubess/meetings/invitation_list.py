"""The coordinators' list of a meeting's invitees: each one's answer read beside their registration, paged,
with the count of each answer (the same in SQL whatever the number of invitees)."""

from dataclasses import dataclass

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.core.pagination import Page, paginate_rows
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.meetings.models import Invitation, InvitationResponse, Meeting, Registration, RegistrationStatus

PER_PAGE = 50
STATES = ("registered", "waitlisted", "declined", "no_answer")


@dataclass
class InvitationRow:
    invitation: Invitation
    registration_status: str | None
    state: str


def _state():
    """One word for the coordinator: registered, waitlisted, declined or no_answer (a cancelled registration
    is a refusal; a registration counts before the answer to the invitation)."""
    return sa.case(
        (Registration.status.in_([RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED]), "registered"),
        (Registration.status == RegistrationStatus.WAITLISTED, "waitlisted"),
        (
            sa.or_(
                Invitation.response == InvitationResponse.DECLINED, Registration.status == RegistrationStatus.CANCELLED
            ),
            "declined",
        ),
        else_="no_answer",
    )


def _with_registration(stmt, meeting: Meeting):
    # both addresses are stored normalised, in lower case (core.emails): a plain equality, which the index on
    # (meeting, email) serves; lower() on both sides compared every invitee with every registration
    return stmt.outerjoin(
        Registration,
        sa.and_(Registration.meeting_id == meeting.id, Registration.email == Invitation.email),
    ).where(Invitation.meeting_id == meeting.id)


def list_invitations(actor, meeting: Meeting, state: str = "", page: int = 1, summary: dict | None = None) -> Page:
    """One page of the invitees (by name), each with their answer; `state` keeps one answer (2 queries, 1
    when `summary` from `invitation_summary` gives the count)."""
    require_role(actor, Role.COORDINATOR)
    state = state if state in STATES else ""
    state_col = _state()
    stmt = _with_registration(sa.select(Invitation, Registration.status, state_col.label("state")), meeting)
    if state:
        stmt = stmt.where(state_col == state)
    total = summary[state or "invited"] if summary is not None else None
    ordered = stmt.order_by(Invitation.name, Invitation.email, Invitation.id)
    result = paginate_rows(db.session, ordered, page, PER_PAGE, total=total)
    result.items = [InvitationRow(i, status, s) for i, status, s in result.items]
    return result


def invitation_summary(meeting: Meeting) -> dict[str, int]:
    """How many were invited, and how many gave each answer (1 query)."""
    state_col = _state()
    rows = db.session.execute(
        _with_registration(sa.select(state_col, sa.func.count()).select_from(Invitation), meeting).group_by(state_col)
    )
    summary = {"invited": 0, **dict.fromkeys(STATES, 0)}
    for state, count in rows:
        summary[state] += count
        summary["invited"] += count
    return summary


def count_reminder_recipients(meeting: Meeting, now=None) -> int:
    """How many invitees a reminder would go to now (`invitations.reminder_recipients`, counted in one query
    instead of reading every invitee and every registration: the list's button shows it on every request).

    Suppressions are compared on plain addresses (`not_suppressed`): an erased person's address left the
    invitations with them, so the fingerprints the sending side also checks match no invitee here."""
    from clubess.mailing.models import Scope
    from clubess.mailing.suppression import not_suppressed
    from clubess.meetings.invitations import reminder_due

    due = reminder_due(meeting, now or now_utc())
    counted = sa.select(sa.func.count()).select_from(Invitation).where(*due)
    return db.session.scalar(counted.where(not_suppressed(Invitation.email, Scope.INVITATIONS))) or 0
