"""The minutes (compte rendu) of a held meeting: drafted, published to the attendees, corrected with revisions.

Rules:
- only coordinators write them, and only for a held meeting;
- publishing mails them once to each person who attended (registrations marked present, walk-ins
  included, each address once, less the addresses that left the "suivi" list), through the outbox;
- after publication every correction is kept as a revision (who, when, what changed); a correction is
  mailed again only when the coordinator asks for it, as a new mailing (each person once per mailing);
- members see the published minutes on the meeting page; visitors see them only for a public meeting.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, has_role, require_role
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.mailing.models import Scope
from clubess.mailing.suppression import suppressed_among
from clubess.meetings.followup_models import Decision, Minutes, MinutesRevision, MinutesStatus
from clubess.meetings.models import Attendance, Audience, Meeting, MeetingStatus, Registration

#: the longest minutes a coordinator may write (a long meeting's minutes are a few pages)
MAX_BODY = 100_000
MAX_DECISION = 500
MAX_DECISIONS = 50


@dataclass
class DecisionData:
    text: str
    lever: str | None = None


@dataclass
class Attendee:
    registration_id: int
    email: str
    name: str


# --- reading ------------------------------------------------------------------------------------


def get_minutes(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes with their decisions (2 queries), draft or published, or None."""
    return db.session.scalar(
        sa.select(Minutes).where(Minutes.meeting_id == meeting.id).options(selectinload(Minutes.decisions))
    )


def can_read(actor, meeting: Meeting) -> bool:
    """Who may read published minutes: everyone for a public meeting, members and coordinators otherwise."""
    if meeting.audience == Audience.PUBLIC or has_role(actor, Role.COORDINATOR):
        return True
    from clubess.members.services import member_of

    return member_of(actor) is not None


def visible_minutes(actor, meeting: Meeting) -> Minutes | None:
    """The published minutes this person may read on the meeting page, or None."""
    if meeting.status == MeetingStatus.DRAFT:
        return None
    minutes = get_minutes(meeting)
    if minutes is None or not minutes.is_published or not can_read(actor, meeting):
        return None
    return minutes


def list_revisions(actor, minutes: Minutes) -> list[MinutesRevision]:
    """Every published version, newest first."""
    require_role(actor, Role.COORDINATOR)
    return list(
        db.session.scalars(
            sa.select(MinutesRevision)
            .where(MinutesRevision.minutes_id == minutes.id)
            .order_by(MinutesRevision.number.desc())
        )
    )


def attendees(meeting: Meeting) -> list[Attendee]:
    """Who attended: registrations marked present (walk-ins are registrations too), each address once.

    An erased person's registration keeps no address (it ends in @invalid): nobody to mail."""
    rows = db.session.execute(
        sa.select(Registration.id, Registration.email, Registration.name)
        .where(Registration.meeting_id == meeting.id, Registration.attendance == Attendance.PRESENT)
        .order_by(Registration.id)
    )
    found: dict[str, Attendee] = {}
    for registration_id, email, name in rows:
        key = (email or "").strip().lower()
        if key and not key.endswith("@invalid") and key not in found:
            found[key] = Attendee(registration_id, email.strip(), name)
    return list(found.values())


def recipients(meeting: Meeting) -> list[Attendee]:
    """The attendees the minutes are mailed to: those who did not leave the "suivi" list (2 queries)."""
    people = attendees(meeting)
    gone = suppressed_among([p.email for p in people], Scope.SUIVI)
    return [p for p in people if p.email.lower() not in gone]


# --- writing ------------------------------------------------------------------------------------


def check_held(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.HELD:
        raise DomainError(
            _("Le compte rendu s’écrit une fois la rencontre tenue : marquez-la d’abord comme tenue."), field="body"
        )


def _validate(body: str, decisions: list[DecisionData]) -> list[DecisionData]:
    errors = {}
    if len(body) > MAX_BODY:
        errors["body"] = _("Le compte rendu est trop long : %(n)d caractères au plus.", n=MAX_BODY)
    kept = [DecisionData(" ".join(d.text.split()), d.lever or None) for d in decisions]
    kept = [d for d in kept if d.text]
    if len(kept) > MAX_DECISIONS:
        errors["decisions"] = _("%(n)d décisions au plus.", n=MAX_DECISIONS)
    for d in kept:
        if len(d.text) > MAX_DECISION:
            errors["decisions"] = _("Une décision tient en %(n)d caractères au plus.", n=MAX_DECISION)
        if d.lever is not None and d.lever not in LEVERS:
            errors["decisions"] = _("Levier inconnu.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    return kept


def _snapshot(minutes: Minutes) -> tuple[str, list[dict]]:
    return minutes.body, [{"text": d.text, "lever": d.lever} for d in minutes.decisions]


def _apply(minutes: Minutes, body: str, decisions: list[DecisionData]) -> None:
    minutes.body = body
    minutes.decisions = [Decision(position=i, text=d.text, lever=d.lever) for i, d in enumerate(decisions)]


def _revision(actor, minutes: Minutes, number: int, note: str, mailed: bool) -> MinutesRevision:
    body, decisions = _snapshot(minutes)
    revision = MinutesRevision(
        minutes_id=minutes.id,
        number=number,
        author_id=getattr(actor, "id", None),
        author_name=getattr(actor, "display_name", "") or getattr(actor, "email", ""),
        note=note,
        is_mailed=mailed,
        body=body,
        decisions=decisions,
        created_at=now_utc(),
    )
    db.session.add(revision)
    return revision


def _locked(meeting: Meeting) -> Minutes | None:
    """The minutes row, locked until the commit (two coordinators publishing at once publish once)."""
    return db.session.scalar(
        sa.select(Minutes)
        .where(Minutes.meeting_id == meeting.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def save_minutes(
    actor,
    meeting: Meeting,
    body: str,
    decisions: list[DecisionData],
    note: str = "",
    mail_again: bool = False,
) -> tuple[Minutes, int]:
    """Save the draft, or correct published minutes (a revision; mailed again only with `mail_again`).

    Returns the minutes and how many people the correction is mailed to (0 for a draft or a silent correction).
    """
    require_role(actor, Role.COORDINATOR)
    check_held(meeting)
    body = body.strip()
    decisions = _validate(body, decisions)
    minutes = _locked(meeting)
    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id, status=MinutesStatus.DRAFT.value)
        db.session.add(minutes)
        db.session.flush()
    if not minutes.is_published:
        _apply(minutes, body, decisions)
        db.session.flush()
        record(actor, "minutes.saved", meeting, decisions=len(decisions))
        return minutes, 0
    if not body:
        raise DomainError(_("Un compte rendu publié ne peut pas être vidé."), field="body")
    before = _snapshot(minutes)
    _apply(minutes, body, decisions)
    db.session.flush()
    if _snapshot(minutes) == before and not mail_again:
        return minutes, 0  # nothing changed: no revision
    number = 1 + (
        db.session.scalar(
            sa.select(sa.func.max(MinutesRevision.number)).where(MinutesRevision.minutes_id == minutes.id)
        )
        or 0
    )
    _revision(actor, minutes, number, " ".join(note.split())[:500], mail_again)
    mailed = 0
    if mail_again:
        from clubess.meetings.minutes_mail import queue_minutes

        minutes.mailings += 1
        mailed = queue_minutes(minutes, recipients(meeting), corrected=True)
    record(actor, "minutes.corrected", meeting, revision=number, mailed=mailed)
    return minutes, mailed


def publish_minutes(actor, meeting: Meeting) -> int:
    """Publish the saved draft: it shows on the meeting page and is mailed to the attendees. Returns how many."""
    require_role(actor, Role.COORDINATOR)
    check_held(meeting)
    minutes = _locked(meeting)
    if minutes is None or not minutes.body.strip():
        raise DomainError(_("Écrivez et enregistrez le compte rendu avant de le publier."), field="body")
    if minutes.is_published:
        raise DomainError(_("Ce compte rendu est déjà publié."))
    minutes.status = MinutesStatus.PUBLISHED.value
    minutes.published_at = now_utc()
    minutes.mailings = 1
    db.session.flush()
    _revision(actor, minutes, 1, "", True)
    from clubess.meetings.minutes_mail import queue_minutes

    mailed = queue_minutes(minutes, recipients(meeting), corrected=False)
    record(actor, "minutes.published", meeting, mailed=mailed, decisions=len(minutes.decisions))
    return mailed
