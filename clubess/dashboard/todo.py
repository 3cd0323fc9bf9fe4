"""« À faire »: what waits for a coordinator, each a count linking to the back-office list that shows it.

A problem *without a good answer* is the problems loop's « sans réponse » (practices.problems.is_unanswered):
not closed, not yet turned into an agenda item, and the « answered » decision stored when it was last matched
(practices.problems.decide: a member's useful verdict, or clubess.practices.answered on the ranking) says no.
A waiting-list offer is *about to expire* when the seat is held for someone who has not confirmed and the
offer ends within OFFER_SOON (a published meeting's offer only; an expired one is the reminder job's).
"""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from clubess.core.db import now_utc
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.mailing import services as mailing_services
from clubess.meetings.models import Meeting, MeetingStatus, Registration, RegistrationStatus
from clubess.members.models import Collectivity, CollectivityStatus
from clubess.practices.models import Practice, PracticeStatus, Problem, ProblemStatus
from clubess.press.models import ContactStatus, PressContact

OFFER_SOON = timedelta(hours=48)


@dataclass
class Todo:
    key: str
    label: str
    count: int
    url: str


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def unanswered_problems() -> sa.ColumnElement:
    """SQL condition on Problem: the loop's « sans réponse » (see the module docstring)."""
    return sa.and_(
        Problem.status != ProblemStatus.CLOSED.value,
        Problem.agenda_item_id.is_(None),
        Problem.is_answered.is_(False),
    )


def _offers_expiring() -> tuple[int, int | None]:
    """(offers ending within OFFER_SOON, the meeting's id when they are all for one meeting) in one query."""
    now = now_utc()
    count, meetings, meeting_id = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(Registration.meeting_id)), sa.func.min(Meeting.id))
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .where(
            Registration.status == RegistrationStatus.OFFERED.value,
            Registration.offer_expires_at >= now,
            Registration.offer_expires_at < now + OFFER_SOON,
            Meeting.status == MeetingStatus.PUBLISHED.value,
        )
    ).one()
    return count or 0, meeting_id if meetings == 1 else None


def todo(actor, mail: dict[str, int] | None = None) -> list[Todo]:
    """The six counts of « À faire » (one query each); `mail`: the outbox's counts by status when known."""
    require_role(actor, Role.COORDINATOR)
    offers, offer_meeting = _offers_expiring()
    if offer_meeting is not None:
        offers_url = url_for("registrants.index", meeting_id=offer_meeting, statut=RegistrationStatus.OFFERED.value)
    else:
        offers_url = url_for("planning.manage", statut=MeetingStatus.PUBLISHED.value)
    mail = mail if mail is not None else mailing_services.count_by_status(actor)
    return [
        Todo(
            "applications",
            str(_l("demandes d’adhésion à examiner")),
            _count(Collectivity, Collectivity.status == CollectivityStatus.PENDING.value),
            url_for("members.review_list", status=CollectivityStatus.PENDING.value),
        ),
        Todo(
            "practices",
            str(_l("pratiques à modérer")),
            _count(Practice, Practice.status == PracticeStatus.SUBMITTED.value),
            url_for("practices.moderation", statut=PracticeStatus.SUBMITTED.value),
        ),
        Todo(
            "problems",
            str(_l("problématiques sans bonne réponse")),
            _count(Problem, unanswered_problems()),
            url_for("problems.loop", sans_reponse="1"),
        ),
        Todo("offers", str(_l("places proposées qui expirent sous 48 h")), offers, offers_url),
        Todo(
            "bounced",
            str(_l("contacts presse en erreur (adresse refusée)")),
            _count(PressContact, PressContact.status == ContactStatus.BOUNCED.value),
            url_for("press_contacts.contact_list", statut=ContactStatus.BOUNCED.value),
        ),
        Todo(
            "mail_failures",
            str(_l("courriels en échec")),
            mail.get("failed", 0),
            url_for("mailing.outbox", statut="failed"),
        ),
    ]
