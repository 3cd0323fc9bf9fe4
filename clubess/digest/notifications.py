"""The digest as a mail, rendered by the worker when it sends it (a mailing.sources source).

Queued as references: `source_id` is the member, `template` the period. At delivery the worker checks the
digest's suppression list; the source checks the person still wants the news, reads what is new in the
digest's window again (a practice withdrawn meanwhile is not announced) and declines when nothing is left.
"""

import sqlalchemy as sa
from flask_babel import format_date

from clubess.core.db import now_utc
from clubess.core.timezone import tz
from clubess.digest.content import Content, Person, collectivity_levers, content_for, read_pool
from clubess.digest.models import Digest
from clubess.digest.services import SOURCE, is_recipient, period_of, person_of
from clubess.extensions import db
from clubess.mailing.models import OutboxMessage, Scope
from clubess.mailing.services import external_url, render_email, unsubscribe_headers
from clubess.mailing.sources import Rendered
from clubess.members.models import Member

TEMPLATE = "digest/digest"


def _month(value) -> str:
    """« novembre 2026 », in the locale the mail is rendered in."""
    return format_date(value.astimezone(tz()), "LLLL y")


def context(person: Person, content: Content, period_start, unsubscribe_url: str | None) -> dict:
    return {
        "person": person,
        "content": content,
        "month": _month(period_start),
        "link": external_url,
        "unsubscribe_url": unsubscribe_url,
    }


def render_digest(person: Person, content: Content, period_start, example: bool = False) -> Rendered:
    """The mail one person receives; `example` (the coordinators' preview) puts no working unsubscribe link."""
    if example:
        unsubscribe_url, headers = "…", {}
    else:
        unsubscribe_url, headers = unsubscribe_headers(person.email, Scope.DIGEST)
    subject, text, html = render_email(
        TEMPLATE, context(person, content, period_start, unsubscribe_url), locale=person.locale
    )
    return Rendered(subject=subject, text=text, html=html, headers=headers)


def _previous(digest: Digest) -> Digest | None:
    return db.session.scalar(
        sa.select(Digest)
        .where(Digest.member_id == digest.member_id, Digest.period < digest.period)
        .order_by(Digest.period.desc())
        .limit(1)
    )


class DigestSource:
    """Outbox messages that are a member's digest (`source_id`: the Member, `template`: the period)."""

    name = SOURCE
    discreet = False

    def render(self, message: OutboxMessage) -> Rendered | None:
        row = db.session.execute(
            sa.select(Digest, Member)
            .join(Member, Member.id == Digest.member_id)
            .where(Digest.member_id == message.source_id, Digest.period == (message.template or ""))
        ).first()
        if row is None:
            return None
        digest, member = row
        if not is_recipient(member, now_utc().astimezone(tz()).date()):
            return None  # opted out, left office or the club since it was queued
        if member.email.strip().lower() != message.recipient.strip().lower():
            return None  # the address changed, or the person was erased
        year, month = (int(part) for part in digest.period.split("-"))
        period = period_of(year, month)
        previous = _previous(digest)
        person = person_of(
            member, member.user.locale, collectivity_levers([member.collectivity_id]), previous, period, digest.until_at
        )
        person.since = digest.since_at
        content = content_for(person, read_pool(digest.since_at, digest.until_at, member_ids=[member.id]))
        if content.is_empty:
            return None  # what was new has been withdrawn meanwhile
        return render_digest(person, content, period.start)

    def outcome(self, message: OutboxMessage, outcome: str, error: str = "") -> bool:
        """The outbox row says what happened; a hard bounce puts the address on the digest's suppression list."""
        return False
