"""Email addresses: the one place that decides what an address is and how it is written.

The platform sends through an ordinary SMTP relay and does not assume it offers SMTPUTF8, so an
address must be pure ASCII on the wire: a local part with accents (`zoé@exemple.fr`) is refused
with a clear message, an internationalised domain (`nom@exemplé.fr`) is accepted and stored in its
ASCII (punycode) form, which every relay takes. Addresses are trimmed and lower-cased, so the same
person is the same address everywhere (accounts, members, invitations, press contacts, suppressions).

Forms use the WTForms validator `EmailAddress`; services and importers call `normalize_email`.
"""

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

#: RFC 5321: what an SMTP path may hold
MAX_LENGTH = 254
MAX_LOCAL_LENGTH = 64

INVALID = _l("Saisissez une adresse électronique valide, par exemple nom@commune.fr.")
NON_ASCII_LOCAL = _l(
    "Les lettres accentuées ou non latines avant le « @ » ne sont pas acceptées par les serveurs de "
    "messagerie : saisissez l’adresse sans accent avant le « @ » (par exemple zoe@exemple.fr)."
)
TOO_LONG = _l("Cette adresse électronique est trop longue.")


class InvalidEmail(ValueError):
    """The text is not an address the platform can send to; `message` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def normalize_email(value: str | None) -> str:
    """The address as the platform stores and sends it (trimmed, lower case, punycode domain), or InvalidEmail."""
    text = (value or "").strip()
    if not text or "@" not in text:
        raise InvalidEmail(INVALID)
    local = text.rpartition("@")[0]
    if not local.isascii():
        raise InvalidEmail(NON_ASCII_LOCAL)
    if len(text) > MAX_LENGTH * 2:  # far too long even before the domain is encoded: do not parse it
        raise InvalidEmail(TOO_LONG)
    try:
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False, allow_quoted_local=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(TOO_LONG if "too long" in str(exc) else INVALID) from None
    address = result.ascii_email.lower()
    if len(address) > MAX_LENGTH or len(address.partition("@")[0]) > MAX_LOCAL_LENGTH:
        raise InvalidEmail(TOO_LONG)
    return address


def lookup_key(value: str | None) -> str:
    """The form an address is looked up by: `normalize_email` when it is valid, else the text trimmed and
    lower-cased (a login form must find nothing rather than fail, and older rows may hold such text)."""
    try:
        return normalize_email(value)
    except InvalidEmail:
        return (value or "").strip().lower()


class EmailAddress:
    """WTForms validator: refuses what `normalize_email` refuses, and writes the field's data in its stored form.

    An empty field passes (combine with DataRequired or Optional), and so does the address the edited record
    already holds (rows older than this rule must stay editable; only a new address is checked).
    """

    def __call__(self, form, field):
        if not (field.data or "").strip():
            return
        if field.object_data and field.data.strip().lower() == str(field.object_data).strip().lower():
            return
        try:
            field.data = normalize_email(field.data)
        except InvalidEmail as exc:
            raise ValidationError(exc.message) from None
