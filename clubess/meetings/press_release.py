"""*Préparer un communiqué*: a communiqué draft prefilled from a held meeting (press domain), and its figures."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from clubess.core.audit import record
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, require_role
from clubess.core.templating import format_d
from clubess.core.timezone import tz
from clubess.extensions import db
from clubess.mailing.services import external_url
from clubess.meetings.models import Attendance, Meeting, MeetingStatus, Registration
from clubess.press import communiques
from clubess.press.models import Communique


@dataclass
class Figures:
    #: member collectivities with at least one person present (a delegate counts for their collectivity)
    collectivities: int
    #: people present, walk-ins included, each address once
    people: int


def attendance_figures(meeting: Meeting) -> Figures:
    """Who came, from attendance (1 query)."""
    collectivities, people = db.session.execute(
        sa.select(
            sa.func.count(sa.distinct(Registration.collectivity_id)),
            sa.func.count(sa.distinct(sa.func.lower(Registration.email))),
        ).where(Registration.meeting_id == meeting.id, Registration.attendance == Attendance.PRESENT)
    ).one()
    return Figures(collectivities=collectivities or 0, people=people or 0)


def draft_text(meeting: Meeting) -> communiques.CommuniqueData:
    """The communiqué's title, standfirst and body: date, place, figures, published decisions, link."""
    from clubess.meetings.minutes import get_minutes

    figures = attendance_figures(meeting)
    day = format_d(meeting.starts_at.astimezone(tz()), "d MMMM y")
    place = meeting.venue + (f", {meeting.address}" if meeting.address else "") if meeting.venue else ""
    people = ngettext("%(num)d personne présente", "%(num)d personnes présentes", figures.people)
    collectivities = ngettext("%(num)d collectivité membre", "%(num)d collectivités membres", figures.collectivities)
    if place:
        lead = _(
            "Le %(day)s, le club a réuni %(collectivities)s (%(people)s) à %(place)s pour « %(title)s ».",
            day=day,
            people=people,
            collectivities=collectivities,
            place=place,
            title=meeting.title,
        )
    else:
        lead = _(
            "Le %(day)s, le club a réuni en ligne %(collectivities)s (%(people)s) pour « %(title)s ».",
            day=day,
            people=people,
            collectivities=collectivities,
            title=meeting.title,
        )
    minutes = get_minutes(meeting)
    decisions = [d.text for d in minutes.decisions] if minutes is not None and minutes.is_published else []
    body = [lead]
    if decisions:
        body += ["", "## " + _("Les décisions"), ""] + [f"- {text}" for text in decisions]
    url = external_url("meetings.detail", meeting_id=meeting.id)
    body += [
        "",
        "## " + _("Pour en savoir plus"),
        "",
        _("Le programme, le compte rendu et les documents : %(url)s", url=url),
    ]
    return communiques.CommuniqueData(
        title=meeting.title,
        standfirst=lead,
        body="\n".join(body),
        contact_block=communiques.default_contact_block(),
    )


def prepare_communique(actor, meeting: Meeting) -> Communique:
    """A communiqué draft from a held meeting; the coordinator edits and sends it like any draft."""
    require_role(actor, Role.COORDINATOR)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError(_("Un communiqué se prépare une fois la rencontre tenue."))
    communique = communiques.save_communique(actor, None, draft_text(meeting))
    communique.meeting_id = meeting.id
    db.session.flush()
    record(actor, "meeting.communique_prepared", meeting, communique=communique.id)
    return communique


def prepared_communiques(meeting: Meeting) -> list[Communique]:
    """The communiqués prepared from this meeting, newest first."""
    return list(
        db.session.scalars(
            sa.select(Communique).where(Communique.meeting_id == meeting.id).order_by(Communique.id.desc())
        )
    )
