"""Forms for applying, reviewing and managing people."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.form import Form
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from clubess.core.emails import EmailAddress
from clubess.core.forms import BaseForm, DateField, FilterForm, bind_single_line
from clubess.core.inputs import parse_int
from clubess.core.labels import register_labels
from clubess.core.vocabulary import LEVERS
from clubess.members.models import CollectivityStatus, MemberKind


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (rendered by the forms macro as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


MEMBER_KIND_LABELS = {MemberKind.ELU.value: _l("Élu ou élue"), MemberKind.AGENT.value: _l("Agent ou agente")}
KIND_CHOICES = [SelectChoice(k, v) for k, v in MEMBER_KIND_LABELS.items()]
TERRITORY_KIND_LABELS = {
    "region": _l("Région"),
    "departement": _l("Département"),
    "metropole": _l("Métropole"),
    "ept": _l("Établissement public territorial (EPT)"),
    "epci": _l("Intercommunalité (EPCI)"),
    "commune": _l("Commune"),
}
#: an application's status, then the membership's
COLLECTIVITY_STATUS_LABELS = {
    CollectivityStatus.PENDING.value: _l("Demande en attente"),
    CollectivityStatus.ACTIVE.value: _l("Membre du club"),
    CollectivityStatus.REJECTED.value: _l("Demande refusée"),
    CollectivityStatus.LEFT.value: _l("A quitté le club"),
}
register_labels(
    member_kind=MEMBER_KIND_LABELS,
    territory_kind=TERRITORY_KIND_LABELS,
    collectivity_status=COLLECTIVITY_STATUS_LABELS,
)


PHONE_RE = re.compile(r"^\+?[0-9 .()-]{6,25}$")


def plain_text(form, field):
    """Names and functions are plain text: markup is refused rather than stored."""
    if field.data and re.search(r"[<>]", field.data):
        raise ValidationError(_l("Les chevrons (signes inférieur et supérieur) ne sont pas acceptés ici."))


#: a person's full name ("first last") is stored whole in 200-character columns (accounts, registrations)
FULL_NAME_LENGTH = 200


def fits_full_name(form, field):
    """On the last name: first name, a space and last name together fit where the full name is stored."""
    first = (form.first_name.data or "").strip()
    if first and len(first) + 1 + len((field.data or "").strip()) > FULL_NAME_LENGTH:
        raise ValidationError(
            _l(
                "Le prénom et le nom comptent ensemble %(max)d caractères au plus : raccourcissez l’un ou l’autre.",
                max=FULL_NAME_LENGTH - 1,
            )
        )


def phone_number(form, field):
    if field.data and not PHONE_RE.match(field.data.strip()):
        raise ValidationError(_l("Saisissez un numéro de téléphone valide, par exemple 01 23 45 67 89."))


class _PersonFields:
    kind = RadioField(_l("Qualité"), choices=KIND_CHOICES, validators=[DataRequired(_l("Choisissez élu ou agent."))])
    first_name = StringField(
        _l("Prénom"),
        validators=[DataRequired(_l("Saisissez le prénom.")), Length(max=100), plain_text],
        render_kw={"autocomplete": "given-name"},
    )
    last_name = StringField(
        _l("Nom"),
        validators=[DataRequired(_l("Saisissez le nom.")), Length(max=100), plain_text, fits_full_name],
        render_kw={"autocomplete": "family-name"},
    )
    function = StringField(
        _l("Fonction"),
        validators=[Length(max=200), plain_text],
        description=_l("Par exemple : maire adjointe, chargé de mission ESS."),
    )
    delegation = StringField(
        _l("Délégation"),
        validators=[Length(max=200), plain_text],
        description=_l("Par exemple : adjointe déléguée à l’ESS."),
    )
    email = EmailField(
        _l("Adresse électronique"),
        validators=[
            DataRequired(_l("Saisissez l’adresse électronique.")),
            EmailAddress(),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    phone = TelField(
        _l("Téléphone"), validators=[Optional(), Length(max=40), phone_number], render_kw={"autocomplete": "tel"}
    )


class PersonForm(_PersonFields, BaseForm):
    """A person added by the référent in the member area."""


class OptionalPersonForm(Form):
    """One more élu or agent in the application: all blank means nobody."""

    class Meta:
        bind_field = bind_single_line

    kind = RadioField(_l("Qualité"), choices=KIND_CHOICES, validators=[Optional()])
    first_name = StringField(_l("Prénom"), validators=[Length(max=100), plain_text])
    last_name = StringField(_l("Nom"), validators=[Length(max=100), plain_text, fits_full_name])
    function = StringField(_l("Fonction"), validators=[Length(max=200), plain_text])
    email = EmailField(
        _l("Adresse électronique"),
        validators=[
            Optional(),
            EmailAddress(),
            Length(max=254),
        ],
    )

    def is_blank(self) -> bool:
        return not any(
            (self.first_name.data or "").strip()
            or (self.last_name.data or "").strip()
            or (self.email.data or "").strip()
            for _ in [0]
        )

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if self.is_blank():
            return True
        ok = True
        for name, message in [
            ("kind", _l("Choisissez élu ou agent.")),
            ("first_name", _l("Saisissez le prénom.")),
            ("last_name", _l("Saisissez le nom.")),
            ("email", _l("Saisissez l’adresse électronique.")),
        ]:
            if not (getattr(self, name).data or "").strip():
                getattr(self, name).errors.append(message)
                ok = False
        return ok


class ApplicationForm(_PersonFields, BaseForm):
    territory_query = StringField(
        _l("Rechercher votre collectivité"),
        validators=[Length(max=100), plain_text],
        description=_l("Nom, code postal ou code INSEE, par exemple : Montreuil, 93100, Est Ensemble."),
        render_kw={"autocomplete": "off"},
    )
    territory_id = HiddenField(validators=[Length(max=10, message=_l("Choisissez votre collectivité dans la liste."))])
    others = FieldList(FormField(OptionalPersonForm), min_entries=1, max_entries=10)
    message = TextAreaField(
        _l("Votre politique ESS et vos attentes (facultatif)"),
        validators=[Length(max=3000)],
        description=_l(
            "Quelques lignes sur ce que fait votre collectivité pour l’ESS et ce que vous attendez du club."
        ),
    )
    consent = BooleanField(
        _l(
            "J’accepte que ces informations soient conservées pour gérer l’adhésion, "
            "comme le décrit la politique de confidentialité."
        ),
        validators=[DataRequired(_l("Votre accord est nécessaire pour adhérer."))],
    )
    #: a honeypot: hidden from people, filled by bots
    website = StringField(
        _l("Ne pas remplir ce champ"),
        validators=[Length(max=200)],
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )

    def validate_territory_id(self, field):
        if parse_int(field.data) is None:
            raise ValidationError(_l("Choisissez votre collectivité dans la liste."))


class ReviewRejectForm(BaseForm):
    reason = TextAreaField(
        _l("Raison du refus"),
        validators=[DataRequired(_l("Indiquez la raison du refus : elle est envoyée au référent.")), Length(max=2000)],
        description=_l("Elle est envoyée au référent de la collectivité."),
    )


class ApplicationFilterForm(FilterForm):
    status = SelectField(
        _l("Statut"),
        choices=[SelectChoice(k, v) for k, v in COLLECTIVITY_STATUS_LABELS.items()],
        validate_choice=False,
    )
    department = StringField(_l("Département"), validators=[Length(max=3)])
    kind = SelectField(
        _l("Type de collectivité"),
        choices=[SelectChoice("", _l("Tous")), *(SelectChoice(k, v) for k, v in TERRITORY_KIND_LABELS.items())],
        validate_choice=False,
    )


class EndMandateForm(BaseForm):
    end_on = DateField(_l("Date de fin du mandat"), validators=[DataRequired(_l("Indiquez une date."))])


class HandOverForm(BaseForm):
    """The choice of the new référent (a GET: the confirmation page that follows acts)."""

    class Meta:
        csrf = False

    member_id = SelectField(
        _l("Nouveau ou nouvelle référent·e"),
        choices=[],
        validators=[DataRequired(_l("Choisissez la personne à qui transmettre le rôle."))],
        description=_l("Seules les personnes en fonction dont le compte est activé peuvent recevoir le rôle."),
    )


class ProfileForm(BaseForm):
    first_name = StringField(
        _l("Prénom"), validators=[DataRequired(_l("Saisissez le prénom.")), Length(max=100), plain_text]
    )
    last_name = StringField(
        _l("Nom"), validators=[DataRequired(_l("Saisissez le nom.")), Length(max=100), plain_text, fits_full_name]
    )
    function = StringField(_l("Fonction"), validators=[Length(max=200), plain_text])
    delegation = StringField(_l("Délégation"), validators=[Length(max=200), plain_text])
    phone = TelField(_l("Téléphone"), validators=[Optional(), Length(max=40), phone_number])
    show_in_directory = BooleanField(_l("Apparaître dans l’annuaire des membres"))
    show_email = BooleanField(_l("Montrer mon adresse électronique aux autres membres"))
    show_phone = BooleanField(_l("Montrer mon téléphone aux autres membres"))
    interests = MultiCheckboxField(
        _l("Mes centres d’intérêt"),
        choices=[SelectChoice(k, v) for k, v in LEVERS.items()],
        description=_l("Les autres membres peuvent vous trouver par thème dans l’annuaire."),
    )
    wants_invitations = BooleanField(_l("Recevoir les invitations aux rencontres et ateliers"))
    wants_news = BooleanField(_l("Recevoir les nouvelles du club (communiqués, nouvelles bonnes pratiques)"))
    wants_followup = BooleanField(
        _l("Recevoir le compte rendu et le questionnaire de satisfaction des rencontres auxquelles je participe")
    )


class AdditionRequestForm(BaseForm):
    name = StringField(
        _l("Votre nom"),
        validators=[DataRequired(_l("Saisissez votre nom.")), Length(max=200), plain_text],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("Votre adresse électronique"),
        validators=[
            DataRequired(_l("Saisissez l’adresse électronique.")),
            EmailAddress(),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    message = TextAreaField(_l("Message au référent (facultatif)"), validators=[Length(max=1000)])
