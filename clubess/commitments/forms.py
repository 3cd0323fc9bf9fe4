"""The forms of commitments: record or edit one, update its status with a note, filter the coordinators' list.

Choices that depend on the data (people in office, quarters, meetings) are set by the view; the service is
the judge of what was chosen there (`validate_choice=False`), so a value that is not offered gets its clear message.
"""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from clubess.commitments import quarters
from clubess.commitments.labels import STATUS_LABELS
from clubess.core.forms import BaseForm, FilterForm
from clubess.core.inputs import parse_int
from clubess.core.vocabulary import LEVERS
from clubess.members.forms import plain_text

TEXT_MAX = 2000


def _choices(labels: dict, empty=None) -> list:
    first = [SelectChoice("", empty)] if empty is not None else []
    return first + [SelectChoice(k, v) for k, v in labels.items()]


class CommitmentForm(BaseForm):
    title = StringField(
        _l("Engagement"),
        validators=[Length(max=200), plain_text],
        description=_l("Ce que la collectivité s’engage à faire, en une phrase : « Adopter un SPASER »."),
    )
    lever = SelectField(_l("Levier"), choices=_choices(LEVERS, _l("— Choisissez un levier —")))
    success = TextAreaField(
        _l("À quoi verra-t-on que c’est réussi ?"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("Par exemple : « Le SPASER est voté en conseil municipal ; un achat sur dix va à l’ESS »."),
    )
    responsible_id = SelectField(_l("Personne en charge"), choices=[], validate_choice=False)
    target = SelectField(_l("Trimestre visé"), choices=[], validate_choice=False)
    meeting_id = SelectField(_l("Rencontre où l’engagement a été pris"), choices=[], validate_choice=False)
    note = TextAreaField(_l("Note (facultatif)"), validators=[Length(max=TEXT_MAX)])

    def set_choices(self, people, targets, meetings=None, grouped=False, current=None) -> None:
        """People in office (grouped by collectivity on a meeting's page), quarters, meetings (None: no field).

        When editing `current` (a commitment), its person in charge and its quarter stay offered even once
        the person left office or the quarter is over, so saving another change keeps them.
        """
        pick = SelectChoice("", _l("— Choisissez une personne —"))
        if current is not None and current.responsible is not None and current.responsible not in people:
            people = [current.responsible, *people]
        if grouped:
            groups: dict[str, list] = {}
            for person in people:
                groups.setdefault(person.collectivity.name, []).append(_person_choice(person))
            self.responsible_id.choices = {"": [pick], **groups}
        else:
            self.responsible_id.choices = [pick] + [_person_choice(p) for p in people]
        offered = list(targets)
        if current is not None and (current.target_year, current.target_quarter) not in offered:
            offered.insert(0, (current.target_year, current.target_quarter))
        self.target.choices = [SelectChoice("", _l("— Choisissez un trimestre —"))] + [
            SelectChoice(quarters.code(*t), quarters.label(*t)) for t in offered
        ]
        if meetings is None:
            del self.meeting_id
        else:
            from clubess.core.templating import format_d

            self.meeting_id.choices = [SelectChoice("", _l("Aucune (pris en dehors d’une rencontre)"))] + [
                SelectChoice(str(m.id), f"{m.title} ({format_d(m.starts_at, 'short')})") for m in meetings
            ]

    def data_values(self) -> dict:
        """What the service needs, parsed (a value that is not a number or a quarter becomes None)."""
        meeting = getattr(self, "meeting_id", None)
        return {
            "title": self.title.data or "",
            "lever": self.lever.data or "",
            "success": self.success.data or "",
            "responsible_id": parse_int(self.responsible_id.data, None, minimum=1),
            "target": quarters.parse(self.target.data),
            "meeting_id": parse_int(meeting.data, None, minimum=1) if meeting is not None else None,
            "note": self.note.data or "",
        }


def _person_choice(person) -> SelectChoice:
    what = person.function or person.delegation
    label = f"{person.full_name} — {what}" if what else person.full_name
    if person.anonymised_at is None and not person.is_current:
        label = _l("%(person)s (n’est plus en fonction)", person=label)
    return SelectChoice(str(person.id), label)


def edit_form(commitment, people) -> CommitmentForm:
    """The form that edits a commitment, filled with it on GET (what was typed on POST)."""
    form = CommitmentForm(
        data={
            "title": commitment.title,
            "lever": commitment.lever,
            "success": commitment.success,
            "responsible_id": str(commitment.responsible_id or ""),
            "target": commitment.target_code,
        }
    )
    form.set_choices(people, quarters.upcoming(), None, current=commitment)
    return form


class StatusForm(BaseForm):
    status = RadioField(_l("Statut"), choices=_choices(STATUS_LABELS))
    note = TextAreaField(
        _l("Note"),
        validators=[Length(max=TEXT_MAX)],
        description=_l(
            "Où en est l’engagement, ce qui a été fait, ce qui bloque. Datée du jour, elle reste dans l’historique ; "
            "obligatoire pour un abandon."
        ),
    )


DEADLINE_FILTERS = {"due": _l("À suivre (trimestre visé commencé)"), "overdue": _l("En retard (trimestre terminé)")}


class CommitmentFilterForm(FilterForm):
    statut = SelectField(_l("Statut"), choices=_choices(STATUS_LABELS, _l("Tous")), default="")
    levier = SelectField(_l("Levier"), choices=_choices(LEVERS, _l("Tous")), default="")
    departement = SelectField(_l("Département"), choices=[], default="")
    rencontre = SelectField(_l("Rencontre"), choices=[], default="")
    trimestre = SelectField(_l("Trimestre visé"), choices=[], default="")
    echeance = SelectField(_l("Échéance"), choices=_choices(DEADLINE_FILTERS, _l("Toutes")), default="")

    def set_choices(self, departments, meetings, targets) -> None:
        from clubess.core.templating import format_d

        self.departement.choices = [SelectChoice("", _l("Tous"))] + [SelectChoice(d, d) for d in departments]
        self.rencontre.choices = [SelectChoice("", _l("Toutes"))] + [
            SelectChoice(str(m.id), f"{m.title} ({format_d(m.starts_at, 'short')})") for m in meetings
        ]
        self.trimestre.choices = [SelectChoice("", _l("Tous"))] + [
            SelectChoice(quarters.code(*t), quarters.label(*t)) for t in targets
        ]

    def chosen(self, name: str) -> str:
        """The value of a filter when it is one of its choices, else "" (a hand-made URL filters nothing)."""
        field = self[name]
        values = {str(c[0]) for c in field.iter_choices()} if hasattr(field, "iter_choices") else set()
        return field.data if field.data in values else ""
