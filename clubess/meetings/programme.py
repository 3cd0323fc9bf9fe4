"""A meeting's programme: its agenda items (inside its hours, in order, overlaps flagged) and the speakers directory."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.core.audit import record
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.meetings import clashes
from clubess.meetings.models import AgendaItem, ItemKind, Meeting, Speaker, SpeakerKind


def save_item(
    actor,
    meeting: Meeting,
    item: AgendaItem | None,
    title: str,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    speakers: list[Speaker] | None = None,
) -> AgendaItem:
    """Add or change an agenda item; it must sit inside the meeting's hours."""
    require_role(actor, Role.COORDINATOR)
    if ends_at <= starts_at:
        raise DomainError(_("La fin doit suivre le début."), field="end")
    if starts_at < meeting.starts_at or ends_at > meeting.ends_at:
        raise DomainError(_("Ce point sort des horaires de la rencontre."), field="start")
    if kind not in set(ItemKind):
        raise DomainError(_("Type de point inconnu."), field="kind")
    if item is None:
        item = AgendaItem(meeting=meeting, position=len(meeting.items))
        db.session.add(item)
    item.title, item.kind, item.description = title.strip(), kind, description.strip()
    item.starts_at, item.ends_at = starts_at, ends_at
    item.speakers = list(speakers or [])
    _renumber(meeting)
    meeting.is_customised = True
    db.session.flush()
    record(actor, "agenda.saved", item, meeting=meeting.id)
    return item


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(sorted(meeting.items, key=lambda i: (i.starts_at, i.position))):
        item.position = position


def move_item(actor, item: AgendaItem, direction: int) -> None:
    """Swap an item with its neighbour (their times swap too, keeping each duration)."""
    require_role(actor, Role.COORDINATOR)
    items = sorted(item.meeting.items, key=lambda i: i.position)
    index = items.index(item)
    other_index = index + direction
    if not 0 <= other_index < len(items):
        return
    first, second = sorted([item, items[other_index]], key=lambda i: i.position)
    start = first.starts_at
    first_len, second_len = first.ends_at - first.starts_at, second.ends_at - second.starts_at
    gap = second.starts_at - first.ends_at
    second.starts_at, second.ends_at = start, start + second_len
    first.starts_at = second.ends_at + gap
    first.ends_at = first.starts_at + first_len
    first.position, second.position = second.position, first.position
    item.meeting.is_customised = True
    record(actor, "agenda.moved", item, direction=direction)


def delete_item(actor, item: AgendaItem) -> None:
    require_role(actor, Role.COORDINATOR)
    meeting = item.meeting
    meeting.items.remove(item)
    _renumber(meeting)
    meeting.is_customised = True
    record(actor, "agenda.deleted", meeting, item=item.title)


def overlaps(items: list[AgendaItem]) -> set[int]:
    """Ids of agenda items that overlap another one (flagged, not refused: parallel sessions exist)."""
    flagged = set()
    ordered = sorted(items, key=lambda i: i.starts_at)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.starts_at < a.ends_at:
            flagged.update({a.id, b.id})
    return flagged


# --- speakers -----------------------------------------------------------------------------------


def save_speaker(
    actor,
    speaker: Speaker | None,
    name: str,
    organisation: str = "",
    title: str = "",
    kind: str = SpeakerKind.EXPERT.value,
    bio: str = "",
    member_id: int | None = None,
    acknowledged: str = "",
) -> Speaker:
    """Add or change a speaker of the directory; one identical to another needs confirmation (`acknowledged`)."""
    require_role(actor, Role.COORDINATOR)
    if kind not in set(SpeakerKind):
        raise DomainError(_("Type d'intervenant inconnu."), field="kind")
    identity = (*clashes.speaker_identity(name, organisation), member_id)
    if speaker is None or identity != (
        *clashes.speaker_identity(speaker.name, speaker.organisation),
        speaker.member_id,
    ):
        clashes.check_speaker(name, organisation, member_id, acknowledged, exclude_id=speaker.id if speaker else None)
    if speaker is None:
        speaker = Speaker()
        db.session.add(speaker)
    speaker.name, speaker.organisation, speaker.title = name.strip(), organisation.strip(), title.strip()
    if member_id is not None:
        from clubess.members.models import Member

        if db.session.get(Member, member_id) is None:
            raise DomainError(_("Personne inconnue."), field="member_id")
    speaker.kind, speaker.bio, speaker.member_id = kind, bio.strip(), member_id
    db.session.flush()
    record(actor, "speaker.saved", speaker)
    return speaker


def list_linkable_members() -> list:
    """Current people of member collectivities, for linking a speaker to a member (two queries)."""
    from clubess.members.models import Collectivity, CollectivityStatus, Member

    return list(
        db.session.scalars(
            sa.select(Member)
            .join(Member.collectivity)
            .where(
                Collectivity.status == CollectivityStatus.ACTIVE,
                Member.anonymised_at.is_(None),
                Member.mandate_end_on.is_(None),
            )
            .options(selectinload(Member.collectivity))
            .order_by(Member.last_name, Member.first_name)
        )
    )


def list_speakers() -> list[Speaker]:
    return list(db.session.scalars(sa.select(Speaker).order_by(Speaker.name)))
