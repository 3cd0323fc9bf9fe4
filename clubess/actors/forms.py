"""Forms of the directory: a structure (coordinators), the public request to be listed, a solution, review."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from clubess.actors.labels import KIND_LABELS, STATUS_LABELS
from clubess.actors.services import OrganisationData, resolve_territories
from clubess.actors.solutions import SolutionData
from clubess.core.errors import DomainError
from clubess.core.forms import BaseForm, FilterForm
from clubess.core.inputs import coerce_int
from clubess.core.vocabulary import LEVERS
from clubess.members.forms import plain_text

#: the consent sentence of the public form, stored word for word with the request (Organisation.consent_text)
CONSENT_TEXT = _l(
    "J’accepte que ces informations soient conservées et publiées dans l’annuaire des acteurs de l’ESS du club "
    "(le contact n’est montré qu’aux collectivités membres), comme le décrit la politique de confidentialité."
)


def _kind_choices(blank=None):
    choices = [SelectChoice(k, v) for k, v in KIND_LABELS.items()]
    return [SelectChoice("", blank), *choices] if blank else choices


def _lever_choices():
    return [SelectChoice("", _l("Choisissez un levier")), *(SelectChoice(k, v) for k, v in LEVERS.items())]


class OrganisationFields:
    name = StringField(
        _l("Nom de la structure"),
        validators=[DataRequired(_l("Indiquez le nom de la structure.")), Length(max=200), plain_text],
    )
    kind = SelectField(_l("Type de structure"), choices=_kind_choices())
    siret = StringField(
        _l("Numéro SIRET (facultatif)"),
        validators=[Length(max=30)],
        description=_l("14 chiffres, par exemple 732 829 320 00074."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    territories = StringField(
        _l("Territoires où la structure agit"),
        validators=[Length(max=2000)],
        description=_l("Codes ou noms exacts, séparés par des virgules : 93, Montreuil, Est Ensemble."),
    )
    website = StringField(
        _l("Site internet (facultatif)"), validators=[Length(max=300)], description=_l("Commençant par https://")
    )
    description = TextAreaField(
        _l("Présentation"), validators=[Length(max=5000)], description=_l("Ce que fait la structure, pour qui, où.")
    )
    contact_name = StringField(_l("Personne à contacter"), validators=[Length(max=200), plain_text])
    contact_email = StringField(
        _l("Adresse électronique du contact"), validators=[Length(max=254)], render_kw={"autocomplete": "email"}
    )
    contact_phone = StringField(
        _l("Téléphone du contact (facultatif)"), validators=[Length(max=30)], render_kw={"autocomplete": "tel"}
    )


class OrganisationForm(OrganisationFields, BaseForm):
    pass


class SolutionFields:
    solution_title = StringField(_l("Titre de la solution"), validators=[Length(max=300), plain_text])
    solution_lever = SelectField(_l("Levier de politique ESS"), choices=_lever_choices(), validate_choice=False)
    solution_summary = TextAreaField(
        _l("Résumé"),
        validators=[Length(max=2000)],
        description=_l("Deux ou trois phrases : le problème que la solution règle et comment."),
    )
    solution_description = TextAreaField(_l("Description (facultatif)"), validators=[Length(max=20000)])
    solution_themes = StringField(
        _l("Thèmes (facultatif)"),
        validators=[Length(max=2000)],
        description=_l("Séparés par des virgules : insertion, réemploi, alimentation."),
    )
    solution_territories = StringField(
        _l("Territoires où la solution est proposée (facultatif)"),
        validators=[Length(max=2000)],
        description=_l("Codes ou noms exacts, séparés par des virgules ; vide : ceux de la structure."),
    )

    def theme_list(self) -> list[str]:
        return [t.strip() for t in (self.solution_themes.data or "").split(",") if t.strip()]


class SolutionForm(SolutionFields, BaseForm):
    pass


class ListingRequestForm(OrganisationFields, SolutionFields, BaseForm):
    """The public request: the structure, optionally its first solution, consent; a honeypot as /adherer."""

    with_solution = BooleanField(_l("Je propose aussi une première solution aux collectivités"))
    consent = BooleanField(
        CONSENT_TEXT, validators=[DataRequired(_l("Votre accord est nécessaire pour figurer dans l’annuaire."))]
    )
    #: a honeypot: hidden from people, filled by bots
    homepage = StringField(
        _l("Ne pas remplir ce champ"), validators=[Length(max=200)], render_kw={"autocomplete": "off", "tabindex": "-1"}
    )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.with_solution.data:
            if not (self.solution_title.data or "").strip():
                self.solution_title.errors = [*self.solution_title.errors, _l("Indiquez le titre de la solution.")]
                ok = False
            if self.solution_lever.data not in LEVERS:
                self.solution_lever.errors = [*self.solution_lever.errors, _l("Choisissez un levier.")]
                ok = False
        for name in ("contact_name", "contact_email"):
            if not (getattr(self, name).data or "").strip():
                getattr(self, name).errors = [*getattr(self, name).errors, _l("Ce champ est obligatoire.")]
                ok = False
        return ok


class RejectForm(BaseForm):
    reason = TextAreaField(
        _l("Raison du refus"),
        validators=[
            DataRequired(_l("Indiquez la raison du refus : elle est envoyée à la structure.")),
            Length(max=2000),
        ],
        description=_l("Elle est envoyée à l’adresse du contact de la structure."),
    )


class DirectoryFilterForm(FilterForm):
    q = StringField(_l("Nom de la structure"), validators=[Length(max=100)])
    type = SelectField(_l("Type"), choices=_kind_choices(_l("Tous les types")), validate_choice=False)
    territoire = SelectField(_l("Territoire"), choices=[], validate_choice=False)


class CoordinationFilterForm(FilterForm):
    q = StringField(_l("Nom de la structure"), validators=[Length(max=100)])
    statut = SelectField(
        _l("Statut"),
        choices=[SelectChoice("", _l("Tous")), *(SelectChoice(k, v) for k, v in STATUS_LABELS.items())],
        validate_choice=False,
        validators=[Optional()],
    )


class LinksForm(BaseForm):
    """Coordinators link a structure to speakers, meetings it co-organises and practices it is a partner of."""

    speakers = SelectMultipleField(
        _l("Intervenants de cette structure"), coerce=coerce_int, choices=[], validate_choice=False
    )
    meetings = SelectMultipleField(
        _l("Rencontres qu’elle co-organise"), coerce=coerce_int, choices=[], validate_choice=False
    )
    practices = StringField(
        _l("Pratiques dont elle est partenaire"),
        validators=[Length(max=4000)],
        description=_l("Références des pratiques, séparées par des virgules : BP00012, DEMO003."),
    )


def organisation_data(form) -> OrganisationData:
    """The structure's fields as the services take them; DomainError naming a territory no code or name finds."""
    ids, unknown = resolve_territories(form.territories.data or "")
    if unknown:
        raise DomainError(_("Territoire inconnu : %(names)s.", names=", ".join(unknown[:5])), field="territories")
    return OrganisationData(
        name=form.name.data or "",
        kind=form.kind.data or "",
        siret=form.siret.data or "",
        description=form.description.data or "",
        website=form.website.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "",
        territory_ids=ids,
    )


def solution_data(form, default_territories: list[int] | None = None) -> SolutionData:
    """The solution's fields (`solution_*`) as the services take them; no territory typed: `default_territories`."""
    ids, unknown = resolve_territories(form.solution_territories.data or "")
    if unknown:
        raise DomainError(
            _("Territoire inconnu : %(names)s.", names=", ".join(unknown[:5])), field="solution_territories"
        )
    return SolutionData(
        title=form.solution_title.data or "",
        lever=form.solution_lever.data or "",
        summary=form.solution_summary.data or "",
        description=form.solution_description.data or "",
        themes=form.theme_list(),
        territory_ids=ids or list(default_territories or []),
    )


def form_errors(exc: DomainError) -> DomainError:
    """The services' names of the territory lists as the form's fields."""
    names = {"territory_ids": "territories", "solution_territory_ids": "solution_territories"}
    return DomainError(exc.message, errors={names.get(k, k): v for k, v in exc.errors.items()})
