"""Meeting rules: creating, changing (material changes raise SEQUENCE), status, copies; reading meetings."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.core.audit import record
from clubess.core.errors import DomainError, NotFound
from clubess.core.fragments import FragmentCache
from clubess.core.permissions import Role, has_role, require_role
from clubess.core.timezone import tz
from clubess.extensions import db
from clubess.meetings import clashes
from clubess.meetings.models import (
    AgendaItem,
    Audience,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
)

#: fields whose change makes calendar apps update the event (SEQUENCE + 1)
MATERIAL_FIELDS = ("starts_at", "ends_at", "venue", "address", "online_url", "format")


@dataclass
class MeetingData:
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    format: str
    description: str = ""
    venue: str = ""
    address: str = ""
    department_code: str | None = None
    #: the territory it is held in or is about (clubess.territories pages list it there)
    territory_id: int | None = None
    online_url: str = ""
    capacity: int | None = None
    registration_deadline: datetime | None = None
    audience: str = Audience.MEMBERS.value


def _validate(data: MeetingData) -> None:
    errors = {}
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("La fin doit suivre le début.")
    if data.capacity is not None and data.capacity < 0:
        errors["capacity"] = _("La capacité ne peut pas être négative.")
    if data.format in (MeetingFormat.IN_PERSON, MeetingFormat.HYBRID) and not data.venue.strip():
        errors["venue"] = _("Indiquez le lieu d'une rencontre en présentiel ou hybride.")
    if data.format in (MeetingFormat.ONLINE, MeetingFormat.HYBRID) and not data.online_url.strip():
        errors["online_url"] = _("Indiquez le lien de connexion d'une rencontre en ligne ou hybride.")
    if data.registration_deadline and data.registration_deadline > data.starts_at:
        errors["registration_deadline"] = _("La clôture des inscriptions doit précéder la rencontre.")
    if data.kind not in set(MeetingKind) or data.format not in set(MeetingFormat):
        errors["kind"] = _("Type ou format inconnu.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)


def create_meeting(actor, data: MeetingData, acknowledged: str = "") -> Meeting:
    """A draft meeting; at the time of another one it needs the coordinator's confirmation (`acknowledged`)."""
    require_role(actor, Role.COORDINATOR)
    _validate(data)
    clashes.check_times([(data.starts_at, data.ends_at)], acknowledged)
    meeting = Meeting(**vars(data), status=MeetingStatus.DRAFT.value, is_customised=True)
    db.session.add(meeting)
    db.session.flush()
    record(actor, "meeting.created", meeting)
    return meeting


def material_changes(meeting: Meeting, data: MeetingData) -> list[str]:
    """The fields of MATERIAL_FIELDS this change touches (calendar apps must be told of them)."""
    return [f for f in MATERIAL_FIELDS if getattr(meeting, f) != getattr(data, f)]


def check_move(meeting: Meeting, data: MeetingData, acknowledged: str = "") -> None:
    """Raise NeedsConfirmation when the change moves the meeting onto another one's time (unless acknowledged)."""
    moved = (data.starts_at, data.ends_at) != (meeting.starts_at, meeting.ends_at)
    if moved and meeting.status in clashes.CLASHING:
        clashes.check_times([(data.starts_at, data.ends_at)], acknowledged, exclude_ids=(meeting.id,))


def update_meeting(actor, meeting: Meeting, data: MeetingData, acknowledged: str = "") -> bool:
    """Apply the changes; returns True when they were material (SEQUENCE raised).

    Moving a meeting onto the time of another needs the coordinator's confirmation (`acknowledged`).
    """
    require_role(actor, Role.COORDINATOR)
    _validate(data)
    check_move(meeting, data, acknowledged)
    old_start = meeting.starts_at
    old_capacity = meeting.capacity
    material = bool(material_changes(meeting, data))
    for key, value in vars(data).items():
        setattr(meeting, key, value)
    if meeting.starts_at != old_start and meeting.items:
        shift = meeting.starts_at - old_start
        for item in meeting.items:  # the agenda moves with the meeting
            item.starts_at += shift
            item.ends_at += shift
    if material:
        meeting.sequence += 1
    meeting.is_customised = True
    record(actor, "meeting.updated", meeting, material=material, sequence=meeting.sequence)
    if meeting.status == MeetingStatus.PUBLISHED:
        from clubess.meetings import notifications, seats

        if material:
            notifications.queue_update(meeting)
        if old_capacity is not None and (meeting.capacity is None or meeting.capacity > old_capacity):
            seats.capacity_changed(meeting)
    return material


#: the status changes a coordinator may make; held → published reopens a meeting marked held by mistake
TRANSITIONS = {
    MeetingStatus.DRAFT: {MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED},
    MeetingStatus.PUBLISHED: {MeetingStatus.HELD, MeetingStatus.CANCELLED, MeetingStatus.DRAFT},
    MeetingStatus.CANCELLED: {MeetingStatus.DRAFT},
    MeetingStatus.HELD: {MeetingStatus.PUBLISHED},
}


def status_error(meeting: Meeting, status: str, now: datetime | None = None) -> str | None:
    """Why this status change is refused now, or None when it is allowed (pages offer only allowed ones)."""
    if status not in TRANSITIONS[MeetingStatus(meeting.status)]:
        return _("Ce changement de statut n'est pas possible.")
    if status == MeetingStatus.HELD and meeting.starts_at > (now or datetime.now(tz())):
        from clubess.core.templating import format_dt

        return _(
            "La rencontre n'a pas encore commencé : elle pourra être marquée tenue à partir du %(when)s.",
            when=format_dt(meeting.starts_at.astimezone(tz())),
        )
    return None


def set_status(actor, meeting: Meeting, status: str) -> int:
    """Change the status; cancelling a published meeting tells everyone concerned. Returns how many were told."""
    require_role(actor, Role.COORDINATOR)
    error = status_error(meeting, status)
    if error:
        raise DomainError(error)
    before = meeting.status
    meeting.status = status
    if status == MeetingStatus.CANCELLED or before == MeetingStatus.CANCELLED:
        meeting.sequence += 1  # calendar apps must see the cancellation (or its reversal)
    told = 0
    if status == MeetingStatus.CANCELLED and before == MeetingStatus.PUBLISHED:
        from clubess.meetings import notifications

        told = notifications.queue_meeting_cancelled(meeting)
    record(actor, "meeting.status_changed", meeting, before=before, after=status, notified=told or None)
    return told


def duplicate_meeting(actor, meeting: Meeting, starts_at: datetime, acknowledged: str = "") -> Meeting:
    """A draft copy at another date, with its agenda, speakers and settings (a new UID).

    A copy at the time of another meeting (its source, kept at the same date, for one) needs confirmation.
    """
    require_role(actor, Role.COORDINATOR)
    shift = starts_at - meeting.starts_at
    clashes.check_times([(starts_at, meeting.ends_at + shift)], acknowledged)
    copy = Meeting(
        kind=meeting.kind,
        title=meeting.title,
        description=meeting.description,
        starts_at=starts_at,
        ends_at=meeting.ends_at + shift,
        format=meeting.format,
        venue=meeting.venue,
        address=meeting.address,
        department_code=meeting.department_code,
        territory_id=meeting.territory_id,
        online_url=meeting.online_url,
        capacity=meeting.capacity,
        registration_deadline=meeting.registration_deadline + shift if meeting.registration_deadline else None,
        audience=meeting.audience,
        status=MeetingStatus.DRAFT.value,
        is_customised=True,
    )
    copy.items = [
        AgendaItem(
            position=i.position,
            title=i.title,
            kind=i.kind,
            description=i.description,
            starts_at=i.starts_at + shift,
            ends_at=i.ends_at + shift,
            speakers=list(i.speakers),
        )
        for i in meeting.items
    ]
    db.session.add(copy)
    db.session.flush()
    record(actor, "meeting.duplicated", copy, source=meeting.id)
    return copy


# --- reads --------------------------------------------------------------------------------------


def get_meeting(meeting_id: int, actor=None) -> Meeting:
    """A meeting with its agenda and speakers (3 queries); drafts only for coordinators."""
    meeting = db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(selectinload(Meeting.items).selectinload(AgendaItem.speakers))
    )
    if meeting is None:
        raise NotFound("meeting")
    if meeting.status == MeetingStatus.DRAFT and not has_role(actor, Role.COORDINATOR):
        raise NotFound("meeting")
    return meeting


#: per data version: the meetings' statuses
_statuses = FragmentCache(size=2048, ttl=300.0)


def visible_status(meeting_id: int, actor=None) -> str:
    """The status of a meeting `actor` may see (NotFound as `get_meeting`), for what is kept per data version and
    needs the meeting's rows only when it is made again (one query per meeting and data version)."""
    status = _statuses.get(
        ("status", meeting_id), lambda: db.session.scalar(sa.select(Meeting.status).where(Meeting.id == meeting_id))
    )
    if status is None or (status == MeetingStatus.DRAFT and not has_role(actor, Role.COORDINATOR)):
        raise NotFound("meeting")
    return status


VISIBLE = (MeetingStatus.PUBLISHED.value, MeetingStatus.HELD.value, MeetingStatus.CANCELLED.value)


def list_public_meetings(
    when: str = "upcoming",
    kind: str = "",
    meeting_format: str = "",
    department: str = "",
    page: int = 1,
    per_page: int = 20,
):
    now = datetime.now(tz())
    stmt = sa.select(Meeting).where(Meeting.status.in_(VISIBLE))
    if when == "past":
        stmt = stmt.where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc())
    else:
        stmt = stmt.where(Meeting.ends_at >= now).order_by(Meeting.starts_at)
    if kind in set(MeetingKind):
        stmt = stmt.where(Meeting.kind == kind)
    if meeting_format in set(MeetingFormat):
        stmt = stmt.where(Meeting.format == meeting_format)
    if department:
        stmt = stmt.where(Meeting.department_code == department)
    return db.paginate(stmt, page=max(1, page), per_page=per_page, max_per_page=100, error_out=False)


#: meetings a page of the coordinators' list shows
MANAGE_PER_PAGE = 50


def list_all_meetings(actor, status: str = "", page: int = 1):
    """One page of every meeting for the coordinators, the latest first (eight years of history make 200)."""
    require_role(actor, Role.COORDINATOR)
    stmt = sa.select(Meeting).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    if status in set(MeetingStatus):
        stmt = stmt.where(Meeting.status == status)
    return db.paginate(stmt, page=max(1, page), per_page=MANAGE_PER_PAGE, max_per_page=MANAGE_PER_PAGE, error_out=False)


def next_meeting() -> Meeting | None:
    return db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.status == MeetingStatus.PUBLISHED, Meeting.starts_at >= datetime.now(tz()))
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def default_duration() -> timedelta:
    return timedelta(hours=3)
