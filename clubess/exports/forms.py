"""The filters of the exports (GET forms, no CSRF: a download changes nothing but the audit log)."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from clubess.core.forms import DateField, FilterForm
from clubess.core.timezone import today
from clubess.core.vocabulary import LEVERS
from clubess.meetings.forms import KIND_LABELS as MEETING_KIND_LABELS
from clubess.meetings.registration_forms import REGISTRATION_STATUS_LABELS
from clubess.members.forms import TERRITORY_KIND_LABELS

#: a département code: two digits, 2A or 2B, or three digits overseas
DEPARTMENT_RE = re.compile(r"^(\d{2,3}|2[AB])$")
#: the longest period one export covers (a year or two is the use; this keeps one download bounded)
MAX_DAYS = 366 * 5


def _choices(labels: dict, everything) -> list[SelectChoice]:
    return [SelectChoice("", everything), *(SelectChoice(k, v) for k, v in labels.items())]


class MemberExportForm(FilterForm):
    """The directory's filters, for the members' export."""

    departement = StringField(_l("Département"), id="membres-departement", validators=[Optional(), Length(max=3)])
    type = SelectField(
        _l("Type de collectivité"), id="membres-type", choices=_choices(TERRITORY_KIND_LABELS, _l("Tous")), default=""
    )
    perimetre = SelectField(_l("Territoire, avec ce qu’il contient"), id="membres-perimetre", default="")
    interet = SelectField(
        _l("Centre d’intérêt d’une personne"), id="membres-interet", choices=_choices(LEVERS, _l("Tous")), default=""
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.perimetre.choices = _choices(
            {t.code: f"{t.name} ({TERRITORY_KIND_LABELS[t.kind]})" for t in targets}, _l("Tous")
        )

    def validate_departement(self, field):
        field.data = (field.data or "").strip().upper()
        if field.data and not DEPARTMENT_RE.match(field.data):
            raise ValidationError(_l("Saisissez un code de département, par exemple 93 ou 2A."))


class RegistrantExportForm(FilterForm):
    """The meetings of a period, optionally one kind, and the registrations of one status."""

    du = DateField(_l("Rencontres du"), id="inscrits-du", validators=[DataRequired(_l("Indiquez une date."))])
    au = DateField(_l("au"), id="inscrits-au", validators=[DataRequired(_l("Indiquez une date."))])
    type_rencontre = SelectField(
        _l("Type de rencontre"), id="inscrits-type", choices=_choices(MEETING_KIND_LABELS, _l("Tous")), default=""
    )
    statut = SelectField(
        _l("Statut de l’inscription"),
        id="inscrits-statut",
        choices=_choices(REGISTRATION_STATUS_LABELS, _l("Tous")),
        default="",
    )

    @classmethod
    def this_year(cls):
        year = today().year
        return cls(formdata=None, data={"du": date(year, 1, 1), "au": date(year, 12, 31)})

    def validate_au(self, field):
        if field.data and self.du.data:
            if field.data < self.du.data:
                raise ValidationError(_l("La fin de la période doit suivre son début."))
            if (field.data - self.du.data).days > MAX_DAYS:
                raise ValidationError(_l("Choisissez une période de cinq ans au plus."))
