"""The bilan's forms: its editorial parts, and the communiqué it is joined to."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from clubess.core.forms import BaseForm
from clubess.report.models import MAX_TEXT

TOO_LONG = _l("Le texte est trop long : %(max)d caractères au plus.")

MARKDOWN_HINT = _l("Mise en forme Markdown : **gras**, *italique*, listes commençant par « - », liens.")


class ReportTextForm(BaseForm):
    introduction = TextAreaField(
        _l("Introduction"), validators=[Length(max=MAX_TEXT, message=TOO_LONG)], description=MARKDOWN_HINT
    )
    highlights = TextAreaField(
        _l("Temps forts de l’année"), validators=[Length(max=MAX_TEXT, message=TOO_LONG)], description=MARKDOWN_HINT
    )


class AttachForm(BaseForm):
    communique = SelectField(
        _l("Communiqué"),
        description=_l("Le lien vers le bilan public est ajouté à son texte, et le PDF en pièce jointe."),
    )
