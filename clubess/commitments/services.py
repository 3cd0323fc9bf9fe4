"""Recording a collectivity's commitments and following them: who may act, what each change keeps.

The référent of a collectivity (or a coordinator) records its commitments and updates them; the other people
of the collectivity read them; nobody else does. Every change leaves a line in the commitment's history
(who, when, from which status to which, the note) and an audit event.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.commitments import quarters
from clubess.commitments.labels import STATUS_LABELS
from clubess.commitments.models import Commitment, CommitmentChange, CommitmentStatus
from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError, Forbidden, NotFound
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.meetings.models import Attendance, Meeting, MeetingStatus, Registration, RegistrationStatus
from clubess.members.models import Collectivity, CollectivityStatus, Member
from clubess.members.services import is_referent, require_own_collectivity, require_referent

TITLE_MAX, TEXT_MAX = 200, 2000


@dataclass
class CommitmentData:
    title: str
    lever: str
    success: str
    responsible_id: int | None
    #: (year, quarter), or None when what was sent is not a quarter
    target: tuple[int, int] | None
    meeting_id: int | None = None
    note: str = ""


# --- who may do what ----------------------------------------------------------------------------------


#: the référent of the collectivity, or a coordinator
can_manage = is_referent


def require_manager(actor, collectivity: Collectivity) -> None:
    """Raise Forbidden unless `actor` is the collectivity's référent or a coordinator."""
    require_referent(actor, collectivity)


#: the people of the collectivity read its commitments; coordinators read all; nobody else
require_reader = require_own_collectivity


def get_commitment(commitment_id: int) -> Commitment:
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None:
        raise NotFound("commitment")
    return commitment


def get_readable(actor, commitment_id: int) -> Commitment:
    """The commitment if `actor` may read it; NotFound otherwise (another collectivity's id says nothing)."""
    commitment = get_commitment(commitment_id)
    try:
        require_reader(actor, commitment.collectivity)
    except Forbidden:
        raise NotFound("commitment") from None
    return commitment


# --- the choices a form offers --------------------------------------------------------------------------


def people_in_office(collectivity_ids: list[int]) -> list[Member]:
    """The people who may be in charge: in office, not erased, by collectivity then name (one query)."""
    if not collectivity_ids:
        return []
    today = quarters.today()
    return list(
        db.session.scalars(
            sa.select(Member)
            .where(
                Member.collectivity_id.in_(collectivity_ids),
                Member.anonymised_at.is_(None),
                sa.or_(Member.mandate_end_on.is_(None), Member.mandate_end_on >= today),
            )
            .order_by(Member.collectivity_id, Member.last_name, Member.first_name, Member.id)
        )
    )


def _attended(collectivity_column):
    """Registrations that put a collectivity at a meeting: a seat held and not marked absent (walk-ins included)."""
    return sa.and_(
        Registration.collectivity_id == collectivity_column,
        Registration.status == RegistrationStatus.REGISTERED,
        Registration.attendance != Attendance.ABSENT,
    )


def collectivities_present(meeting: Meeting) -> list[Collectivity]:
    """The member collectivities at a meeting: a registration with a seat, not marked absent (by name)."""
    return list(
        db.session.scalars(
            sa.select(Collectivity)
            .where(
                Collectivity.status == CollectivityStatus.ACTIVE,
                sa.exists().where(Registration.meeting_id == meeting.id, _attended(Collectivity.id)),
            )
            .options(selectinload(Collectivity.territory))
        )
    )


def meetings_attended(collectivity: Collectivity, limit: int = 30) -> list[Meeting]:
    """The meetings that started, were not cancelled and that the collectivity attended, latest first."""
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.status != MeetingStatus.CANCELLED,
                Meeting.starts_at <= now_utc(),
                sa.exists().where(Registration.meeting_id == Meeting.id, _attended(collectivity.id)),
            )
            .order_by(Meeting.starts_at.desc())
            .limit(limit)
        )
    )


def collectivity_of_person(member_id: int | None, meeting: Meeting) -> Collectivity:
    """On a meeting's page the person in charge says which collectivity commits: one present at the meeting."""
    person = db.session.get(Member, member_id) if member_id else None
    present = {c.id: c for c in collectivities_present(meeting)}
    if person is None or person.collectivity_id not in present:
        raise DomainError(
            _("Choisissez la personne en charge parmi celles des collectivités présentes."), field="responsible_id"
        )
    return present[person.collectivity_id]


def list_for_collectivity(collectivity: Collectivity) -> list[Commitment]:
    """The collectivity's commitments, by target quarter (three queries whatever their number)."""
    return list(
        db.session.scalars(
            sa.select(Commitment)
            .where(Commitment.collectivity_id == collectivity.id)
            .options(selectinload(Commitment.responsible), selectinload(Commitment.meeting))
            .order_by(Commitment.target_year, Commitment.target_quarter, Commitment.id)
        )
    )


# --- recording and changing -------------------------------------------------------------------------------


def _author_label(actor) -> str:
    return (getattr(actor, "display_name", "") or getattr(actor, "email", "") or "")[:200]


def _check(collectivity: Collectivity, data: CommitmentData, commitment: Commitment | None = None) -> Member:
    """The rules of a commitment's content; returns the person in charge. Every error names its field."""
    errors = {}
    title = data.title.strip()
    if not title:
        errors["title"] = _("Dites en une phrase ce que la collectivité s’engage à faire.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("L’intitulé tient en %(n)d caractères au plus.", n=TITLE_MAX)
    if data.lever not in LEVERS:
        errors["lever"] = _("Choisissez le levier de l’engagement.")
    if len(data.success.strip()) > TEXT_MAX or len(data.note.strip()) > TEXT_MAX:
        field = "success" if len(data.success.strip()) > TEXT_MAX else "note"
        errors[field] = _("Ce texte tient en %(n)d caractères au plus.", n=TEXT_MAX)
    person = db.session.get(Member, data.responsible_id) if data.responsible_id else None
    unchanged_person = commitment is not None and person is not None and person.id == commitment.responsible_id
    if person is None or person.collectivity_id != collectivity.id:
        errors["responsible_id"] = _("Choisissez une personne de %(name)s, en fonction.", name=collectivity.name)
    elif not unchanged_person and (person.anonymised_at is not None or not person.is_current):
        errors["responsible_id"] = _("%(name)s n’est plus en fonction : choisissez une personne en fonction.",
                                     name=person.full_name)  # fmt: skip
    unchanged_target = commitment is not None and data.target == (commitment.target_year, commitment.target_quarter)
    if data.target is None:
        errors["target"] = _("Choisissez le trimestre visé.")
    elif not unchanged_target and quarters.index(*data.target) < quarters.index(*quarters.of_day(quarters.today())):
        errors["target"] = _("Ce trimestre est passé : choisissez le trimestre en cours ou un trimestre à venir.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    return person


def _check_meeting(collectivity: Collectivity, meeting_id: int | None) -> Meeting | None:
    """The meeting where the commitment was made: one that started, was not cancelled, and that the collectivity
    attended."""
    if not meeting_id:
        return None
    meeting = db.session.scalar(
        sa.select(Meeting).where(
            Meeting.id == meeting_id,
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.starts_at <= now_utc(),
            sa.exists().where(Registration.meeting_id == Meeting.id, _attended(collectivity.id)),
        )
    )
    if meeting is None:
        raise DomainError(
            _("Choisissez une rencontre à laquelle %(name)s a participé.", name=collectivity.name), field="meeting_id"
        )
    return meeting


def record_commitment(actor, collectivity: Collectivity, data: CommitmentData) -> Commitment:
    """The référent (or a coordinator) records what the collectivity commits to; it starts as *prévu*."""
    require_manager(actor, collectivity)
    if collectivity.status != CollectivityStatus.ACTIVE:
        raise DomainError(_("Seule une collectivité membre du club prend des engagements."))
    person = _check(collectivity, data)
    meeting = _check_meeting(collectivity, data.meeting_id)
    now = now_utc()
    commitment = Commitment(
        collectivity_id=collectivity.id,
        meeting_id=meeting.id if meeting else None,
        title=data.title.strip(),
        lever=data.lever,
        success=data.success.strip(),
        responsible_id=person.id,
        target_year=data.target[0],
        target_quarter=data.target[1],
        status=CommitmentStatus.PLANNED.value,
        created_at=now,
        updated_at=now,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(commitment)
    db.session.flush()
    _history(actor, commitment, None, CommitmentStatus.PLANNED.value, data.note, now)
    record(
        actor,
        "commitment.created",
        commitment,
        collectivity=collectivity.id,
        meeting=commitment.meeting_id,
        quarter=commitment.target_label,
    )
    return commitment


def _history(actor, commitment: Commitment, before: str | None, after: str, note: str, now) -> CommitmentChange:
    change = CommitmentChange(
        commitment=commitment,
        created_at=now,
        author_id=getattr(actor, "id", None),
        author_label=_author_label(actor),
        from_status=before,
        to_status=after,
        note=note.strip(),
    )
    db.session.add(change)
    return change


def change_status(actor, commitment: Commitment, status: str, note: str = "") -> CommitmentChange:
    """A new status with a dated note (or a note alone); abandoning says why. Kept in the history, audited."""
    require_manager(actor, commitment.collectivity)
    note = (note or "").strip()
    if status not in set(CommitmentStatus):
        raise DomainError(_("Choisissez un statut."), field="status")
    if len(note) > TEXT_MAX:
        raise DomainError(_("La note tient en %(n)d caractères au plus.", n=TEXT_MAX), field="note")
    before = commitment.status
    if status == CommitmentStatus.ABANDONED and before != status and not note:
        raise DomainError(_("Dites pourquoi l’engagement est abandonné : la note est obligatoire."), field="note")
    if status == before and not note:
        raise DomainError(
            _("Le statut est déjà « %(status)s » : changez-le, ou écrivez une note.", status=STATUS_LABELS[before]),
            field="note",
        )
    now = now_utc()
    change = _history(actor, commitment, before, status, note, now)
    commitment.status, commitment.updated_at = status, now
    db.session.flush()
    if status != before:
        record(actor, "commitment.status_changed", commitment, before=before, after=status)
    else:
        record(actor, "commitment.noted", commitment, status=status)
    return change


def update_commitment(actor, commitment: Commitment, data: CommitmentData) -> list[str]:
    """Change what the commitment says (e.g. postpone it, or hand it to someone else); the history says what
    changed, in the club's language. Returns the names of the fields that changed (none: nothing is written,
    unless there is a note)."""
    collectivity = commitment.collectivity
    require_manager(actor, collectivity)
    person = _check(collectivity, data, commitment)
    new = {"title": data.title.strip(), "lever": data.lever, "success": data.success.strip()}
    changed = [field for field, value in new.items() if getattr(commitment, field) != value]
    if person.id != commitment.responsible_id:
        changed.append("responsible")
    if data.target != (commitment.target_year, commitment.target_quarter):
        changed.append("target")
    if not changed:
        if data.note.strip():
            change_status(actor, commitment, commitment.status, data.note)
        return []
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        names = {"title": _("Intitulé modifié"), "lever": _("Levier modifié"), "success": _("Résultat attendu modifié")}
        said = [names[field] for field in changed if field in names]
        if "responsible" in changed:
            said.append(
                _(
                    "Personne en charge : %(before)s → %(after)s",
                    before=commitment.responsible_name or "—",
                    after=person.full_name,
                )  # fmt: skip
            )
        if "target" in changed:
            said.append(
                _(
                    "Trimestre visé : %(before)s → %(after)s",
                    before=commitment.target_label,
                    after=quarters.label(*data.target),
                )  # fmt: skip
            )
    for field, value in new.items():
        setattr(commitment, field, value)
    commitment.responsible_id, commitment.responsible_label = person.id, ""
    commitment.target_year, commitment.target_quarter = data.target
    now = now_utc()
    note = "\n".join([" ; ".join(said) + ".", data.note.strip()]).strip()
    _history(actor, commitment, commitment.status, commitment.status, note, now)
    commitment.updated_at = now
    db.session.flush()
    record(actor, "commitment.updated", commitment, fields=", ".join(changed))
    return changed


def history(commitment: Commitment) -> list[CommitmentChange]:
    """The commitment's history, newest first."""
    return sorted(commitment.changes, key=lambda c: c.id, reverse=True)
