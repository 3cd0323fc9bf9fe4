"""The form of the indicators import."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired

from clubess.core.forms import BaseForm


class IndicatorImportForm(BaseForm):
    file = FileField(
        _l("Fichier CSV"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(["csv", "txt"], _l("Seuls les fichiers .csv sont acceptés.")),
        ],
        description=_l(
            "UTF-8, séparateur point-virgule ou virgule ; première ligne : territoire;annee;indicateur;valeur;source."
        ),
    )
