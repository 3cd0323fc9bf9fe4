"""A meeting's registrations as coordinators handle them: the filtered list, counts by status."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.meetings.models import AttendMode, Meeting, Registration, RegistrationStatus


def list_registrations(actor, meeting: Meeting, status: str = "", mode: str = "", q: str = "") -> list[Registration]:
    """Coordinators' list of a meeting's registrations, filtered (3 queries whatever the size)."""
    require_role(actor, Role.COORDINATOR)
    stmt = (
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id)
        .options(
            selectinload(Registration.member),
            selectinload(Registration.on_behalf_of),
        )
        .order_by(
            sa.case(
                (Registration.status == RegistrationStatus.REGISTERED, 0),
                (Registration.status == RegistrationStatus.OFFERED, 1),
                (Registration.status == RegistrationStatus.WAITLISTED, 2),
                (Registration.status == RegistrationStatus.PENDING, 3),
                else_=4,
            ),
            Registration.queued_at,
            Registration.id,
        )
    )
    if status in set(RegistrationStatus):
        stmt = stmt.where(Registration.status == status)
    if mode in set(AttendMode):
        stmt = stmt.where(Registration.mode == mode)
    if q.strip():
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Registration.name).like(like),
                sa.func.lower(Registration.organisation).like(like),
                sa.func.lower(Registration.email).like(like),
            )
        )
    return list(db.session.scalars(stmt))


def registration_counts(meeting_ids: list[int]) -> dict[int, dict[str, int]]:
    """{meeting id: {status: count}} in one query."""
    counts: dict[int, dict[str, int]] = {}
    if not meeting_ids:
        return counts
    rows = db.session.execute(
        sa.select(Registration.meeting_id, Registration.status, sa.func.count())
        .where(Registration.meeting_id.in_(meeting_ids))
        .group_by(Registration.meeting_id, Registration.status)
    )
    for meeting_id, status, count in rows:
        counts.setdefault(meeting_id, {})[status] = count
    return counts
