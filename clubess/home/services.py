"""What the member home shows one person: their next registrations, the meetings open to them, their
collectivity's open commitments and problems, the new practices of their levers. Reads only; one query per
list (seven in all, whatever the size of the club)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from clubess.commitments.models import OPEN as OPEN_COMMITMENTS
from clubess.commitments.models import Commitment
from clubess.core.timezone import tz
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.meetings.models import Meeting, MeetingStatus, Registration, RegistrationStatus
from clubess.meetings.seats import ACTIVE as ACTIVE_REGISTRATIONS
from clubess.members.models import Member
from clubess.practices.models import Practice, PracticeStatus, Problem

#: how many items each list shows (each links to the full page)
LIMIT = 5
#: a practice is new for this long after it is published
NEW_FOR = timedelta(days=90)


@dataclass
class MemberHome:
    registrations: list[Registration] = field(default_factory=list)
    open_meetings: list[Meeting] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    open_commitments: int = 0
    problems: list[Problem] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)
    #: the levers the practices were chosen for (the person's interests); empty: every lever
    levers: list[str] = field(default_factory=list)


def _mine(user):
    """A registration of this user: their own, or one they made for a colleague."""
    return sa.or_(
        Registration.member_id.in_(sa.select(Member.id).where(Member.user_id == user.id)),
        Registration.registered_by_id == user.id,
    )


def next_registrations(user, now: datetime) -> list[Registration]:
    stmt = (
        sa.select(Registration)
        .join(Registration.meeting)
        .options(contains_eager(Registration.meeting))
        .where(
            _mine(user),
            Registration.status != RegistrationStatus.CANCELLED,
            Registration.is_walk_in.is_(False),
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.ends_at >= now,
        )
        .order_by(Meeting.starts_at, Registration.id)
        .limit(LIMIT)
    )
    return list(db.session.scalars(stmt))


def meetings_open_to(user, now: datetime) -> list[Meeting]:
    """Published meetings still taking registrations that the person has not registered to."""
    registered = sa.select(Registration.meeting_id).where(
        Registration.member_id.in_(sa.select(Member.id).where(Member.user_id == user.id)),
        Registration.status.in_(ACTIVE_REGISTRATIONS),
    )
    stmt = (
        sa.select(Meeting)
        .where(
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.starts_at >= now,
            sa.or_(Meeting.registration_deadline.is_(None), Meeting.registration_deadline >= now),
            Meeting.id.not_in(registered),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(LIMIT)
    )
    return list(db.session.scalars(stmt))


def open_commitments(member: Member) -> tuple[list[Commitment], int]:
    """The collectivity's commitments still to carry out, the nearest target first, and how many there are."""
    where = (Commitment.collectivity_id == member.collectivity_id, Commitment.status.in_(OPEN_COMMITMENTS))
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Commitment).where(*where)) or 0
    if not count:
        return [], 0
    stmt = (
        sa.select(Commitment)
        .where(*where)
        .order_by(Commitment.target_year, Commitment.target_quarter, Commitment.id)
        .limit(LIMIT)
    )
    return list(db.session.scalars(stmt)), count


def collectivity_problems(user, member: Member) -> list[Problem]:
    """The problems the collectivity follows (the person's own among them), newest first."""
    stmt = (
        sa.select(Problem)
        .where(
            Problem.followed.is_(True),
            sa.or_(Problem.collectivity_id == member.collectivity_id, Problem.author_id == user.id),
        )
        .order_by(Problem.created_at.desc(), Problem.id.desc())
        .limit(LIMIT)
    )
    return list(db.session.scalars(stmt))


def new_practices(levers: list[str], now: datetime) -> list[Practice]:
    """Practices published in the last 90 days, of these levers (every lever when none), newest first."""
    stmt = sa.select(Practice).where(
        Practice.status == PracticeStatus.PUBLISHED, Practice.published_at >= now - NEW_FOR
    )
    if levers:
        stmt = stmt.where(Practice.lever.in_(levers))
    return list(db.session.scalars(stmt.order_by(Practice.published_at.desc(), Practice.id.desc()).limit(LIMIT)))


def member_home(user, member: Member | None) -> MemberHome:
    """The home of a person with an account; the collectivity's lists only for a person of a member
    collectivity (a coordinator without one sees their registrations and the meetings)."""
    now = datetime.now(tz())
    home = MemberHome(registrations=next_registrations(user, now), open_meetings=meetings_open_to(user, now))
    if member is None:
        return home
    home.commitments, home.open_commitments = open_commitments(member)
    home.problems = collectivity_problems(user, member)
    home.levers = [lever for lever in (member.interests or []) if lever in LEVERS]
    home.practices = new_practices(home.levers, now)
    return home
