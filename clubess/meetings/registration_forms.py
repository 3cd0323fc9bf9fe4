"""Forms for registrations, guests and invitations."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from clubess.core.emails import EmailAddress
from clubess.core.forms import BaseForm, FilterForm
from clubess.core.inputs import coerce_int
from clubess.core.labels import register_labels
from clubess.meetings.forms import LABELS
from clubess.meetings.models import Attendance, AttendMode, InvitationResponse, RegistrationStatus
from clubess.members.forms import TERRITORY_KIND_LABELS, MultiCheckboxField, plain_text
from clubess.territories import policy_audiences

MODE_LABELS = {
    AttendMode.IN_PERSON.value: _l("Sur place"),
    AttendMode.ONLINE.value: _l("En ligne"),
}
REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.REGISTERED.value: _l("Inscrit·e"),
    RegistrationStatus.OFFERED.value: _l("Place proposée (en attente de confirmation)"),
    RegistrationStatus.WAITLISTED.value: _l("Liste d’attente"),
    RegistrationStatus.PENDING.value: _l("Adresse à confirmer"),
    RegistrationStatus.CANCELLED.value: _l("Annulée"),
}
ATTENDANCE_LABELS = {
    Attendance.UNKNOWN.value: _l("Non renseignée"),
    Attendance.PRESENT.value: _l("Présent·e"),
    Attendance.ABSENT.value: _l("Absent·e"),
}
#: how the person registered (`Registration.is_guest`): a member, or anyone through the public form
REGISTRATION_KIND_LABELS = {
    False: _l("membre"),
    True: _l("publique (sans compte)"),
}
INVITATION_STATE_LABELS = {
    "registered": _l("Inscrit·e"),
    "waitlisted": _l("Liste d’attente"),
    "declined": _l("Ne vient pas"),
    "no_answer": _l("Sans réponse"),
}

INVITATION_RESPONSE_LABELS = {
    InvitationResponse.NONE.value: _l("Sans réponse"),
    InvitationResponse.ACCEPTED.value: _l("Vient"),
    InvitationResponse.DECLINED.value: _l("Ne vient pas"),
}
register_labels(
    attend_mode=MODE_LABELS,
    registration_status=REGISTRATION_STATUS_LABELS,
    attendance=ATTENDANCE_LABELS,
    registration_kind=REGISTRATION_KIND_LABELS,
    invitation_state=INVITATION_STATE_LABELS,
    invitation_response=INVITATION_RESPONSE_LABELS,
)

#: the meetings' labels and those of registrations, for `**REGISTRATION_LABELS`
REGISTRATION_LABELS = {
    **LABELS,
    "mode_labels": MODE_LABELS,
    "registration_status_labels": REGISTRATION_STATUS_LABELS,
    "attendance_labels": ATTENDANCE_LABELS,
    "registration_kind_labels": REGISTRATION_KIND_LABELS,
    "invitation_state_labels": INVITATION_STATE_LABELS,
}


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(k, v) for k, v in labels.items()]


class RegistrationForm(BaseForm):
    person = SelectField(_l("Personne à inscrire"), coerce=coerce_int, validators=[DataRequired()])
    on_behalf_of = SelectField(
        _l("En représentation de"),
        coerce=coerce_int,
        default=0,
        description=_l(
            "Un agent ou une agente peut venir à la place d’un ou d’une élue : la collectivité compte une fois."
        ),
    )
    mode = RadioField(_l("Participation"), choices=_choices(MODE_LABELS), default=AttendMode.IN_PERSON.value)
    share_presence = BooleanField(
        _l("Montrer le nom de ma collectivité aux autres personnes inscrites"),
        description=_l("Jamais les adresses : seulement le nom de la collectivité."),
    )


class GuestForm(BaseForm):
    name = StringField(_l("Nom et prénom"), validators=[DataRequired(), Length(max=200), plain_text])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200), plain_text])
    email = EmailField(
        _l("Adresse électronique"),
        validators=[DataRequired(), EmailAddress(), Length(max=254)],
        description=_l(
            "Un lien de confirmation vous sera envoyé : l’inscription ne compte qu’une fois l’adresse confirmée."
        ),
    )
    mode = RadioField(_l("Participation"), choices=_choices(MODE_LABELS), default=AttendMode.IN_PERSON.value)


class InviteForm(BaseForm):
    use_members = BooleanField(_l("Inviter des membres du club"), default=True)
    people = RadioField(
        _l("Personnes"),
        choices=_choices({"all": _l("Élus et agents"), "elus": _l("Élus seulement"), "agents": _l("Agents seulement")}),
        default="all",
    )
    departments = MultiCheckboxField(_l("Départements"), choices=[], description=_l("Aucun coché : tous."))
    territory = SelectField(
        _l("Territoire, avec ce qu’il contient"),
        choices=[],
        default="",
        description=_l("Par exemple l’EPT Est Ensemble et ses communes, ou les membres de la Métropole."),
    )
    territory_kinds = MultiCheckboxField(
        _l("Types de collectivité"), choices=_choices(TERRITORY_KIND_LABELS), description=_l("Aucun coché : tous.")
    )
    policy = SelectField(
        _l("Selon la politique ESS des collectivités"),
        choices=policy_audiences.choices(),
        default="",
        description=_l("D’après le dernier profil « politique ESS » renseigné par chaque collectivité."),
    )
    past_attendees = BooleanField(_l("Seulement les personnes déjà venues à une rencontre"))
    pasted = TextAreaField(
        _l("Liste d’adresses collée"),
        validators=[Optional(), Length(max=100_000)],
        description=_l("Une adresse par ligne, ou séparées par des virgules ; « Nom <adresse> » accepté."),
    )
    expected = HiddenField(validators=[Length(max=10)])


class RegistrantFilterForm(FilterForm):
    statut = SelectField(_l("Statut"), choices=_choices({"": _l("Tous"), **REGISTRATION_STATUS_LABELS}), default="")
    mode = SelectField(_l("Participation"), choices=_choices({"": _l("Toutes"), **MODE_LABELS}), default="")
    q = StringField(_l("Nom, organisation ou adresse"), validators=[Optional(), Length(max=100)])
