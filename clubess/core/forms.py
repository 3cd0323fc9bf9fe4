"""Form helpers shared by every domain."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import fields
from wtforms.validators import Length

from clubess.core.inputs import INT_RE, MAX_INT, single_line

#: the dates a form accepts (a year 1 or 9999 overflows when moved to UTC)
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2199, 12, 31)


def _one_line(value):
    return single_line(value) if isinstance(value, str) else value


def bind_single_line(meta, form, unbound_field, options):
    """Single-line fields (not text areas, not passwords) fold tabs and line breaks into spaces.

    The request guard (core/inputs.py) has already removed control characters from every form value.
    """
    field_class = unbound_field.field_class
    if issubclass(field_class, fields.StringField) and not issubclass(
        field_class, (fields.TextAreaField, fields.PasswordField)
    ):
        options = {**options, "filters": (*unbound_field.kwargs.get("filters", ()), _one_line)}
    return unbound_field.bind(form=form, **options)


class IntegerField(fields.IntegerField):
    """An integer written with ASCII digits, never more than a database integer holds.

    WTForms' own field calls int(), which also reads "٣" or "1_000" and any size of number.
    """

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = str(valuelist[0]).strip()
        self.data = None
        if not INT_RE.fullmatch(raw):
            raise ValueError(self.gettext("Not a valid integer value."))
        if abs(int(raw)) > MAX_INT:
            raise ValueError(_l("Ce nombre est trop grand."))
        self.data = int(raw)


class DateField(fields.DateField):
    """A date between 1900 and 2199 (a year 1 or 9999 cannot be moved between time zones)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not MIN_DATE <= self.data <= MAX_DATE:
            self.data = None
            raise ValueError(_l("Saisissez une date entre 1900 et 2199."))


class BaseForm(FlaskForm):
    """A form that can show the field errors a service raised (DomainError.errors)."""

    class Meta:
        bind_field = bind_single_line

    def hidden_tag(self, *fields):
        """Hidden fields without ids, so a page can hold several forms and keep its ids unique."""
        fields = fields or [f for f in self if f.type in ("CSRFTokenField", "HiddenField")]
        return Markup("\n".join(str(f(id=False)) for f in fields))  # noqa: S704 - WTForms widgets escape values

    def add_domain_errors(self, exc) -> None:
        for field_name, message in exc.errors.items():
            field = getattr(self, field_name, None) if field_name else None
            if field is not None and hasattr(field, "errors"):
                field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
            else:
                self.form_errors.append(message)


class FilterForm(BaseForm):
    """The filters of a list page (GET, no CSRF token): a value longer than its field allows is cut, not refused,
    since the page shows its list whatever the filters say."""

    class Meta:
        csrf = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            limits = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
            if limits and isinstance(field.data, str):
                field.data = field.data[: min(limits)]


class EmptyForm(BaseForm):
    """A POST button with its CSRF token and nothing else."""
