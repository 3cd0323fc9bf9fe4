"""Forms of the attendance page (walk-ins, the directory search) and of the participation page."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from clubess.core.emails import EmailAddress
from clubess.core.forms import BaseForm, FilterForm
from clubess.meetings.forms import KIND_LABELS
from clubess.members.forms import TERRITORY_KIND_LABELS, plain_text


class WalkInForm(BaseForm):
    """Someone who is not in the directory came without registering."""

    name = StringField(_l("Nom et prénom"), validators=[DataRequired(), Length(max=200), plain_text])
    organisation = StringField(
        _l("Organisation"),
        validators=[Optional(), Length(max=200), plain_text],
        description=_l("Sa collectivité, son association, son entreprise…"),
    )
    email = EmailField(
        _l("Adresse électronique (facultative)"),
        validators=[Optional(), EmailAddress(), Length(max=254)],
        description=_l("Aucune confirmation d’inscription ne lui est envoyée."),
    )


class WalkInMemberForm(BaseForm):
    """A person of the directory came without registering (one button per person found)."""

    member_id = HiddenField(validators=[DataRequired(), Length(max=10)])


class MemberSearchForm(FilterForm):
    personne = StringField(
        _l("Chercher dans l’annuaire des membres"),
        validators=[Optional(), Length(max=100)],
        description=_l("Nom, prénom ou collectivité."),
    )


class ParticipationFilterForm(FilterForm):
    annee = SelectField(_l("Année"), coerce=str)
    type = SelectField(
        _l("Type de rencontre"),
        choices=[SelectChoice("", _l("Tous"))] + [SelectChoice(k, v) for k, v in KIND_LABELS.items()],
        default="",
    )
    departement = SelectField(_l("Département"), default="")
    collectivite = SelectField(
        _l("Type de collectivité"),
        choices=[SelectChoice("", _l("Tous"))] + [SelectChoice(k, v) for k, v in TERRITORY_KIND_LABELS.items()],
        default="",
    )
