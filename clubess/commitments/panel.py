"""The commitments section of a meeting's back-office page: those made there, the form to record one for a
collectivity present, and the follow-up of the commitments due there (a fixed number of queries)."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.commitments import followup, quarters, services
from clubess.commitments.forms import CommitmentForm
from clubess.commitments.models import Commitment
from clubess.core.db import now_utc
from clubess.core.forms import EmptyForm
from clubess.extensions import db
from clubess.meetings.models import AgendaItem, Meeting, MeetingStatus

#: the prefix of the recording form's fields: the meeting's page holds other forms with a `title`
PREFIX = "commitment"


@dataclass
class MeetingPanel:
    meeting: Meeting
    made_here: list[Commitment]
    form: CommitmentForm | None
    #: why the form is not offered
    no_form: str = ""
    due: list = field(default_factory=list)
    follow_up_item: AgendaItem | None = None
    follow_up_form: EmptyForm | None = None
    #: why the follow-up cannot be generated
    no_follow_up: str = ""


def made_at(meeting: Meeting) -> list[Commitment]:
    return list(
        db.session.scalars(
            sa.select(Commitment)
            .where(Commitment.meeting_id == meeting.id)
            .options(selectinload(Commitment.collectivity), selectinload(Commitment.responsible))
            .order_by(Commitment.id)
        )
    )


def recording_form(meeting: Meeting, formdata=None) -> tuple[CommitmentForm | None, str]:
    """The form to record a commitment at this meeting (the person in charge, grouped by collectivity present,
    says which collectivity commits), or None and the reason."""
    if meeting.status == MeetingStatus.CANCELLED:
        return None, _("La rencontre est annulée : aucun engagement n’y est pris.")
    if meeting.starts_at > now_utc():
        return None, _("Les engagements s’enregistrent pendant ou après la rencontre.")
    present = services.collectivities_present(meeting)
    if not present:
        return None, _("Aucune collectivité n’est inscrite (ni marquée absente) à cette rencontre.")
    form = CommitmentForm(formdata=formdata, prefix=PREFIX)
    # the collectivities are in the session: each person's comes from the identity map, without a query
    people = sorted(services.people_in_office([c.id for c in present]), key=lambda p: p.collectivity.name)
    form.set_choices(people, quarters.upcoming(), None, grouped=True)
    return form, ""


def meeting_panel(meeting: Meeting) -> MeetingPanel:
    """Everything the section shows; its form is never filled from the page's own POST (another form's)."""
    form, no_form = recording_form(meeting)
    panel = MeetingPanel(meeting=meeting, made_here=made_at(meeting), form=form, no_form=no_form)
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
        panel.no_follow_up = _("Le suivi des engagements se prépare pour une rencontre à venir, ni annulée ni tenue.")
        return panel
    panel.due = followup.due_at(meeting)
    panel.follow_up_item = followup.find_item(meeting)
    panel.follow_up_form = EmptyForm(formdata=None, prefix="follow-up")
    return panel
