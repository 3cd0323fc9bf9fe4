"""Forms and labels of what follows a meeting: minutes and decisions, workshop contributions, the questionnaire."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, FormField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from clubess.core.forms import BaseForm
from clubess.core.inputs import coerce_int
from clubess.core.labels import register_labels
from clubess.core.vocabulary import LEVERS
from clubess.meetings.followup_models import ContributionKind, MinutesStatus
from clubess.members.forms import MultiCheckboxField, plain_text

MINUTES_STATUS_LABELS = {
    MinutesStatus.DRAFT.value: _l("Brouillon"),
    MinutesStatus.PUBLISHED.value: _l("Publié"),
}
CONTRIBUTION_KIND_LABELS = {
    ContributionKind.CONSTAT.value: _l("Constat"),
    ContributionKind.INITIATIVE.value: _l("Initiative repérée"),
    ContributionKind.PRECONISATION.value: _l("Préconisation"),
}
#: the headings of each kind on the meeting page (plural)
CONTRIBUTION_KIND_HEADINGS = {
    ContributionKind.CONSTAT.value: _l("Constats"),
    ContributionKind.INITIATIVE.value: _l("Initiatives repérées"),
    ContributionKind.PRECONISATION.value: _l("Préconisations"),
}
register_labels(minutes_status=MINUTES_STATUS_LABELS, contribution_kind=CONTRIBUTION_KIND_LABELS)

FOLLOWUP_LABELS = {
    "minutes_status_labels": MINUTES_STATUS_LABELS,
    "contribution_kind_labels": CONTRIBUTION_KIND_LABELS,
    "contribution_kind_headings": CONTRIBUTION_KIND_HEADINGS,
    "levers": LEVERS,
}

LEVER_CHOICES = [SelectChoice("", _l("Aucun levier en particulier"))] + [SelectChoice(k, v) for k, v in LEVERS.items()]
MARKDOWN_HINT = _l(
    "Mise en forme Markdown : **gras**, *italique*, titres « ## », listes avec « - », liens [texte](https://…)."
)


class DecisionForm(BaseForm):
    class Meta:
        csrf = False  # a row of the minutes form, which carries the token

    text = StringField(_l("Décision"), validators=[Length(max=500), plain_text])
    lever = SelectField(_l("Levier"), choices=LEVER_CHOICES, validators=[Optional()])


class MinutesForm(BaseForm):
    body = TextAreaField(
        _l("Compte rendu"), validators=[Length(max=100_000)], description=MARKDOWN_HINT, render_kw={"rows": 18}
    )
    decisions = FieldList(FormField(DecisionForm), min_entries=1, max_entries=50)
    note = StringField(
        _l("Ce que la correction change"),
        validators=[Length(max=500)],
        description=_l("Gardé dans l’historique des versions, par exemple : « nom d’une intervenante corrigé »."),
    )
    mail_again = BooleanField(
        _l("Envoyer à nouveau le compte rendu corrigé aux participants"),
        description=_l("Sans cette case, la correction est seulement visible sur la page de la rencontre."),
    )


class ContributionForm(BaseForm):
    kind = RadioField(
        _l("Type de contribution"),
        choices=[SelectChoice(k, v) for k, v in CONTRIBUTION_KIND_LABELS.items()],
        validators=[DataRequired(_l("Choisissez le type de contribution."))],
        description=_l(
            "Un constat : ce que vous observez sur votre territoire. Une initiative repérée : une action qui "
            "mérite d’être connue. Une préconisation : ce que l’atelier recommande."
        ),
    )
    title = StringField(
        _l("Titre"),
        validators=[DataRequired(_l("Donnez un titre court à votre contribution.")), Length(max=200), plain_text],
    )
    text = TextAreaField(
        _l("Texte"),
        validators=[DataRequired(_l("Décrivez votre contribution en quelques lignes.")), Length(max=5000)],
        render_kw={"rows": 6},
    )
    lever = SelectField(_l("Levier (facultatif)"), choices=LEVER_CHOICES, validators=[Optional()])
    territory = SelectField(_l("Territoire concerné (facultatif)"), coerce=coerce_int, validate_choice=False)


class MergeForm(BaseForm):
    ids = MultiCheckboxField(_l("Contributions à fusionner"), coerce=coerce_int, validate_choice=False)


RATING_LABELS = {
    5: _l("5 — Excellente"),
    4: _l("4 — Bonne"),
    3: _l("3 — Moyenne"),
    2: _l("2 — Décevante"),
    1: _l("1 — Très décevante"),
}


class SurveyForm(BaseForm):
    rating = RadioField(
        _l("Votre appréciation générale de la rencontre"),
        choices=[SelectChoice(k, v) for k, v in RATING_LABELS.items()],
        coerce=coerce_int,
        validators=[DataRequired(_l("Choisissez une note de 1 à 5."))],
    )
    useful_item = RadioField(
        _l("Le point de l’ordre du jour qui vous a été le plus utile"), coerce=coerce_int, validate_choice=False
    )
    wished_theme = StringField(
        _l("Un thème que vous aimeriez aborder la prochaine fois (facultatif)"),
        validators=[Length(max=200), plain_text],
    )
    comment = TextAreaField(_l("Un commentaire libre (facultatif)"), validators=[Length(max=3000)])
