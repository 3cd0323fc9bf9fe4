"""Template filters and globals: French dates, sanitized Markdown, navigation."""

from datetime import date, datetime

import markdown as md
import nh3
from flask import current_app, has_request_context, request, session, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from jinja2 import pass_context
from markupsafe import Markup

from clubess.core import labels
from clubess.core.fictitious import register_fictitious

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML, cleaned by nh3: no script, no style, no event handler, safe links only."""
    if not text:
        return Markup("")
    html = md.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - cleaned by nh3 just above


def format_dt(value: datetime | None, fmt: str = "full_short") -> str:
    """A datetime shown in the club's timezone, e.g. « samedi 14 mars 2026 à 18:30 »."""
    if value is None:
        return ""
    if value.tzinfo is None:
        raise ValueError("naive datetime in a template")
    if fmt == "full_short":
        if str(get_locale()) == "fr":
            return format_datetime(value, "EEEE d MMMM y 'à' HH:mm")
        return format_datetime(value, "EEEE d MMMM y 'at' HH:mm")
    return format_datetime(value, fmt)


def format_d(value: date | datetime | None, fmt: str = "long") -> str:
    if value is None:
        return ""
    return format_date(value, fmt)


# Public navigation: (endpoint, label). Entries whose blueprint is not registered yet are hidden.
def _nav_items():
    from flask_babel import gettext as _
    from flask_login import current_user

    items = [
        ("pages.club", _("Le club")),
        ("meetings.agenda", _("Rencontres")),
        ("practices.library", _("Bonnes pratiques")),
        ("actors.directory", _("Acteurs de l’ESS")),
        ("resources.centre", _("Ressources")),
        ("territories.index", _("Territoires")),
    ]
    if current_user.is_authenticated:
        items.append(("problems.index", _("Problématiques")))
    return [*items, ("press.room", _("Presse"))]


def navigation():
    items = []
    endpoints = current_app.view_functions
    for endpoint, label in _nav_items():
        if endpoint in endpoints:
            url = url_for(endpoint)
            current = request.path == url or (url != "/" and request.path.startswith(url + "/"))
            items.append({"url": url, "label": label, "current": current})
    return items


def validity(seconds: int) -> str:
    """How long a link in a mail works, never rounded up: « 14 jours », « 1 heure », « 90 minutes »."""
    from babel.units import format_unit

    for unit, size in (("duration-day", 86400), ("duration-hour", 3600)):
        if seconds >= size and seconds % size == 0:
            return format_unit(seconds // size, unit, locale=get_locale())
    return format_unit(max(1, seconds // 60), "duration-minute", locale=get_locale())


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


@pass_context
def _label(context, value, name: str) -> str:
    """`value | label('vocabulary')`, read in the request's language. Taking the context keeps Jinja from
    folding `'solution' | label('match_kind')` into the template when it compiles it (in whatever language the
    first request had) and serving that to every later reader."""
    return labels.label(value, name)


def register_templating(app):
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = format_dt
    app.jinja_env.filters["date"] = format_d
    app.jinja_env.filters["label"] = _label
    app.jinja_env.filters["validity"] = validity
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.globals["navigation"] = navigation
    app.jinja_env.globals["has_endpoint"] = has_endpoint
    register_fictitious(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def club_context():
        return {
            "club": {
                "name": app.config["CLUB_NAME"],
                "short_name": app.config["CLUB_SHORT_NAME"],
                "region": app.config["CLUB_REGION_NAME"],
                "contact_email": app.config["CLUB_CONTACT_EMAIL"],
            },
            "current_locale": str(get_locale()),
            "other_locales": [loc for loc in app.config["LOCALES"] if loc != str(get_locale())],
        }


def select_locale() -> str:
    locales = current_app.config["LOCALES"]
    if not has_request_context():
        return current_app.config["DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in locales:
        return chosen
    return request.accept_languages.best_match(locales) or current_app.config["DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]
