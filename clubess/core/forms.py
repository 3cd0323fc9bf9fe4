"""Form helpers shared by every domain."""

from flask_wtf import FlaskForm
from markupsafe import Markup


class BaseForm(FlaskForm):
    """A form that can show the field errors a service raised (DomainError.errors)."""

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


class EmptyForm(BaseForm):
    """A POST button with its CSRF token and nothing else."""
