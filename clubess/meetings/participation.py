"""Participation of the member collectivities across a year's meetings: who came, how often, who never came.

A collectivity came to a meeting when at least one of its people was marked present there (a walk-in
counts; `Registration.collectivity_id` is the person's collectivity, so someone standing in for an élu
counts for the same collectivity once). The member collectivities of a year are those that were members
at some point of it (joined before its end, not left before its start). Cancelled and draft meetings
never count. Every figure comes from one query, whatever the number of collectivities and meetings.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.core.permissions import Role, require_role
from clubess.core.timezone import tz
from clubess.extensions import db
from clubess.meetings.attendance import sort_text
from clubess.meetings.models import Attendance, Meeting, MeetingKind, MeetingStatus, Registration
from clubess.members.hierarchy import departments_of, in_department
from clubess.members.models import Collectivity, CollectivityStatus, Territory

#: meetings that took place (or are taking place): attendance is only recorded for these
COUNTED = (MeetingStatus.PUBLISHED.value, MeetingStatus.HELD.value)


@dataclass
class ParticipationRow:
    collectivity_id: int
    name: str
    #: every département it is found under, space-separated (Territory.department_codes)
    department_codes: str
    territory_kind: str
    #: meetings at which at least one of its people was present
    meetings: int
    #: different people present at least once
    people: int
    #: presences added up (one person at three meetings: 3)
    presences: int

    @property
    def departments_label(self) -> str:
        return ", ".join(self.department_codes.split())


@dataclass
class Participation:
    year: int
    meeting_kind: str
    #: meetings of the year (of the kind) that have started, cancelled and drafts aside
    meetings_held: int
    rows: list[ParticipationRow] = field(default_factory=list)

    @property
    def came(self) -> list[ParticipationRow]:
        return [r for r in self.rows if r.meetings]

    @property
    def never_came(self) -> list[ParticipationRow]:
        return [r for r in self.rows if not r.meetings]


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year in the club's timezone: a meeting on 31 December at 23:30 in Paris belongs to it."""
    zone = tz()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def current_year() -> int:
    return now_utc().astimezone(tz()).year


def available_years() -> list[int]:
    """From the first meeting's year to the last one's (and this year), newest first (one query)."""
    first, last = db.session.execute(sa.select(sa.func.min(Meeting.starts_at), sa.func.max(Meeting.starts_at))).one()
    years = {current_year()}
    if first is not None and last is not None:
        years |= set(range(first.astimezone(tz()).year, last.astimezone(tz()).year + 1))
    return sorted(years, reverse=True)


def meeting_filters(year: int, meeting_kind: str, window: tuple[datetime, datetime] | None = None) -> list:
    """SQL conditions on Meeting: of the year (or window) and of the kind, cancelled and drafts aside."""
    start, end = window or year_bounds(year)
    filters = [Meeting.starts_at >= start, Meeting.starts_at < end, Meeting.status.in_(COUNTED)]
    if meeting_kind in set(MeetingKind):
        filters.append(Meeting.kind == meeting_kind)
    return filters


def members_of_year(year: int, window: tuple[datetime, datetime] | None = None) -> list:
    """SQL conditions on Collectivity: a member at some point of the year (or window), one that left included."""
    start, end = window or year_bounds(year)
    return [
        Collectivity.status.in_((CollectivityStatus.ACTIVE.value, CollectivityStatus.LEFT.value)),
        sa.or_(Collectivity.joined_on.is_(None), Collectivity.joined_on < end.date()),
        sa.or_(Collectivity.left_on.is_(None), Collectivity.left_on >= start.date()),
    ]


def participation(
    actor,
    year: int,
    meeting_kind: str = "",
    department: str = "",
    territory_kind: str = "",
    inside: sa.Select | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> Participation:
    """Each member collectivity of the year with its figures (2 queries). `inside`: only the collectivities
    whose territory id it selects (clubess.members.hierarchy.inside); `window`: (start, end) instead of the
    year (the territory pages count the last twelve months)."""
    require_role(actor, Role.COORDINATOR)
    on_meetings = meeting_filters(year, meeting_kind, window)
    held = db.session.scalar(
        sa.select(sa.func.count()).select_from(Meeting).where(*on_meetings, Meeting.starts_at <= now_utc())
    )
    present = (
        sa.select(
            Registration.collectivity_id.label("collectivity_id"),
            sa.func.count(sa.distinct(Registration.meeting_id)).label("meetings"),
            sa.func.count(sa.distinct(Registration.member_id)).label("people"),
            sa.func.count().label("presences"),
        )
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .where(
            Registration.attendance == Attendance.PRESENT,
            Registration.collectivity_id.is_not(None),
            *on_meetings,
        )
        .group_by(Registration.collectivity_id)
        .subquery()
    )
    stmt = (
        sa.select(
            Collectivity.id,
            Territory.name,
            Territory.department_codes,
            Territory.kind,
            sa.func.coalesce(present.c.meetings, 0),
            sa.func.coalesce(present.c.people, 0),
            sa.func.coalesce(present.c.presences, 0),
        )
        .join(Territory, Territory.id == Collectivity.territory_id)
        .outerjoin(present, present.c.collectivity_id == Collectivity.id)
        .where(*members_of_year(year, window))
    )
    if inside is not None:
        stmt = stmt.where(Territory.id.in_(inside))
    if department:
        stmt = stmt.where(Territory.id.in_(in_department(department)))
    if territory_kind:
        stmt = stmt.where(Territory.kind == territory_kind)
    rows = [ParticipationRow(*row) for row in db.session.execute(stmt)]
    rows.sort(key=lambda r: (-r.meetings, -r.people, sort_text(r.name), r.collectivity_id))
    return Participation(year=year, meeting_kind=meeting_kind, meetings_held=held or 0, rows=rows)


def member_departments(year: int) -> list[tuple[str, str]]:
    """(code, name) of the départements of the year's member collectivities, for the filter (one query)."""
    department = departments_of()
    rows = db.session.execute(
        sa.select(department.c.code, department.c.name)
        .select_from(Collectivity)
        .join(department, department.c.territory_id == Collectivity.territory_id)
        .where(*members_of_year(year))
        .distinct()
        .order_by(department.c.code)
    ).all()
    return [(code, name or code) for code, name in rows]


@dataclass
class ParticipationSummary:
    """What anyone may read of the participation of the collectivities of a territory: counts, no names."""

    #: member collectivities of the period
    members: int
    #: of which at least one person was present at a meeting
    came: int
    #: meetings at which at least one of their people was present
    meetings: int
    #: different people present at least once
    people: int
    #: presences added up
    presences: int


def summary(inside: sa.Select, window: tuple[datetime, datetime]) -> ParticipationSummary:
    """The counts of `participation` for the collectivities whose territory id `inside` selects, over `window`,
    by the same rules (public: no collectivity named; 2 queries)."""
    on_meetings = meeting_filters(window[0].year, "", window)
    members = (
        sa.select(Collectivity.id)
        .join(Territory, Territory.id == Collectivity.territory_id)
        .where(*members_of_year(window[0].year, window), Territory.id.in_(inside))
    )
    count = db.session.scalar(sa.select(sa.func.count()).select_from(members.subquery()))
    came, meetings, people, presences = db.session.execute(
        sa.select(
            sa.func.count(sa.distinct(Registration.collectivity_id)),
            sa.func.count(sa.distinct(Registration.meeting_id)),
            sa.func.count(sa.distinct(Registration.member_id)),
            sa.func.count(),
        )
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .where(
            Registration.attendance == Attendance.PRESENT,
            Registration.collectivity_id.in_(members),
            *on_meetings,
        )
    ).one()
    return ParticipationSummary(count or 0, came or 0, meetings or 0, people or 0, presences or 0)
