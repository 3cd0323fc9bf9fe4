"""« Rencontres », « Bibliothèque et problématiques », « Presse »: what the club did in a period.

A problem is *answered* in the quarter of the first verdict « utile » or « déjà fait chez nous » a member gave
on a practice proposed for it (the loop's « sans réponse » ends there). One query per figure.
"""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.dashboard.period import Period, in_window, quarter_of
from clubess.extensions import db
from clubess.meetings.models import SEATED, Attendance, Meeting, MeetingStatus, Registration, RegistrationStatus
from clubess.meetings.participation import COUNTED
from clubess.practices.models import MatchFeedback, Practice, Problem, SolutionFeedback, Verdict
from clubess.press.models import Communique, CommuniqueStatus, ContactStatus, Delivery, DeliveryStatus, PressContact

NEXT_MEETINGS = 5
TOP_THEMES = 10
TREND_DAYS = 7


@dataclass
class NextMeeting:
    #: the meeting itself (an ORM row: a demo meeting marks the page and the row as fictitious)
    meeting: Meeting
    #: seats held (registered, or offered from the waiting list)
    seated: int
    waitlisted: int
    #: registrations made in the last TREND_DAYS days, and in the TREND_DAYS before
    recent: int
    before: int

    @property
    def capacity(self) -> int | None:
        return self.meeting.capacity

    @property
    def fill_rate(self) -> float | None:
        return self.seated / self.capacity if self.capacity else None


def next_meetings(limit: int = NEXT_MEETINGS) -> list[NextMeeting]:
    """The next published meetings with their registrations (one query)."""
    now = now_utc()
    week, fortnight = now - timedelta(days=TREND_DAYS), now - timedelta(days=2 * TREND_DAYS)
    live = Registration.status != RegistrationStatus.CANCELLED.value

    def count_if(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    upcoming = (
        sa.select(Meeting.id)
        .where(Meeting.status == MeetingStatus.PUBLISHED.value, Meeting.starts_at >= now)
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    )
    counts = (
        sa.select(
            Registration.meeting_id.label("meeting_id"),
            count_if(Registration.status.in_(SEATED)).label("seated"),
            count_if(Registration.status == RegistrationStatus.WAITLISTED.value).label("waitlisted"),
            count_if(sa.and_(live, Registration.created_at >= week)).label("recent"),
            count_if(sa.and_(live, Registration.created_at >= fortnight, Registration.created_at < week)).label(
                "before"
            ),
        )
        .where(Registration.meeting_id.in_(upcoming.scalar_subquery()))
        .group_by(Registration.meeting_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            Meeting,
            sa.func.coalesce(counts.c.seated, 0),
            sa.func.coalesce(counts.c.waitlisted, 0),
            sa.func.coalesce(counts.c.recent, 0),
            sa.func.coalesce(counts.c.before, 0),
        )
        .outerjoin(counts, counts.c.meeting_id == Meeting.id)
        .where(Meeting.id.in_(upcoming.scalar_subquery()))
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    return [NextMeeting(r[0], *(int(v) for v in r[1:])) for r in rows]


def attendance_per_quarter(period: Period) -> tuple[list[int], list[int]]:
    """(meetings held, presences) in each quarter of the year: published or held meetings that have started,
    a presence being a person marked present (walk-ins included)."""
    bounds = period.quarter_starts
    quarter = quarter_of(Meeting.starts_at, bounds).label("quarter")
    present = sa.and_(Registration.meeting_id == Meeting.id, Registration.attendance == Attendance.PRESENT.value)
    rows = db.session.execute(
        sa.select(quarter, sa.func.count(sa.distinct(Meeting.id)), sa.func.count(Registration.id))
        .select_from(Meeting)
        .outerjoin(Registration, present)
        .where(
            Meeting.status.in_(COUNTED),
            in_window(Meeting.starts_at, bounds[0], bounds[4]),
            Meeting.starts_at <= now_utc(),
        )
        .group_by(quarter)
    ).all()
    found = {q: (m, p) for q, m, p in rows}
    return [found.get(q, (0, 0))[0] for q in (1, 2, 3, 4)], [found.get(q, (0, 0))[1] for q in (1, 2, 3, 4)]


def practices_by_lever_and_status() -> dict[tuple[str, str], int]:
    """(lever, status) → practices of the library now."""
    rows = db.session.execute(
        sa.select(Practice.lever, Practice.status, sa.func.count()).group_by(Practice.lever, Practice.status)
    ).all()
    return {(lever, status): n for lever, status, n in rows}


def problems_stated_per_quarter(period: Period) -> list[int]:
    bounds = period.quarter_starts
    quarter = quarter_of(Problem.created_at, bounds).label("quarter")
    rows = db.session.execute(
        sa.select(quarter, sa.func.count()).where(in_window(Problem.created_at, bounds[0], bounds[4])).group_by(quarter)
    ).all()
    found = dict(rows)
    return [found.get(q, 0) for q in (1, 2, 3, 4)]


def problems_answered_per_quarter(period: Period) -> list[int]:
    """Problems whose first useful (or already done) verdict falls in each quarter (see the docstring)."""
    bounds = period.quarter_starts
    good = (Verdict.USEFUL.value, Verdict.ALREADY_DONE.value)
    verdicts = sa.union_all(  # on a practice or on an ESS actor's solution
        sa.select(MatchFeedback.problem_id, MatchFeedback.created_at).where(MatchFeedback.verdict.in_(good)),
        sa.select(SolutionFeedback.problem_id, SolutionFeedback.created_at).where(SolutionFeedback.verdict.in_(good)),
    ).subquery()
    first = (
        sa.select(verdicts.c.problem_id, sa.func.min(verdicts.c.created_at).label("at"))
        .group_by(verdicts.c.problem_id)
        .subquery()
    )
    quarter = quarter_of(first.c.at, bounds).label("quarter")
    rows = db.session.execute(
        sa.select(quarter, sa.func.count()).where(in_window(first.c.at, bounds[0], bounds[4])).group_by(quarter)
    ).all()
    found = dict(rows)
    return [found.get(q, 0) for q in (1, 2, 3, 4)]


def themes_most_asked(period: Period, limit: int = TOP_THEMES) -> list[tuple[str, int]]:
    """The themes of the problems stated in the period, most asked first: a theme counts once per problem,
    compared without case or surrounding spaces (one query, the JSON lists unfolded by the database)."""
    if db.engine.dialect.name == "postgresql":
        theme = sa.func.json_array_elements_text(Problem.themes).table_valued("value").render_derived("theme")
    else:
        theme = sa.func.json_each(Problem.themes).table_valued("value").alias("theme")
    key = sa.func.lower(sa.func.trim(theme.c.value))
    asked = sa.func.count(sa.distinct(Problem.id))
    rows = db.session.execute(
        sa.select(sa.func.min(sa.func.trim(theme.c.value)), asked)
        .select_from(Problem)
        .join(theme, sa.true())
        .where(in_window(Problem.created_at, *period.window), sa.func.trim(theme.c.value) != "")
        .group_by(key)
        .order_by(asked.desc(), key)
        .limit(limit)
    ).all()
    return [(text[:100], n) for text, n in rows]


@dataclass
class Press:
    #: communiqués first sent (or published) in the period
    sent: int
    #: different addresses a communiqué reached in the period
    reach: int
    #: deliveries refused by the receiving server in the period
    bounces: int
    #: press contacts who unsubscribed in the period (and are still unsubscribed)
    unsubscribes: int


def press(period: Period) -> Press:
    """The press figures of the period (one query)."""
    start, end = period.window

    def scalar(stmt):
        return stmt.scalar_subquery()

    sent = scalar(
        sa.select(sa.func.count())
        .select_from(Communique)
        .where(Communique.status == CommuniqueStatus.PUBLISHED.value, in_window(Communique.published_at, start, end))
    )
    reach = scalar(
        sa.select(sa.func.count(sa.distinct(Delivery.email))).where(
            Delivery.status == DeliveryStatus.SENT.value, in_window(Delivery.sent_at, start, end)
        )
    )
    bounces = scalar(
        sa.select(sa.func.count())
        .select_from(Delivery)
        .where(
            Delivery.status == DeliveryStatus.BOUNCED.value,
            in_window(sa.func.coalesce(Delivery.sent_at, Delivery.queued_at), start, end),
        )
    )
    unsubscribes = scalar(
        sa.select(sa.func.count())
        .select_from(PressContact)
        .where(
            PressContact.status == ContactStatus.UNSUBSCRIBED.value,
            in_window(PressContact.status_changed_at, start, end),
        )
    )
    return Press(*(int(v or 0) for v in db.session.execute(sa.select(sent, reach, bounces, unsubscribes)).one()))
