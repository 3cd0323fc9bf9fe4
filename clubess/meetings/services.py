"""Meeting rules: series and their occurrences, meetings, agenda, speakers, publication."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.core.audit import record
from clubess.core.errors import DomainError, NotFound
from clubess.core.permissions import Role, has_role, require_role
from clubess.core.timezone import local, tz
from clubess.extensions import db
from clubess.meetings import clashes
from clubess.meetings.models import (
    AgendaItem,
    Audience,
    ItemKind,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Speaker,
    SpeakerKind,
)

#: fields whose change makes calendar apps update the event (SEQUENCE + 1)
MATERIAL_FIELDS = ("starts_at", "ends_at", "venue", "address", "online_url", "format")


# --- series -------------------------------------------------------------------------------------


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The nth (1-4, or -1 for last) given weekday (0 = Monday) of a month; None if it does not exist."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if 1 <= nth <= len(days) else None


@dataclass
class SeriesRule:
    rule: str
    year: int | None = None
    month_in_quarter: int | None = None
    weekday: int | None = None
    nth: int | None = None
    dates: list[date] | None = None


def rule_dates(rule: SeriesRule) -> list[date]:
    if rule.rule == "quarterly":
        if rule.year is None or rule.month_in_quarter not in (1, 2, 3) or rule.weekday not in range(7):
            return []
        found = [
            nth_weekday(rule.year, 3 * quarter + rule.month_in_quarter, rule.weekday, rule.nth or 1)
            for quarter in range(4)
        ]
        return [d for d in found if d is not None]
    return sorted(set(rule.dates or []))


def create_series(
    actor,
    title: str,
    kind: str,
    rule: SeriesRule,
    start_time: time,
    end_time: time,
    meeting_format: str,
    venue: str = "",
    address: str = "",
    online_url: str = "",
    template_agenda: list | None = None,
    acknowledged: str = "",
) -> MeetingSeries:
    """Create a series and its occurrences, as drafts, each with a copy of the template agenda.

    Occurrences at the time of other meetings need the coordinator's confirmation (`acknowledged`).
    """
    require_role(actor, Role.COORDINATOR)
    if end_time <= start_time:
        raise DomainError(_("L'heure de fin doit suivre l'heure de début."), field="end_time")
    dates = rule_dates(rule)
    if not dates:
        raise DomainError(_("Cette règle ne donne aucune date : vérifiez l'année, le mois et le jour."), field="rule")
    template = _check_template(template_agenda or [], start_time, end_time)
    clashes.check_times([(local(day, start_time), local(day, end_time)) for day in dates], acknowledged)
    series = MeetingSeries(
        title=title.strip(),
        kind=kind,
        rule=rule.rule,
        year=rule.year,
        month_in_quarter=rule.month_in_quarter,
        weekday=rule.weekday,
        nth=rule.nth,
        dates=[d.isoformat() for d in dates],
        start_time=start_time,
        end_time=end_time,
        format=meeting_format,
        venue=venue.strip(),
        address=address.strip(),
        online_url=online_url.strip(),
        template_agenda=template,
    )
    db.session.add(series)
    for number, day in enumerate(dates, start=1):
        meeting = Meeting(
            series=series,
            kind=kind,
            title=f"{series.title} — n° {number}",
            starts_at=local(day, start_time),
            ends_at=local(day, end_time),
            format=meeting_format,
            venue=series.venue,
            address=series.address,
            online_url=series.online_url,
            status=MeetingStatus.DRAFT.value,
        )
        db.session.add(meeting)
        _apply_template(meeting, template)
    db.session.flush()
    record(actor, "series.created", series, occurrences=len(dates))
    return series


def _check_template(template: list, start_time: time, end_time: time) -> list:
    for row in template:
        start, end = time.fromisoformat(row["start"]), time.fromisoformat(row["end"])
        if not (start_time <= start < end <= end_time):
            raise DomainError(
                _("Le point « %(title)s » sort des horaires de la rencontre.", title=row["title"]), field="template"
            )
        if row.get("kind", ItemKind.INTERVENTION) not in set(ItemKind):
            raise DomainError(_("Type de point inconnu."), field="template")
    return template


def _apply_template(meeting: Meeting, template: list) -> None:
    day = meeting.starts_at.astimezone(tz()).date()
    meeting.items = [
        AgendaItem(
            position=i,
            title=row["title"],
            kind=row.get("kind", ItemKind.INTERVENTION.value),
            description=row.get("description", ""),
            starts_at=local(day, time.fromisoformat(row["start"])),
            ends_at=local(day, time.fromisoformat(row["end"])),
        )
        for i, row in enumerate(template)
    ]


def update_series_template(actor, series: MeetingSeries, template: list) -> int:
    """Change the template agenda; occurrences edited on their own keep theirs. Returns the number rewritten."""
    require_role(actor, Role.COORDINATOR)
    series.template_agenda = _check_template(template, series.start_time, series.end_time)
    rewritten = 0
    for meeting in series.meetings:
        if not meeting.is_customised and meeting.status == MeetingStatus.DRAFT:
            _apply_template(meeting, series.template_agenda)
            rewritten += 1
    record(actor, "series.template_changed", series, rewritten=rewritten)
    return rewritten


# --- meetings -----------------------------------------------------------------------------------


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


# --- agenda -------------------------------------------------------------------------------------


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


def list_feed_meetings() -> list[Meeting]:
    """Published, held and cancelled meetings for calendar feeds, agenda and speakers included (3 queries)."""
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.status.in_(VISIBLE))
            .options(selectinload(Meeting.items).selectinload(AgendaItem.speakers))
            .order_by(Meeting.starts_at)
        )
    )


def list_all_meetings(actor, status: str = "") -> list[Meeting]:
    require_role(actor, Role.COORDINATOR)
    stmt = sa.select(Meeting).order_by(Meeting.starts_at)
    if status in set(MeetingStatus):
        stmt = stmt.where(Meeting.status == status)
    return list(db.session.scalars(stmt))


def next_meeting() -> Meeting | None:
    return db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.status == MeetingStatus.PUBLISHED, Meeting.starts_at >= datetime.now(tz()))
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def default_duration() -> timedelta:
    return timedelta(hours=3)
