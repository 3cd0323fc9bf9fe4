"""Forms for accounts."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from clubess.core.emails import EmailAddress
from clubess.core.forms import BaseForm, FilterForm
from clubess.core.labels import register_labels
from clubess.core.permissions import Role

ROLE_LABELS = {
    Role.MEMBER.value: _l("Membre"),
    Role.COORDINATOR.value: _l("Coordination"),
    Role.ADMIN.value: _l("Administration"),
}
register_labels(role=ROLE_LABELS)


class LoginForm(BaseForm):
    email = EmailField(
        _l("Adresse électronique"),
        validators=[DataRequired(_l("Saisissez votre adresse électronique.")), Length(max=254)],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Mot de passe"),
        validators=[DataRequired(_l("Saisissez votre mot de passe.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Rester connecté sur cet appareil"))


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        _l("Adresse électronique"),
        validators=[
            DataRequired(_l("Saisissez votre adresse électronique.")),
            EmailAddress(),
            Length(max=254),
        ],
        description=_l("Nous vous enverrons un lien pour choisir un nouveau mot de passe."),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def _new_password_field(label):
    return PasswordField(
        label,
        validators=[DataRequired(_l("Choisissez un mot de passe.")), Length(max=1024)],
        description=_l(
            "Au moins 12 caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner."
        ),
        render_kw={"autocomplete": "new-password"},
    )


def _confirm_field():
    return PasswordField(
        _l("Confirmez le mot de passe"),
        validators=[
            DataRequired(_l("Confirmez le mot de passe.")),
            EqualTo("password", _l("Les deux mots de passe ne sont pas identiques.")),
            Length(max=1024),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ResetPasswordForm(BaseForm):
    password = _new_password_field(_l("Nouveau mot de passe"))
    confirm = _confirm_field()


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[DataRequired(_l("Saisissez votre mot de passe actuel.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password_field(_l("Nouveau mot de passe"))
    confirm = _confirm_field()


class AccountSearchForm(FilterForm):
    q = StringField(_l("Adresse contient"), validators=[Length(max=254)])
    role = SelectField(
        _l("Rôle"),
        choices=[SelectChoice("", _l("Tous les rôles")), *(SelectChoice(k, v) for k, v in ROLE_LABELS.items())],
        validate_choice=False,
    )


class RoleForm(BaseForm):
    role = SelectField(_l("Rôle"), choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
