"""A meeting's registration figures as coordinators read them: counted in one query, in one place."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from clubess.extensions import db
from clubess.meetings.models import SEATED, AttendMode, Meeting, MeetingFormat, Registration, RegistrationStatus


@dataclass
class RegistrantFigures:
    #: registrations per status (every status present, 0 when none)
    by_status: dict[str, int] = field(default_factory=dict)
    #: registered people following a hybrid meeting online (they take no seat of the room)
    registered_online: int = 0
    capacity: int | None = None
    #: seats held against the capacity: registered and offered, in the room for a hybrid meeting
    seats_taken: int = 0
    #: people who came without registering (clubess.meetings.attendance): in no other figure, holding no seat
    walk_ins: int = 0

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.seats_taken)


def registrant_figures(meeting: Meeting) -> RegistrantFigures:
    """The same rule as the registrations' capacity check (`seats.seats_taken`), counted once."""
    figures = RegistrantFigures(by_status={s.value: 0 for s in RegistrationStatus}, capacity=meeting.capacity)
    rows = db.session.execute(
        sa.select(Registration.status, Registration.mode, Registration.is_walk_in, sa.func.count())
        .where(Registration.meeting_id == meeting.id)
        .group_by(Registration.status, Registration.mode, Registration.is_walk_in)
    )
    hybrid = meeting.format == MeetingFormat.HYBRID
    for status, mode, walk_in, count in rows:
        if walk_in:
            figures.walk_ins += count if status == RegistrationStatus.REGISTERED else 0
            continue
        figures.by_status[status] = figures.by_status.get(status, 0) + count
        online = mode == AttendMode.ONLINE
        if status == RegistrationStatus.REGISTERED and hybrid and online:
            figures.registered_online += count
        if status in SEATED and not (hybrid and online):
            figures.seats_taken += count
    return figures
