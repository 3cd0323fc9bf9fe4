"""Forms for practices, moderation, import and the thesaurus."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from clubess.core.forms import BaseForm, IntegerField
from clubess.core.vocabulary import LEVERS
from clubess.members.forms import TERRITORY_KIND_LABELS, plain_text


class PracticeForm(BaseForm):
    title = StringField(_l("Titre"), validators=[DataRequired(_l("Saisissez un titre.")), Length(max=300), plain_text])
    lever = SelectField(_l("Levier"), choices=[SelectChoice(k, v) for k, v in LEVERS.items()])
    summary = TextAreaField(
        _l("Résumé"),
        validators=[DataRequired(_l("Saisissez un résumé.")), Length(max=2000)],
        description=_l("Deux ou trois phrases : ce qui a été fait, avec qui, pour quel résultat."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=20000)],
        description=_l("Le contexte, la démarche, les moyens, les résultats. Mise en forme Markdown possible."),
    )
    themes = StringField(
        _l("Thèmes"),
        validators=[Length(max=1000), plain_text],
        description=_l("Séparés par des virgules, par exemple : réemploi, insertion."),
    )
    year = IntegerField(_l("Année"), validators=[Optional(), NumberRange(min=1980, max=2100)])
    partners = StringField(
        _l("Partenaires"), validators=[Length(max=1000), plain_text], description=_l("Séparés par des virgules.")
    )
    links = TextAreaField(
        _l("Liens"), validators=[Length(max=3000)], description=_l("Un lien par ligne, commençant par https://.")
    )
    contact_role = StringField(_l("Fonction de la personne à contacter"), validators=[Length(max=200), plain_text])

    def theme_list(self) -> list[str]:
        return [t.strip() for t in (self.themes.data or "").split(",") if t.strip()]

    def partner_list(self) -> list[str]:
        return [t.strip() for t in (self.partners.data or "").split(",") if t.strip()]

    def link_list(self) -> list[dict]:
        return [{"label": u.strip(), "url": u.strip()} for u in (self.links.data or "").splitlines() if u.strip()]


class ReviewForm(BaseForm):
    comment = TextAreaField(
        _l("Commentaire pour l’auteur"),
        validators=[Length(max=3000)],
        description=_l("Obligatoire pour demander des modifications."),
    )


class ImportForm(BaseForm):
    file = FileField(
        _l("Fichier JSON ou CSV"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(["json", "csv"], _l("Seuls les fichiers .json et .csv sont acceptés.")),
        ],
    )


class ThesaurusForm(BaseForm):
    expressions = StringField(
        _l("Expressions équivalentes"),
        validators=[DataRequired(_l("Saisissez des expressions.")), Length(max=1000), plain_text],
        description=_l("Séparées par des virgules, par exemple : ressourcerie, recyclerie, réemploi."),
    )


SORT_CHOICES = [SelectChoice("relevance", _l("Pertinence")), SelectChoice("date", _l("Date de publication"))]
KIND_CHOICES = [SelectChoice("", _l("Tous")), *(SelectChoice(k, v) for k, v in TERRITORY_KIND_LABELS.items())]


class ProblemForm(BaseForm):
    text = TextAreaField(
        _l("Votre problématique"),
        validators=[
            DataRequired(_l("Décrivez votre problématique en quelques phrases.")),
            Length(max=5000, message=_l("Le texte est trop long : 5 000 caractères au plus.")),
        ],
        description=_l("Avec vos mots : la situation, les personnes concernées, ce qui bloque."),
    )
    lever = SelectField(
        _l("Levier (facultatif)"),
        choices=[SelectChoice("", _l("— Je ne sais pas —"))] + [SelectChoice(k, v) for k, v in LEVERS.items()],
    )
    themes = StringField(
        _l("Thèmes (facultatif)"),
        validators=[Length(max=500), plain_text],
        description=_l("Séparés par des virgules, par exemple : réemploi, insertion."),
    )
    follow = BooleanField(_l("Suivre cette problématique (elle reste dans votre espace)"))
    notify = BooleanField(_l("Me prévenir par courriel quand une nouvelle pratique y répond"))

    def theme_list(self) -> list[str]:
        return [t.strip() for t in (self.themes.data or "").split(",") if t.strip()]
