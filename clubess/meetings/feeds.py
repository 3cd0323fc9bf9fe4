"""What the calendar feeds and the meetings API list: a window of time (by default the last twelve months and
everything to come, so a feed does not grow with the club's history), a page of it, and for a member's personal
feed which of its events carry the online link."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.core.fragments import FragmentCache
from clubess.core.inputs import InputRefused, query_date
from clubess.core.timezone import today, tz
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


#: per data version: how many meetings a window holds
_counts = FragmentCache(size=256, ttl=300.0)

#: the dates a window may take (`from`, `to`): wide enough for any meeting the club held or will hold
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


@dataclass(frozen=True)
class Window:
    """Meetings that end on or after `start` and begin on or before `end` (whole days, Europe/Paris)."""

    start: date | None
    end: date | None

    @classmethod
    def default(cls) -> "Window":
        """The last twelve months and everything to come."""
        now = today()
        try:
            start = now.replace(year=now.year - 1)
        except ValueError:  # 29 February
            start = now.replace(year=now.year - 1, day=28)
        return cls(start, None)

    def clause(self):
        conditions = []
        if self.start is not None:
            conditions.append(Meeting.ends_at >= datetime.combine(self.start, time(0), tzinfo=tz()))
        if self.end is not None:
            conditions.append(Meeting.starts_at < datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=tz()))
        return sa.and_(sa.true(), *conditions)


def window_from(args) -> Window:
    """The window a feed's query asks for (`from`, `to`: AAAA-MM-JJ); the default one when it names none.
    With only `to`, the window starts twelve months before it, so it stays bounded."""
    start, end = query_date("from", EARLIEST, LATEST, args), query_date("to", EARLIEST, LATEST, args)
    if start is None and end is None:
        return Window.default()
    if start is None:
        start = end - timedelta(days=365)
    if end is not None and end < start:
        raise InputRefused(_("« to » doit suivre « from »."))
    return Window(start, end)


def count_public_meetings(window: Window) -> int:
    """How many published, held and cancelled meetings the window holds (one query per data version and
    window: the feeds' pages and links need it on every request, 304s included)."""

    def count() -> int:
        where = sa.and_(Meeting.status.in_(VISIBLE), window.clause())
        return db.session.scalar(sa.select(sa.func.count()).select_from(Meeting).where(where))

    return _counts.get(("count", window), count)


def public_meetings(window: Window, page: int, limit: int) -> list[Meeting]:
    """A page of the published, held and cancelled meetings in the window, agenda and speakers included
    (3 queries, whatever the club's history)."""
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.status.in_(VISIBLE), window.clause())
        .options(selectinload(Meeting.items).selectinload(AgendaItem.speakers))
        .order_by(Meeting.starts_at, Meeting.id)
        .offset((page - 1) * limit)
        .limit(limit)
    )
    return list(meetings)


def pages_of(total: int, limit: int) -> int:
    return max(1, -(-total // limit))


def _mine(model, user):
    """Rows of `model` (Registration or Invitation) that are this user's: through their member person or address."""
    return sa.or_(
        model.member_id.in_(sa.select(Member.id).where(Member.user_id == user.id)),
        sa.func.lower(model.email) == user.email.lower(),
    )


def personal_meetings(user, window: Window | None = None) -> tuple[list[Meeting], set[int]]:
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
            .where(Meeting.id.in_(ids), Meeting.status.in_(VISIBLE), (window or Window(None, None)).clause())
            .options(selectinload(Meeting.items).selectinload(AgendaItem.speakers))
            .order_by(Meeting.starts_at)
        )
    )
    return meetings, {m.id for m in meetings if m.id in linked and m.status != MeetingStatus.CANCELLED}
