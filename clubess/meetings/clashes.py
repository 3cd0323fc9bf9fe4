"""Meetings at the same time, and the same speaker twice: found before creating, for the coordinator to confirm.

- A *clash*: a draft or published meeting whose time overlaps the new one's (`a.start < b.end and
  b.start < a.end`; one ending at 12:00 and the other starting at 12:00 do not clash). Cancelled and
  held meetings do not clash. Checked when a series, a meeting or a duplicate is created and when a
  meeting is moved.
- An *identical speaker*: the same name and the same organisation once normalised (case, accents,
  apostrophes, hyphens and spaces ignored), or a speaker already linked to the same member person.

See clubess.core.duplicates for how the warning is shown and confirmed.
"""

from datetime import datetime

import sqlalchemy as sa

from clubess.core.duplicates import confirm, normalise
from clubess.extensions import db
from clubess.meetings.models import Meeting, MeetingStatus, Speaker

#: the meetings a new one can clash with
CLASHING = (MeetingStatus.DRAFT.value, MeetingStatus.PUBLISHED.value)


def overlapping(ranges: list[tuple[datetime, datetime]], exclude_ids: tuple[int, ...] = ()) -> list[Meeting]:
    """Draft and published meetings overlapping any of the time ranges, by start (one query)."""
    if not ranges:
        return []
    stmt = sa.select(Meeting).where(
        Meeting.status.in_(CLASHING),
        sa.or_(*(sa.and_(Meeting.starts_at < end, Meeting.ends_at > start) for start, end in ranges)),
    )
    if exclude_ids:
        stmt = stmt.where(Meeting.id.not_in(exclude_ids))
    return list(db.session.scalars(stmt.order_by(Meeting.starts_at)))


def check_times(ranges: list[tuple[datetime, datetime]], acknowledged: str, exclude_ids: tuple[int, ...] = ()):
    """Ask before placing meetings at these times if others are there (NeedsConfirmation of kind "meeting")."""
    confirm("meeting", overlapping(ranges, exclude_ids), acknowledged)


def speaker_identity(name: str, organisation: str) -> tuple[str, str]:
    return normalise(name), normalise(organisation)


def same_speakers(name: str, organisation: str, member_id: int | None, exclude_id: int | None = None) -> list[Speaker]:
    """Speakers identical to this one: same normalised name and organisation, or linked to the same member.

    The directory is small (hundreds): one query for its names, compared here (accents are not portable in SQL).
    """
    wanted = speaker_identity(name, organisation)
    stmt = sa.select(Speaker).order_by(Speaker.name)
    if exclude_id is not None:
        stmt = stmt.where(Speaker.id != exclude_id)
    return [
        s
        for s in db.session.scalars(stmt)
        if speaker_identity(s.name, s.organisation) == wanted or (member_id and s.member_id == member_id)
    ]


def check_speaker(name: str, organisation: str, member_id: int | None, acknowledged: str, exclude_id=None) -> None:
    """Ask before adding a speaker identical to one of the directory (NeedsConfirmation of kind "speaker")."""
    confirm("speaker", same_speakers(name, organisation, member_id, exclude_id), acknowledged)
