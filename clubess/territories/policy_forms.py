"""The forms of the ESS policy profile: a year's profile, and the choice of another year to fill.

The élu list is set by the view (the collectivity's élus in office); the service judges what was chosen
(`validate_choice=False`), and the ranges of the numbers, so each refusal is said next to its field.
"""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from clubess.core.forms import BaseForm, FilterForm, IntegerField
from clubess.core.inputs import MAX_INT, parse_int
from clubess.core.vocabulary import LEVERS
from clubess.members.forms import MultiCheckboxField, plain_text
from clubess.territories.policy import ProfileData
from clubess.territories.policy_models import MIN_YEAR, NAME_MAX, NOTE_MAX

YEARS = NumberRange(MIN_YEAR, 2199, message=_l("Indiquez une année à partir de 2000."))


class PolicyProfileForm(BaseForm):
    elu_id = SelectField(_l("Élu·e chargé·e de l’ESS"), choices=[], validate_choice=False)
    elu_name = StringField(
        _l("Ou son nom, s’il ou elle n’est pas inscrit·e sur la plateforme"),
        validators=[Length(max=NAME_MAX), plain_text],
        description=_l("Visible des membres du club sur la page du territoire."),
    )
    has_budget_line = BooleanField(_l("Une ligne budgétaire pour l’ESS"))
    budget_amount = IntegerField(
        _l("Montant annuel de la ligne budgétaire (en euros, facultatif)"),
        validators=[Optional(), NumberRange(0, MAX_INT, message=_l("Le montant ne peut pas être négatif."))],
        description=_l("Un nombre entier, sans espace : 150000."),
    )
    spaser_year = IntegerField(
        _l("SPASER adopté : année d’adoption"),
        validators=[Optional(), YEARS],
        description=_l(
            "Schéma de promotion des achats socialement et écologiquement responsables. Vide : pas de SPASER."
        ),
    )
    social_clause_share = IntegerField(
        _l("Part des marchés publics avec des clauses sociales (en %, facultatif)"),
        validators=[Optional(), NumberRange(0, 100, message=_l("Indiquez un pourcentage entre 0 et 100."))],
        description=_l("Un nombre entier entre 0 et 100."),
    )
    has_reserved_contracts = BooleanField(_l("Des marchés réservés (structures d’insertion, entreprises adaptées…)"))
    supports_ptce = BooleanField(_l("Soutien à un PTCE (pôle territorial de coopération économique)"))
    ptce_name = StringField(_l("Nom du PTCE"), validators=[Length(max=NAME_MAX), plain_text])
    has_ess_in_crte = BooleanField(_l("L’ESS figure dans le CRTE (contrat de relance et de transition écologique)"))
    tiers_lieux_count = IntegerField(
        _l("Nombre de tiers-lieux soutenus (facultatif)"),
        validators=[Optional(), NumberRange(0, 10_000, message=_l("Indiquez un nombre entre 0 et 10000."))],
    )
    strategy_year = IntegerField(
        _l("Stratégie ESS votée : année du vote"),
        validators=[Optional(), YEARS],
        description=_l("Vide : pas de stratégie votée."),
    )
    levers = MultiCheckboxField(
        _l("Leviers sur lesquels la collectivité agit"),
        choices=[SelectChoice(k, v) for k, v in LEVERS.items()],
        validate_choice=False,
    )
    note = TextAreaField(
        _l("Note libre (facultatif)"),
        validators=[Length(max=NOTE_MAX)],
        description=_l("Ce que les autres membres gagneraient à savoir : projets, difficultés, contacts utiles."),
    )

    def set_elus(self, elus, current=None) -> None:
        """The élus in office; the one already chosen stays offered after their mandate ended."""
        people = list(elus)
        if current is not None and current not in people:
            people.insert(0, current)
        self.elu_id.choices = [SelectChoice("", _l("— Aucun·e élu·e choisi·e dans la liste —"))] + [
            SelectChoice(str(p.id), f"{p.full_name}{' — ' + p.function if p.function else ''}") for p in people
        ]

    def profile_data(self) -> ProfileData:
        elu = (self.elu_id.data or "").strip()
        return ProfileData(
            elu_id=parse_int(elu, -1) if elu else None,
            elu_name=self.elu_name.data or "",
            has_budget_line=bool(self.has_budget_line.data),
            budget_amount=self.budget_amount.data,
            spaser_year=self.spaser_year.data,
            social_clause_share=self.social_clause_share.data,
            has_reserved_contracts=bool(self.has_reserved_contracts.data),
            supports_ptce=bool(self.supports_ptce.data),
            ptce_name=self.ptce_name.data or "",
            has_ess_in_crte=bool(self.has_ess_in_crte.data),
            tiers_lieux_count=self.tiers_lieux_count.data,
            strategy_year=self.strategy_year.data,
            levers=list(self.levers.data or []),
            note=self.note.data or "",
        )

    def fill(self, data: ProfileData) -> None:
        """Put a profile's values in the form (a new year starts from the latest earlier one)."""
        for name, value in vars(data).items():
            getattr(self, name).data = str(value) if name == "elu_id" and value is not None else value


class YearForm(FilterForm):
    annee = SelectField(_l("Renseigner une autre année"), choices=[], validate_choice=False)
