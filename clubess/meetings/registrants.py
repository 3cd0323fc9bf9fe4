"""A meeting's registrations as coordinators handle them: the filtered list, counts by status."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.meetings.models import AttendMode, Meeting, Registration, RegistrationStatus

#: registrations a page of the coordinators' list shows
PER_PAGE = 50


def _registrations(actor, meeting: Meeting, status: str = "", mode: str = "", q: str = ""):
    """The coordinators' query of a meeting's registrations, filtered, in the list's order."""
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
    return stmt


def list_registrations(actor, meeting: Meeting, status: str = "", mode: str = "", q: str = "", page: int = 1):
    """One page of the coordinators' list of a meeting's registrations, filtered (4 queries whatever the size)."""
    stmt = _registrations(actor, meeting, status=status, mode=mode, q=q)
    return db.paginate(stmt, page=max(1, page), per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)


def iter_registrations(actor, meeting: Meeting, status: str = "", mode: str = "", q: str = "", chunk: int = 500):
    """Every registration of the filtered list, in its order, as lists of `chunk` registrations read one
    list at a time when iterated (the CSV export streams them: only the ids are held between chunks).

    Checks the actor's right at once; reads nothing until iterated, in whatever session is current then."""
    stmt = _registrations(actor, meeting, status=status, mode=mode, q=q)

    def chunks():
        ids = list(db.session.scalars(stmt.with_only_columns(Registration.id)))
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            found = {
                r.id: r
                for r in db.session.scalars(
                    sa.select(Registration)
                    .where(Registration.id.in_(part))
                    .options(selectinload(Registration.on_behalf_of))
                )
            }
            yield [found[i] for i in part if i in found]

    return chunks()


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
