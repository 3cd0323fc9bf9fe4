"""Following commitments at meetings: which meeting follows which, what is due there, the agenda item.

A commitment made at a meeting is followed at the next meetings of the same series; when that meeting has
no series, or its series has no meeting after it, at the next *rencontres* (quarterly meetings, whatever
their series). A commitment recorded outside any meeting is followed at the *rencontres*. Cancelled
meetings follow nothing. At a meeting, the commitments *due* are those followed there whose target
quarter has started by the meeting's day and that are neither done nor abandoned.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.commitments import quarters
from clubess.commitments.labels import STATUS_LABELS
from clubess.commitments.models import OPEN, Commitment
from clubess.core.audit import record
from clubess.core.db import alias, now_utc
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, require_role
from clubess.core.timezone import local
from clubess.extensions import db
from clubess.meetings import programme
from clubess.meetings.models import AgendaItem, ItemKind, Meeting, MeetingKind, MeetingStatus

#: the length of a generated *Suivi des engagements* item
FOLLOW_UP_MINUTES = 30


def _target_index():
    """The target quarter as one number in SQL (see quarters.index)."""
    return Commitment.target_year * 4 + Commitment.target_quarter - 1


def _series_ends() -> dict[int, datetime]:
    """Each series' last meeting that is not cancelled (one query)."""
    rows = db.session.execute(
        sa.select(Meeting.series_id, sa.func.max(Meeting.starts_at))
        .where(Meeting.series_id.is_not(None), Meeting.status != MeetingStatus.CANCELLED)
        .group_by(Meeting.series_id)
    ).all()
    return dict(rows)


def follows_in_series(origin: Meeting, series_ends: dict[int, datetime]) -> bool:
    """The origin's own series has a meeting after it: the follow-up stays in the series."""
    return origin.series_id is not None and series_ends.get(origin.series_id, origin.starts_at) > origin.starts_at


def is_followed_at(origin: Meeting | None, meeting: Meeting, series_ends: dict[int, datetime]) -> bool:
    """Does `meeting` follow up the commitments made at `origin` (None: made outside a meeting)?"""
    if meeting.status == MeetingStatus.CANCELLED:
        return False
    if origin is None:
        return meeting.kind == MeetingKind.RENCONTRE
    if meeting.starts_at <= origin.starts_at:
        return False
    if follows_in_series(origin, series_ends):
        return meeting.series_id == origin.series_id
    return meeting.kind == MeetingKind.RENCONTRE


def _followers(origin: Meeting | None, after: datetime, series_ends: dict[int, datetime]):
    query = sa.select(Meeting).where(Meeting.status != MeetingStatus.CANCELLED, Meeting.starts_at > after)
    if origin is not None and follows_in_series(origin, series_ends):
        query = query.where(Meeting.series_id == origin.series_id)
    else:
        query = query.where(Meeting.kind == MeetingKind.RENCONTRE)
    return query.order_by(Meeting.starts_at, Meeting.id)


def next_meeting(origin: Meeting) -> Meeting | None:
    """The meeting that follows up `origin`'s commitments first: the next of its series, or the next rencontre."""
    return db.session.scalar(_followers(origin, origin.starts_at, _series_ends()).limit(1))


def next_follow_up(commitment: Commitment, now: datetime | None = None) -> Meeting | None:
    """Where an open commitment will next be reviewed: the first follower still to come on a day when its target
    quarter has started (None when done, abandoned, or no such meeting is planned yet)."""
    if not commitment.is_open:
        return None
    now = now or now_utc()
    origin = commitment.meeting
    start = quarters.first_day(commitment.target_year, commitment.target_quarter)
    after = max(now, origin.starts_at if origin else now, local(start, datetime.min.time()) - timedelta(seconds=1))
    return db.session.scalar(_followers(origin, after, _series_ends()).limit(1))


def due_at(meeting: Meeting) -> list[Commitment]:
    """The commitments to review at `meeting`: followed there, open, target quarter started by its day.

    Sorted by collectivity, then target quarter. Four queries whatever the number of commitments.
    """
    if meeting.status == MeetingStatus.CANCELLED:
        return []
    day = quarters.local_day(meeting.starts_at)
    origin = alias(Meeting, "origin")
    candidates = db.session.scalars(
        sa.select(Commitment)
        .outerjoin(origin, origin.id == Commitment.meeting_id)
        .where(
            Commitment.status.in_(OPEN),
            _target_index() <= quarters.index(*quarters.of_day(day)),
            sa.or_(
                origin.starts_at < meeting.starts_at,
                sa.and_(Commitment.meeting_id.is_(None), Commitment.created_at < meeting.starts_at),
            ),
        )
        .options(
            selectinload(Commitment.collectivity),
            selectinload(Commitment.responsible),
            selectinload(Commitment.meeting),
        )
    ).all()
    ends = _series_ends()
    due = [c for c in candidates if is_followed_at(c.meeting, meeting, ends)]
    return sorted(due, key=lambda c: (c.collectivity.name, c.target_index, c.title, c.id))


def by_collectivity(commitments: list[Commitment]) -> list[tuple]:
    """[(collectivity, [commitments])] in the order given."""
    groups: dict[int, tuple] = {}
    for c in commitments:
        groups.setdefault(c.collectivity_id, (c.collectivity, []))[1].append(c)
    return list(groups.values())


def describe(commitments: list[Commitment], meeting: Meeting) -> str:
    """The agenda item's text, in the club's language: the commitments due, by collectivity."""
    day = quarters.local_day(meeting.starts_at)
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        if not commitments:
            return _("Aucun engagement à suivre à cette rencontre.")
        lines = [_("Engagements à suivre (trimestre visé commencé, ni réalisés ni abandonnés) :")]
        for collectivity, items in by_collectivity(commitments):
            lines += ["", collectivity.name]
            for c in items:
                late = f" ({_('en retard')})" if c.is_overdue(day) else ""
                lines.append(
                    f"- {c.title} — {STATUS_LABELS[c.status]}{late} — "
                    + _("en charge : %(name)s", name=c.responsible_name or "—")
                    + f" — {c.target_label}"
                )
        return "\n".join(lines)


@dataclass
class FollowUp:
    item: AgendaItem
    created: bool
    count: int
    #: the item had to overlap another one (the agenda was full)
    overlaps: bool


def find_item(meeting: Meeting) -> AgendaItem | None:
    return next((i for i in meeting.items if i.kind == ItemKind.SUIVI_ENGAGEMENTS), None)


def generate_follow_up(actor, meeting: Meeting) -> FollowUp:
    """Write the *Suivi des engagements* item of a meeting's agenda; a second run updates the same item.

    A new item goes at the end of the agenda, or over its last half hour when the agenda is full (overlaps
    are flagged on the page); an existing one (generated, or reserved by a series template) keeps its place.
    """
    require_role(actor, Role.COORDINATOR)
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
        raise DomainError(_("Le suivi des engagements se prépare pour une rencontre à venir, ni annulée ni tenue."))
    due = due_at(meeting)
    item = find_item(meeting)
    if item is None and not due:
        raise DomainError(_("Aucun engagement n’est à suivre à cette rencontre : aucun point n’a été ajouté."))
    description = describe(due, meeting)
    if item is None:
        created = True
        length = min(timedelta(minutes=FOLLOW_UP_MINUTES), meeting.ends_at - meeting.starts_at)
        starts = max([i.ends_at for i in meeting.items] or [meeting.starts_at])
        overlaps = starts + length > meeting.ends_at
        if overlaps:
            starts = meeting.ends_at - length
        with force_locale(current_app.config["DEFAULT_LOCALE"]):
            title = _("Suivi des engagements")
        item = programme.save_item(
            actor, meeting, None, title, ItemKind.SUIVI_ENGAGEMENTS.value, starts, starts + length, description
        )
    else:
        created, overlaps = False, False
        programme.save_item(
            actor, meeting, item, item.title, item.kind, item.starts_at, item.ends_at, description, item.speakers
        )
    record(actor, "commitment.follow_up_generated", meeting, count=len(due), item=item.title)
    return FollowUp(item=item, created=created, count=len(due), overlaps=overlaps)
