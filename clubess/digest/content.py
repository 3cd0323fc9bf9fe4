"""What is new for each person: the digest's sections, built for any number of people in a fixed number of queries.

Everything new in the widest window of the batch is read once (practices, communiqués, resources, answered
problems, the upcoming meetings and who is registered to them); each person's share is then picked in memory
from their own window, their collectivity and their levers.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from clubess.actors.models import Solution
from clubess.core.db import UtcDateTime, alias, now_utc
from clubess.extensions import db
from clubess.meetings.models import Meeting, MeetingStatus, Registration, RegistrationStatus
from clubess.practices.models import (
    MatchFeedback,
    NotifiedMatch,
    NotifiedSolutionMatch,
    Practice,
    PracticeStatus,
    Problem,
    ProblemStatus,
    SolutionFeedback,
)
from clubess.press.models import Communique, CommuniqueStatus
from clubess.resources.models import Document, Visibility
from clubess.territories.policy_models import PolicyProfile, latest_years

#: what a digest lists at most in each section (a link leads to the rest)
MAX_PRACTICES = 10
MAX_MEETINGS = 5
MAX_COMMUNIQUES = 5
MAX_RESOURCES = 5
MAX_PROBLEMS = 10
#: what one batch reads at most of each kind (a month brings far fewer)
READ_LIMIT = 1000
UPCOMING_READ = 30


@dataclass
class Person:
    """One recipient, as the digest sees them."""

    member_id: int
    email: str
    name: str
    locale: str
    collectivity_id: int
    since: datetime
    until: datetime
    #: the levers of their collectivity's ESS policy profile and their own interests
    levers: frozenset = frozenset()
    #: the meetings their previous digest listed: not new any more
    known_meeting_ids: frozenset = frozenset()


@dataclass
class Content:
    #: new practices on the person's levers first, then the others
    lever_practices: list = field(default_factory=list)
    other_practices: list = field(default_factory=list)
    #: new practices not listed (the section links to the library)
    more_practices: int = 0
    meetings: list = field(default_factory=list)
    new_meeting_ids: list = field(default_factory=list)
    communiques: list = field(default_factory=list)
    resources: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def practices(self) -> list:
        return self.lever_practices + self.other_practices

    @property
    def is_empty(self) -> bool:
        """Nothing new: no mail. Upcoming meetings already announced do not make a digest on their own."""
        return not (
            self.lever_practices
            or self.other_practices
            or self.new_meeting_ids
            or self.communiques
            or self.resources
            or self.problems
        )


@dataclass
class Pool:
    """What is new in the batch's widest window, read once."""

    practices: list = field(default_factory=list)
    communiques: list = field(default_factory=list)
    resources: list = field(default_factory=list)
    #: (problem, the instant of its latest answer)
    problems: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    #: member id -> ids of the upcoming meetings they already registered to (or queue for)
    registered: dict = field(default_factory=dict)


def collectivity_levers(collectivity_ids=None) -> dict[int, frozenset]:
    """collectivity id -> the levers of its latest ESS policy profile (one query)."""
    latest = latest_years()
    stmt = sa.select(PolicyProfile.collectivity_id, PolicyProfile.levers).join(
        latest,
        sa.and_(PolicyProfile.collectivity_id == latest.c.collectivity_id, PolicyProfile.year == latest.c.year),
    )
    if collectivity_ids is not None:
        stmt = stmt.where(PolicyProfile.collectivity_id.in_(sorted(set(collectivity_ids)) or [0]))
    return {cid: frozenset(levers or []) for cid, levers in db.session.execute(stmt)}


def read_pool(since: datetime, until: datetime, member_ids=None, now: datetime | None = None) -> Pool:
    """Everything new in [since, until) and the upcoming meetings; `member_ids` (None: everyone) narrows
    the registrations read."""
    now = now or now_utc()
    pool = Pool()
    if since < until:
        pool.practices = list(
            db.session.scalars(
                sa.select(Practice)
                .where(
                    Practice.status == PracticeStatus.PUBLISHED,
                    Practice.published_at >= since,
                    Practice.published_at < until,
                )
                .order_by(Practice.published_at.desc(), Practice.id.desc())
                .limit(READ_LIMIT)
            )
        )
        communiques = db.session.scalars(
            sa.select(Communique)
            .where(
                Communique.status == CommuniqueStatus.PUBLISHED,
                Communique.published_at < until,
                sa.or_(Communique.published_at >= since, Communique.embargo_until >= since),
            )
            .limit(READ_LIMIT)
        )
        # public from the end of its embargo: that is when it is new for members too
        pool.communiques = sorted(
            (c for c in communiques if since <= c.public_at() < until and c.public_at() <= now),
            key=lambda c: (c.public_at(), c.id),
            reverse=True,
        )
        pool.resources = list(
            db.session.scalars(
                sa.select(Document)
                .where(
                    Document.meeting_id.is_(None),
                    Document.visibility.in_((Visibility.PUBLIC, Visibility.MEMBERS)),
                    Document.created_at >= since,
                    Document.created_at < until,
                )
                .order_by(Document.created_at.desc(), Document.id.desc())
                .limit(READ_LIMIT)
            )
        )
        pool.problems = _answered_problems(since, until)
    pool.meetings = list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.status == MeetingStatus.PUBLISHED,
                Meeting.starts_at > now,
                sa.or_(Meeting.registration_deadline.is_(None), Meeting.registration_deadline > now),
            )
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(UPCOMING_READ)
        )
    )
    if pool.meetings:
        stmt = sa.select(Registration.member_id, Registration.meeting_id).where(
            Registration.meeting_id.in_([m.id for m in pool.meetings]),
            Registration.member_id.is_not(None),
            Registration.status != RegistrationStatus.CANCELLED,
        )
        if member_ids is not None:
            stmt = stmt.where(Registration.member_id.in_(sorted(member_ids) or [0]))
        for member_id, meeting_id in db.session.execute(stmt):
            pool.registered.setdefault(member_id, set()).add(meeting_id)
    return pool


def _answered_problems(since: datetime, until: datetime) -> list:
    """(problem, latest answer) for the problems answered in [since, until): a member's verdict on a proposed
    practice or solution, a new match mailed to its author, or a practice or an ESS actor's solution published in
    the window that became its best."""
    best = alias(Practice, "best")
    activity = sa.union_all(
        sa.select(MatchFeedback.problem_id.label("problem_id"), MatchFeedback.created_at.label("at")),
        sa.select(SolutionFeedback.problem_id, SolutionFeedback.created_at),
        sa.select(NotifiedMatch.problem_id, NotifiedMatch.created_at),
        sa.select(NotifiedSolutionMatch.problem_id, NotifiedSolutionMatch.created_at),
        sa.select(Problem.id, best.published_at)
        .join(best, best.id == Problem.best_practice_id)
        .where(best.status == PracticeStatus.PUBLISHED),
        sa.select(Problem.id, Solution.published_at)
        .join(Solution, Solution.id == Problem.best_solution_id)
        .where(Solution.status == PracticeStatus.PUBLISHED),
    ).subquery("activity")
    latest = (
        sa.select(activity.c.problem_id, sa.func.max(activity.c.at).label("at"))
        .where(activity.c.at >= since, activity.c.at < until)
        .group_by(activity.c.problem_id)
        .subquery("latest_answer")
    )
    rows = db.session.execute(
        sa.select(Problem, latest.c.at)
        .join(latest, latest.c.problem_id == Problem.id)
        .where(Problem.status != ProblemStatus.CLOSED, Problem.collectivity_id.is_not(None))
        .order_by(latest.c.at.desc(), Problem.id)
        .limit(READ_LIMIT)
    ).all()
    return [(problem, _aware(at)) for problem, at in rows]


def _aware(value):
    """A max() over a union comes back without the column type: SQLite gives text or a naive datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return UtcDateTime().process_result_value(value, None) if value is not None else None


def content_for(person: Person, pool: Pool) -> Content:
    """The person's digest: what is new in their window, their levers first."""
    content = Content()
    practices = [p for p in pool.practices if person.since <= p.published_at < person.until]
    on_levers = [p for p in practices if p.lever in person.levers]
    others = [p for p in practices if p.lever not in person.levers]
    content.lever_practices = on_levers[:MAX_PRACTICES]
    content.other_practices = others[: max(0, MAX_PRACTICES - len(content.lever_practices))]
    content.more_practices = len(practices) - len(content.practices)
    taken = pool.registered.get(person.member_id, set())
    content.meetings = [m for m in pool.meetings if m.id not in taken][:MAX_MEETINGS]
    content.new_meeting_ids = [m.id for m in content.meetings if m.id not in person.known_meeting_ids]
    content.communiques = [c for c in pool.communiques if person.since <= c.public_at() < person.until][
        :MAX_COMMUNIQUES
    ]
    content.resources = [d for d in pool.resources if person.since <= d.created_at < person.until][:MAX_RESOURCES]
    content.problems = [
        problem
        for problem, at in pool.problems
        if problem.collectivity_id == person.collectivity_id and person.since <= at < person.until
    ][:MAX_PROBLEMS]
    return content
