"""Forms of the press pages: contacts, import, communiqués, attachments, sending, subscribing."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from clubess.core.emails import EmailAddress
from clubess.core.forms import BaseForm, DateField
from clubess.members.forms import MultiCheckboxField, plain_text
from clubess.press.labels import LEGAL_BASIS_LABELS, OUTLET_KIND_LABELS

OUTLET_KIND_CHOICES = [SelectChoice(k, v) for k, v in OUTLET_KIND_LABELS.items()]
LEGAL_BASIS_CHOICES = [SelectChoice(k, v) for k, v in LEGAL_BASIS_LABELS.items()]


class ContactForm(BaseForm):
    name = StringField(_l("Nom"), validators=[Length(max=200), plain_text])
    outlet = StringField(_l("Média"), validators=[Length(max=200), plain_text])
    outlet_kind = SelectField(_l("Type de média"), choices=OUTLET_KIND_CHOICES, default="autre")
    email = EmailField(
        _l("Adresse électronique"),
        validators=[DataRequired(_l("Saisissez l’adresse électronique.")), EmailAddress(), Length(max=254)],
    )
    beats = StringField(
        _l("Thématiques suivies"),
        validators=[Length(max=500), plain_text],
        description=_l("Séparées par des virgules, par exemple : économie, emploi, ESS."),
    )
    departement = StringField(
        _l("Département"),
        validators=[Length(max=40)],
        description=_l("Numéro (93, 2A…) ; laisser vide pour un média national."),
    )
    phone = StringField(_l("Téléphone"), validators=[Length(max=30)])
    legal_basis = RadioField(_l("Base légale du traitement"), choices=LEGAL_BASIS_CHOICES, default="interet_legitime")
    notes = TextAreaField(_l("Notes internes"), validators=[Length(max=3000)])


class ImportForm(BaseForm):
    file = FileField(
        _l("Fichier CSV"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(["csv", "txt"], _l("Seuls les fichiers .csv sont acceptés.")),
        ],
        description=_l(
            "Première ligne : les noms de colonnes nom, média, email, thématiques, département, téléphone "
            "(type de média facultatif). Séparateur point-virgule ou virgule."
        ),
    )
    legal_basis = RadioField(
        _l("Base légale pour ces contacts"), choices=LEGAL_BASIS_CHOICES, default="interet_legitime"
    )


class CommuniqueForm(BaseForm):
    title = StringField(
        _l("Titre"), validators=[DataRequired(_l("Donnez un titre au communiqué.")), Length(max=200), plain_text]
    )
    standfirst = TextAreaField(
        _l("Chapô"),
        validators=[Length(max=1000)],
        description=_l("Deux ou trois phrases qui résument l’annonce."),
    )
    body = TextAreaField(
        _l("Texte"),
        validators=[DataRequired(_l("Écrivez le texte du communiqué.")), Length(max=50000)],
        description=_l("Mise en forme Markdown : **gras**, *italique*, listes avec « - », liens [texte](https://…)."),
    )
    contact_block = TextAreaField(
        _l("Contact presse"),
        validators=[Length(max=1000)],
        description=_l("Qui les journalistes appellent : nom, adresse, téléphone."),
    )
    embargo_date = DateField(
        _l("Embargo jusqu’au (date)"),
        validators=[Optional()],
        description=_l("Laisser vide pour une diffusion immédiate. Heure de Paris."),
    )
    embargo_time = TimeField(_l("Embargo jusqu’à (heure)"), validators=[Optional()])

    def validate_embargo_time(self, field):
        if field.data and not self.embargo_date.data:
            raise ValidationError(_l("Indiquez aussi la date de fin d’embargo."))


class AttachmentForm(BaseForm):
    file = FileField(
        _l("Ajouter une pièce jointe"),
        validators=[FileRequired(_l("Choisissez un fichier."))],
        description=_l("PDF, PNG, JPEG ou WebP."),
    )


class SegmentForm(BaseForm):
    beats = MultiCheckboxField(_l("Thématiques"), choices=[])
    departements = MultiCheckboxField(_l("Départements"), choices=[])
    outlet_kinds = MultiCheckboxField(_l("Types de média"), choices=OUTLET_KIND_CHOICES)
    expected = HiddenField(validators=[Length(max=10)])


class SubscribeForm(BaseForm):
    email = EmailField(
        _l("Adresse électronique"),
        validators=[DataRequired(_l("Saisissez votre adresse électronique.")), EmailAddress(), Length(max=254)],
    )
    name = StringField(_l("Nom (facultatif)"), validators=[Length(max=200), plain_text])
    outlet = StringField(_l("Média ou organisation (facultatif)"), validators=[Length(max=200), plain_text])
    consent = BooleanField(
        _l("J’accepte de recevoir les communiqués du club par courriel ; je peux me désabonner en un clic."),
        validators=[DataRequired(_l("Cochez la case pour vous abonner."))],
    )
