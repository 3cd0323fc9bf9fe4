"""The digest's rules: its period, who receives it, what is new for each, and queueing it exactly once."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.auth.models import User
from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, require_role
from clubess.core.timezone import tz
from clubess.digest.content import Content, Person, collectivity_levers, content_for, read_pool
from clubess.digest.models import Digest
from clubess.extensions import db
from clubess.mailing.models import Scope
from clubess.mailing.services import queue_from_source
from clubess.mailing.suppression import not_suppressed
from clubess.members.models import Collectivity, CollectivityStatus, Member

SOURCE = "digest.news"
CATEGORY = "digest.news"
PERIOD_RE = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class Period:
    """A month of digests ("2026-11"): each person gets at most one digest per period."""

    key: str
    #: the first instant of the month, Paris time
    start: datetime
    #: the first instant of the next month
    end: datetime
    #: the first instant of the previous month: a first digest (or one after a long pause) starts there
    floor: datetime


def _month_start(year: int, month: int) -> datetime:
    return datetime.combine(date(year, month, 1), time(0), tzinfo=tz())


def period_of(year: int, month: int) -> Period:
    before = (year, month - 1) if month > 1 else (year - 1, 12)
    after = (year, month + 1) if month < 12 else (year + 1, 1)
    return Period(
        key=f"{year:04d}-{month:02d}",
        start=_month_start(year, month),
        end=_month_start(*after),
        floor=_month_start(*before),
    )


def current_period(now: datetime | None = None) -> Period:
    local = (now or now_utc()).astimezone(tz())
    return period_of(local.year, local.month)


def parse_period(value: str | None, now: datetime | None = None) -> Period:
    """The period named "YYYY-MM" (the current month when empty); not one in the future."""
    current = current_period(now)
    if value is None or not str(value).strip():
        return current
    match = PERIOD_RE.fullmatch(str(value).strip())
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        raise DomainError(_("Indiquez un mois sous la forme AAAA-MM, par exemple 2026-11."), field="period")
    period = period_of(int(match.group(1)), int(match.group(2)))
    if period.start > current.start:
        raise DomainError(_("Ce mois n’est pas encore commencé."), field="period")
    return period


# --- who receives it ------------------------------------------------------------------------------------------


def _opted_in(today: date):
    """People who ticked « Recevoir les nouvelles du club », in office, in an active collectivity, with an
    account whose address is verified (select Member, User.locale)."""
    return (
        sa.select(Member, User.locale)
        .join(Collectivity, Collectivity.id == Member.collectivity_id)
        .join(User, User.id == Member.user_id)
        .where(
            Member.wants_news.is_(True),
            Member.anonymised_at.is_(None),
            sa.or_(Member.mandate_end_on.is_(None), Member.mandate_end_on >= today),
            Collectivity.status == CollectivityStatus.ACTIVE,
            User.is_enabled.is_(True),
            User.email_verified_at.is_not(None),
        )
    )


def is_recipient(member: Member, today: date) -> bool:
    """The same rule as `_opted_in`, for one member already loaded (the worker checks it again at delivery)."""
    user = member.user
    return bool(
        member.wants_news
        and member.anonymised_at is None
        and (member.mandate_end_on is None or member.mandate_end_on >= today)
        and member.collectivity.status == CollectivityStatus.ACTIVE
        and user is not None
        and user.is_enabled
        and user.email_verified_at is not None
    )


def stop_news(email: str) -> int:
    """The address left the digest (one click): every membership with it no longer wants the news."""
    result = db.session.execute(
        sa.update(Member)
        .where(sa.func.lower(Member.email) == email.lower(), Member.wants_news.is_(True))
        .values(wants_news=False)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


# --- the plan -------------------------------------------------------------------------------------------------


@dataclass
class Plan:
    """The digest of a period, before it is queued: who gets what, and who is left out."""

    period: Period
    until: datetime
    #: (person, their digest), in member order
    people: list[tuple[Person, Content]] = field(default_factory=list)
    #: opted in, but nothing new for them
    empty: int = 0
    #: opted in, but their address left the digest (unsubscribed, bounced, erased)
    suppressed: int = 0
    #: already queued for this period
    already: int = 0

    @property
    def recipients(self) -> int:
        return len(self.people)


def _last_digests(before: str) -> dict[int, Digest]:
    """member id -> their latest digest of an earlier period (one query)."""
    latest = (
        sa.select(sa.func.max(Digest.id).label("id"))
        .where(Digest.period < before)
        .group_by(Digest.member_id)
        .subquery("latest_digests")
    )
    return {d.member_id: d for d in db.session.scalars(sa.select(Digest).join(latest, latest.c.id == Digest.id))}


def person_of(member: Member, locale: str, levers: dict, last: Digest | None, period: Period, until) -> Person:
    since = max(last.until_at, period.floor) if last is not None else period.floor
    return Person(
        member_id=member.id,
        email=member.email,
        name=member.full_name,
        locale=locale or "fr",
        collectivity_id=member.collectivity_id,
        since=since,
        until=until,
        levers=levers.get(member.collectivity_id, frozenset()) | frozenset(member.interests or []),
        known_meeting_ids=frozenset(last.meeting_ids or []) if last is not None else frozenset(),
    )


def build_plan(period: Period, now: datetime | None = None) -> Plan:
    """What `queue_digests` would queue now: a fixed number of queries whatever the number of people."""
    now = now or now_utc()
    today = now.astimezone(tz()).date()
    until = min(period.end, now)
    plan = Plan(period=period, until=until)
    opted_in = _opted_in(today)
    plan.suppressed = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            opted_in.where(~not_suppressed(Member.email, Scope.DIGEST)).subquery("suppressed")
        )
    )
    done = set(db.session.scalars(sa.select(Digest.member_id).where(Digest.period == period.key)))
    rows = db.session.execute(opted_in.where(not_suppressed(Member.email, Scope.DIGEST)).order_by(Member.id)).all()
    last = _last_digests(period.key)
    levers = collectivity_levers()
    people, seen = [], set()
    for member, locale in rows:
        key = member.email.strip().lower()
        if key in seen:
            continue  # the same person in two collectivities: one digest
        seen.add(key)
        if member.id in done:
            plan.already += 1
            continue
        people.append(person_of(member, locale, levers, last.get(member.id), period, until))
    if not people:
        return plan
    pool = read_pool(min(p.since for p in people), until, now=now)
    for person in people:
        content = content_for(person, pool)
        if content.is_empty:
            plan.empty += 1
        else:
            plan.people.append((person, content))
    return plan


def queue_digests(actor, period: Period, now: datetime | None = None, dry_run: bool = False) -> Plan:
    """Queue the period's digest for everyone with something new (once per person and period: a second run
    queues only for people who had nothing new before and have now). `actor` None: the cron command."""
    if actor is not None:
        require_role(actor, Role.COORDINATOR)
    plan = build_plan(period, now)
    if dry_run or not plan.people:
        return plan
    created = now or now_utc()
    db.session.execute(
        sa.insert(Digest),
        [
            {
                "member_id": person.member_id,
                "period": period.key,
                "since_at": person.since,
                "until_at": person.until,
                "meeting_ids": [m.id for m in content.meetings],
                "created_at": created,
            }
            for person, content in plan.people
        ],
    )
    queue_from_source(
        SOURCE,
        [(person.member_id, person.email, dedupe_key(period, person.member_id)) for person, _c in plan.people],
        category=CATEGORY,
        subject=_("Les nouvelles du club (%(period)s)", period=period.key),
        template=period.key,
    )
    record(
        actor,
        "digest.queued",
        None,
        period=period.key,
        queued=plan.recipients,
        empty=plan.empty,
        suppressed=plan.suppressed,
        already=plan.already,
    )
    return plan


def dedupe_key(period: Period, member_id: int) -> str:
    return f"digest:{period.key}:{member_id}"


def preview_plan(actor, period: Period, now: datetime | None = None) -> Plan:
    """The next digest as the coordinators' page shows it (nothing is queued)."""
    require_role(actor, Role.COORDINATOR)
    return build_plan(period, now)


def sample_of(plan: Plan, email: str) -> tuple[Person, Content] | None:
    """The digest `email` would receive (the first recipient's when empty); None when they would get none."""
    key = email.strip().lower()
    for person, content in plan.people:
        if not key or person.email.strip().lower() == key:
            return person, content
    return None
