"""Forms of the documents: adding or editing one, and drafting a practice fiche from an agenda item."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from clubess.core.forms import BaseForm, IntegerField
from clubess.core.templating import format_dt
from clubess.core.vocabulary import LEVERS
from clubess.members.forms import plain_text
from clubess.resources.labels import KIND_LABELS, VISIBILITY_LABELS
from clubess.resources.models import Visibility


class DocumentForm(BaseForm):
    title = StringField(
        _l("Titre"), validators=[DataRequired(_l("Donnez un titre au document.")), Length(max=300), plain_text]
    )
    kind = SelectField(_l("Type"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()])
    file = FileField(
        _l("Fichier"),
        description=_l(
            "PDF, Word, Excel, PowerPoint, OpenDocument (sans macros), ou image PNG, JPEG, WebP pour une photo ; "
            "le contenu du fichier est vérifié. Pour une vidéo (Replay), laissez vide et donnez son adresse."
        ),
    )
    url = StringField(
        _l("Adresse de la vidéo"),
        validators=[Length(max=500)],
        description=_l("Seulement pour une vidéo (type Replay) : https://…"),
    )
    # checked by the service (an item of this meeting): nothing chosen is « none »
    agenda_item_id = SelectField(_l("Point de l’ordre du jour"), choices=[], validate_choice=False)
    lever = SelectField(
        _l("Levier"),
        choices=[SelectChoice("", _l("Aucun")), *(SelectChoice(k, v) for k, v in LEVERS.items())],
    )
    visibility = RadioField(
        _l("Qui peut le voir"),
        choices=[SelectChoice(k, v) for k, v in VISIBILITY_LABELS.items()],
        default=Visibility.MEMBERS.value,
    )
    year = IntegerField(
        _l("Année"),
        validators=[Optional(), NumberRange(min=1980, max=2100)],
        description=_l("L’année de publication de l’étude ou du guide."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=5000)],
        description=_l("Quelques lignes : ce que contient le document, pour qui. Elles servent aussi à la recherche."),
    )
    practices = TextAreaField(
        _l("Pratiques liées"),
        validators=[Length(max=2000)],
        description=_l(
            "Les références des fiches (par exemple BP00012) ou les adresses de leurs pages, séparées par des "
            "virgules : le document s’affiche sur chacune."
        ),
    )

    def for_meeting(self, meeting) -> "DocumentForm":
        self.agenda_item_id.choices = [SelectChoice("", _l("Aucun (après l’ordre du jour)"))] + [
            SelectChoice(str(item.id), f"{format_dt(item.starts_at, 'HH:mm')} — {item.title}") for item in meeting.items
        ]
        del self.year
        return self

    def for_centre(self) -> "DocumentForm":
        del self.agenda_item_id
        self.visibility.choices = [
            SelectChoice(k, v) for k, v in VISIBILITY_LABELS.items() if k != Visibility.REGISTRANTS
        ]
        return self


class LinkPracticeForm(BaseForm):
    practice = StringField(
        _l("Fiche présentée"),
        validators=[DataRequired(_l("Indiquez la référence de la fiche.")), Length(max=500)],
        description=_l("Sa référence (par exemple BP00012) ou l’adresse de sa page."),
    )


class DraftPracticeForm(BaseForm):
    title = StringField(
        _l("Titre de la fiche"), validators=[DataRequired(_l("Saisissez un titre.")), Length(max=300), plain_text]
    )
    lever = SelectField(_l("Levier"), choices=[SelectChoice(k, v) for k, v in LEVERS.items()])
    assignee = SelectField(_l("Confier la fiche à"), choices=[])
