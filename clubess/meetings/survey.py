"""The satisfaction questionnaire of a held meeting: a personal signed link per attendee, one answer per person.

The link comes with the minutes (minutes_mail) and works MEETING_SURVEY_DAYS days from that mail, without
login. A forged, expired or foreign link, or a second answer, is refused and stores nothing. Coordinators
read the results without names; the themes wished for feed their list of themes for the next meetings.
"""

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, require_role
from clubess.core.tokens import InvalidToken, make_token, read_token
from clubess.extensions import db
from clubess.mailing.services import external_url
from clubess.meetings.followup_models import SurveyAnswer
from clubess.meetings.models import Attendance, Meeting, MeetingStatus, Registration

PURPOSE = "meeting-survey"
RATINGS = (1, 2, 3, 4, 5)
MAX_THEME = 200
MAX_COMMENT = 3000


class LinkRefused(DomainError):
    """The link cannot be used: forged, expired, not for a held meeting, or its person was not marked present."""

    status = 400


class AlreadyAnswered(DomainError):
    status = 409


# --- the link -----------------------------------------------------------------------------------


def survey_token(registration: Registration) -> str:
    return make_token(PURPOSE, {"r": registration.id, "m": registration.meeting_id})


def survey_url(registration: Registration) -> str:
    return external_url("survey.answer", token=survey_token(registration))


def max_age() -> int:
    return current_app.config["MEETING_SURVEY_DAYS"] * 24 * 3600


def registration_from_link(token: str) -> Registration:
    """The attendee a link belongs to, or LinkRefused with the reason in words."""
    try:
        data = read_token(PURPOSE, token, max_age())
    except InvalidToken as exc:
        if str(exc) == "expired":
            raise LinkRefused(
                _(
                    "Ce lien a expiré : le questionnaire n’est ouvert que %(n)d jours après l’envoi du compte rendu.",
                    n=current_app.config["MEETING_SURVEY_DAYS"],
                )
            ) from None
        raise LinkRefused(
            _("Ce lien n’est pas valide. Utilisez le lien reçu par courriel, sans le modifier.")
        ) from None
    ids = (data.get("r"), data.get("m")) if isinstance(data, dict) else (None, None)
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise LinkRefused(_("Ce lien n’est pas valide. Utilisez le lien reçu par courriel, sans le modifier."))
    registration = db.session.get(Registration, ids[0])
    if registration is None or registration.meeting_id != ids[1]:
        raise LinkRefused(_("Ce lien ne correspond à aucune participation enregistrée."))
    if registration.attendance != Attendance.PRESENT or registration.meeting.status != MeetingStatus.HELD:
        raise LinkRefused(_("Ce questionnaire n’est pas ouvert pour cette participation."))
    return registration


def answer_of(registration: Registration) -> SurveyAnswer | None:
    return db.session.scalar(sa.select(SurveyAnswer).where(SurveyAnswer.registration_id == registration.id))


# --- answering ----------------------------------------------------------------------------------


@dataclass
class SurveyData:
    rating: int | None
    useful_item_id: int | None = None
    wished_theme: str = ""
    comment: str = ""


def _validate(meeting: Meeting, data: SurveyData) -> None:
    errors = {}
    if data.rating not in RATINGS:
        errors["rating"] = _("Choisissez une note de 1 à 5.")
    if data.useful_item_id is not None and data.useful_item_id not in {i.id for i in meeting.items}:
        errors["useful_item"] = _("Choisissez un point de l’ordre du jour de cette rencontre.")
    if len(data.wished_theme) > MAX_THEME:
        errors["wished_theme"] = _("%(n)d caractères au plus.", n=MAX_THEME)
    if len(data.comment) > MAX_COMMENT:
        errors["comment"] = _("%(n)d caractères au plus.", n=MAX_COMMENT)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)


def submit_answer(registration: Registration, data: SurveyData) -> None:
    """Store the attendee's answer; a second one (even two at once) is refused with AlreadyAnswered."""
    meeting = registration.meeting
    data.wished_theme, data.comment = " ".join(data.wished_theme.split()), data.comment.strip()
    _validate(meeting, data)
    if answer_of(registration) is not None:
        raise AlreadyAnswered(_("Vous avez déjà répondu à ce questionnaire : une seule réponse par personne."))
    # ON CONFLICT DO NOTHING on the registration: of two answers sent at once, the second stores nothing.
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    result = db.session.execute(
        insert(SurveyAnswer)
        .values(
            meeting_id=meeting.id,
            registration_id=registration.id,
            rating=data.rating,
            useful_item_id=data.useful_item_id,
            wished_theme=data.wished_theme,
            comment=data.comment,
            created_at=now_utc(),
            demo=False,
        )
        .on_conflict_do_nothing(index_elements=["registration_id"])
    )
    if not result.rowcount:
        raise AlreadyAnswered(_("Vous avez déjà répondu à ce questionnaire : une seule réponse par personne."))
    record(None, "meeting.survey_answered", meeting)


# --- results ------------------------------------------------------------------------------------


@dataclass
class SurveyResults:
    answers: int = 0
    attendees: int = 0
    average: float | None = None
    #: [(rating, count)] from 5 down to 1
    distribution: list[tuple[int, int]] = field(default_factory=list)
    #: [(agenda item's title, count)], most chosen first
    useful_items: list[tuple[str, int]] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def rate(self) -> int | None:
        """Answers per attendee, in percent (None when nobody attended)."""
        return round(100 * self.answers / self.attendees) if self.attendees else None

    @property
    def average_text(self) -> str:
        """The average as the page's language writes it: « 4,2 », "4.2"."""
        return format_decimal(self.average, format="0.0") if self.average is not None else ""

    def share(self, count: int) -> int:
        return round(100 * count / self.answers) if self.answers else 0


def results(actor, meeting: Meeting) -> SurveyResults:
    """The questionnaire's results for the meeting's back-office page (2 queries), without names."""
    require_role(actor, Role.COORDINATOR)
    attendees = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(sa.func.lower(Registration.email)))).where(
            Registration.meeting_id == meeting.id, Registration.attendance == Attendance.PRESENT
        )
    )
    rows = db.session.execute(
        sa.select(SurveyAnswer.rating, SurveyAnswer.useful_item_id, SurveyAnswer.wished_theme, SurveyAnswer.comment)
        .where(SurveyAnswer.meeting_id == meeting.id)
        .order_by(SurveyAnswer.created_at, SurveyAnswer.id)
    ).all()
    ratings = Counter(r.rating for r in rows)
    titles = {i.id: i.title for i in meeting.items}
    useful = Counter(titles[r.useful_item_id] for r in rows if r.useful_item_id in titles)
    return SurveyResults(
        answers=len(rows),
        attendees=attendees or 0,
        average=round(sum(r.rating for r in rows) / len(rows), 1) if rows else None,
        distribution=[(n, ratings.get(n, 0)) for n in reversed(RATINGS)],
        useful_items=sorted(useful.items(), key=lambda kv: (-kv[1], kv[0])),
        themes=[r.wished_theme for r in rows if r.wished_theme],
        comments=[r.comment for r in rows if r.comment],
    )


@dataclass
class WishedTheme:
    theme: str
    count: int
    #: the meetings whose attendees wished it, newest first
    meetings: list[str] = field(default_factory=list)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split()).strip(" .!?")


def wished_themes(actor, limit: int = 500) -> list[WishedTheme]:
    """The themes attendees wished for next time (the latest `limit` answers), the same words counted once
    whatever their case or accents, most wished first (1 query)."""
    require_role(actor, Role.COORDINATOR)
    rows = db.session.execute(
        sa.select(SurveyAnswer.wished_theme, Meeting.title)
        .join(Meeting, Meeting.id == SurveyAnswer.meeting_id)
        .where(SurveyAnswer.wished_theme != "")
        .order_by(SurveyAnswer.created_at.desc(), SurveyAnswer.id.desc())
        .limit(limit)
    )
    found: dict[str, WishedTheme] = {}
    for theme, title in rows:
        entry = found.setdefault(_fold(theme), WishedTheme(theme, 0))
        entry.count += 1
        if title not in entry.meetings:
            entry.meetings.append(title)
    return sorted(found.values(), key=lambda w: -w.count)
