"""Who came to a meeting: attendance ticked for every registrant in one go, and walk-ins.

Attendance is recorded once the meeting has started (not for a draft or a cancelled one). A walk-in is a
person who came without registering: a `Registration` with `is_walk_in`, status registered and attendance
present, so "who attended" stays one query (`attendance == present`) for every domain. A walk-in holds no
seat (`seats.seats_taken` leaves them out) and is never mailed a registration's messages.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from unidecode import unidecode

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.emails import normalize_email
from clubess.core.errors import DomainError, NotFound
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.meetings.models import (
    Attendance,
    AttendMode,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from clubess.members.models import Collectivity, CollectivityStatus, Member, Territory
from clubess.members.territories import normalize

#: how many people the directory search offers at once
MEMBER_SEARCH_LIMIT = 20


def sort_text(text: str) -> str:
    """How a French list orders names: accents and case aside (Émilie with the E)."""
    return unidecode(text or "").casefold()


def group_name(registration: Registration) -> str:
    """The collectivity of a member, the organisation of anyone else."""
    if registration.collectivity is not None:
        return registration.collectivity.name
    return registration.organisation or ""


def person_sort_key(registration: Registration) -> tuple:
    member = registration.member
    if member is not None:
        return sort_text(member.last_name), sort_text(member.first_name), registration.id
    return sort_text(registration.name), "", registration.id


def attendance_error(meeting: Meeting, now: datetime | None = None) -> str | None:
    """Why attendance cannot be recorded for this meeting now, or None."""
    if meeting.status == MeetingStatus.CANCELLED:
        return _("Cette rencontre est annulée : il n’y a pas de présence à relever.")
    if meeting.status == MeetingStatus.DRAFT:
        return _("Cette rencontre n’est pas publiée : il n’y a pas de présence à relever.")
    if meeting.starts_at > (now or now_utc()):
        return _("La présence se relève une fois la rencontre commencée.")
    return None


def _check_open(actor, meeting: Meeting) -> None:
    require_role(actor, Role.COORDINATOR)
    if error := attendance_error(meeting):
        raise DomainError(error)


def list_attendance(actor, meeting: Meeting) -> list[Registration]:
    """The registered people and the walk-ins, as the sign-in sheet orders them (by collectivity or
    organisation, then name), walk-ins last: 4 queries whatever the number."""
    require_role(actor, Role.COORDINATOR)
    rows = db.session.scalars(
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.REGISTERED)
        .options(
            selectinload(Registration.member),
            selectinload(Registration.collectivity),
            selectinload(Registration.on_behalf_of),
        )
    ).all()
    return sorted(rows, key=lambda r: (r.is_walk_in, sort_text(group_name(r)), person_sort_key(r)))


@dataclass
class AttendanceSummary:
    counts: dict[str, int] = field(default_factory=dict)
    walk_ins: int = 0

    @property
    def recorded(self) -> bool:
        """At least one person was ticked present or absent."""
        return bool(self.counts.get(Attendance.PRESENT) or self.counts.get(Attendance.ABSENT))


def summary(rows: list[Registration]) -> AttendanceSummary:
    result = AttendanceSummary(counts={a.value: 0 for a in Attendance})
    for r in rows:
        result.counts[r.attendance] += 1
        result.walk_ins += r.is_walk_in
    return result


def record_attendance(
    actor, meeting: Meeting, marks: dict[int, str], seen: dict[int, str] | None = None
) -> dict[str, int]:
    """Present, absent or unknown for many registrants at once (one form, one audit event).

    `seen` is what the coordinator's page showed: a row whose mark did not change there is left alone, so
    two coordinators ticking different people at the same time do not undo each other. Nothing is stored
    when one mark is not a known value or names a registration of another meeting. Returns the counts of
    the changes made, by attendance.
    """
    _check_open(actor, meeting)
    if any(value not in set(Attendance) for value in marks.values()):
        raise DomainError(_("Une des présences envoyées n’est pas une valeur connue : rien n’est enregistré."))
    seen = seen or {}
    wanted = {rid: value for rid, value in marks.items() if seen.get(rid) != value}
    if not wanted:
        return {}
    rows = db.session.scalars(sa.select(Registration).where(Registration.id.in_(list(wanted))).with_for_update()).all()
    found = {r.id: r for r in rows if r.meeting_id == meeting.id and r.status == RegistrationStatus.REGISTERED}
    if len(found) != len(wanted):
        raise DomainError(
            _(
                "La liste a changé depuis l’ouverture de la page (une inscription a été retirée) : rien n’est "
                "enregistré, vérifiez la liste à jour."
            )
        )
    changed: dict[str, int] = {}
    for rid, value in wanted.items():
        registration = found[rid]
        if registration.attendance != value:
            registration.attendance = value
            changed[value] = changed.get(value, 0) + 1
    if changed:
        record(actor, "meeting.attendance_recorded", meeting, **changed)
    return changed


def _existing(meeting: Meeting, member: Member | None, email: str | None) -> Registration | None:
    conditions = []
    if member is not None:
        conditions.append(Registration.member_id == member.id)
    if email:
        conditions.append(sa.func.lower(Registration.email) == email.lower())
    if not conditions:
        return None
    return db.session.scalars(
        sa.select(Registration).where(Registration.meeting_id == meeting.id, sa.or_(*conditions)).limit(1)
    ).first()


def _take_in(meeting: Meeting, existing: Registration | None, name: str) -> Registration:
    """A walk-in row: a new one, or the person's waitlisted, offered, unconfirmed or cancelled registration."""
    if existing is not None and existing.status == RegistrationStatus.REGISTERED:
        if existing.is_walk_in:
            raise DomainError(_("%(name)s est déjà noté·e comme venu·e sans inscription.", name=name))
        raise DomainError(_("%(name)s est inscrit·e : cochez sa présence dans la liste.", name=name))
    registration = existing or Registration(meeting=meeting)
    registration.status = RegistrationStatus.REGISTERED.value
    registration.is_walk_in = True
    registration.attendance = Attendance.PRESENT.value
    registration.mode = (
        AttendMode.ONLINE.value if meeting.format == MeetingFormat.ONLINE else AttendMode.IN_PERSON.value
    )
    registration.offer_expires_at = None
    registration.cancelled_at = None
    db.session.add(registration)
    return registration


def add_walk_in_member(actor, meeting: Meeting, member: Member) -> Registration:
    """A person of a member collectivity, chosen from the directory, came without registering."""
    _check_open(actor, meeting)
    if member.anonymised_at is not None or member.collectivity.status != CollectivityStatus.ACTIVE:
        raise DomainError(_("Cette personne n’est plus dans l’annuaire des membres."), field="member")
    registration = _take_in(meeting, _existing(meeting, member, member.email), member.full_name)
    registration.member_id = member.id
    registration.collectivity_id = member.collectivity_id
    registration.email = member.email
    registration.name = member.full_name
    registration.organisation = member.collectivity.name
    registration.is_guest = False
    db.session.flush()
    record(actor, "meeting.walk_in_added", registration, meeting=meeting.id, member=member.id)
    return registration


def add_walk_in(actor, meeting: Meeting, name: str, organisation: str, email: str = "") -> Registration:
    """Someone who is not in the directory came without registering: a name, an organisation, an address
    if they gave one (never mailed a registration's messages, but the minutes may reach them)."""
    _check_open(actor, meeting)
    name, organisation = (name or "").strip(), (organisation or "").strip()
    if not name:
        raise DomainError(_("Indiquez le nom de la personne."), field="name")
    address = normalize_email(email) if (email or "").strip() else None
    registration = _take_in(meeting, _existing(meeting, None, address), name)
    if registration.member_id is None:
        registration.is_guest = True
        registration.name = name
        registration.organisation = organisation
    if address:
        registration.email = address
    db.session.flush()
    record(actor, "meeting.walk_in_added", registration, meeting=meeting.id)
    return registration


def remove_walk_in(actor, registration: Registration) -> None:
    """A walk-in noted by mistake: the row is cancelled (it no longer counts as present); adding the person
    again brings it back."""
    _check_open(actor, registration.meeting)
    if not registration.is_walk_in or registration.status != RegistrationStatus.REGISTERED:
        raise DomainError(_("Seule une personne venue sans inscription se retire ici."))
    registration.status = RegistrationStatus.CANCELLED.value
    registration.attendance = Attendance.UNKNOWN.value
    registration.cancelled_at = now_utc()
    record(actor, "meeting.walk_in_removed", registration, meeting=registration.meeting_id)


def get_walk_in(meeting: Meeting, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.meeting_id != meeting.id or not registration.is_walk_in:
        raise NotFound(_("Cette personne n’est pas notée à cette rencontre."))
    return registration


def search_members(q: str, limit: int = MEMBER_SEARCH_LIMIT) -> list[Member]:
    """People of member collectivities whose name or collectivity holds every word of `q` (2 queries).

    Accents and case aside: « helene » finds Hélène, « st ouen » finds Saint-Ouen-sur-Seine. In SQL each
    letter that may carry an accent is a one-letter wildcard (the same on SQLite and PostgreSQL, no
    extension needed); the few rows that match only through a wildcard are dropped here.
    """
    words = normalize(q or "").split()[:5]
    if not words:
        return []
    place = sa.literal(" ") + Territory.search_name
    name = sa.func.lower(Member.first_name + " " + Member.last_name)
    stmt = (
        sa.select(Member)
        .join(Member.collectivity)
        .join(Territory, Territory.id == Collectivity.territory_id)
        .where(
            Collectivity.status == CollectivityStatus.ACTIVE,
            Member.anonymised_at.is_(None),
            Member.mandate_end_on.is_(None) | (Member.mandate_end_on >= now_utc().date()),
            *(sa.or_(place.contains(" " + w, autoescape=True), name.like(f"%{_wildcards(w)}%")) for w in words),
        )
        .options(selectinload(Member.collectivity))
        .order_by(Member.last_name, Member.first_name, Member.id)
        .limit(limit * 5)
    )
    found = []
    for member in db.session.scalars(stmt):
        text = f"{normalize(member.full_name)} {member.collectivity.territory.search_name}"
        if all(w in text for w in words):
            found.append(member)
    return found[:limit]


def _wildcards(word: str) -> str:
    """« helene » → « h_l_n_ »: a LIKE pattern that matches Hélène whatever the database folds."""
    return "".join("_" if c in "aceiouy" else c for c in word)
