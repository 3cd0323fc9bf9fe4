"""Demo rows (core.db.DemoFlag) are said to be fictitious wherever they show.

- every HTML page that loaded a demo row from the database carries a notice at the top of its content (the
  rows a page shows are the rows it loads, whatever the template: a new page needs nothing to be marked);
- in a list, `fictitious(obj)` puts « Exemple fictif (données de démonstration) » next to the demo item;
- the API and the exports say it per item with `fictitious_label(obj)`.
"""

import sqlalchemy as sa
from flask import g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from clubess.core import fragments
from clubess.core.db import Base, DemoFlag

FICTITIOUS = _l("Exemple fictif (données de démonstration)")
#: where base.html wants the page's notice
PLACEHOLDER = "<!-- clubess:fictitious -->"
_PLACEHOLDER_BYTES = PLACEHOLDER.encode()
NOTICE_HTML = Markup('<div class="notice notice--warning demo-notice" role="note"><p><strong>{}</strong> {}</p></div>')


def is_fictitious(obj) -> bool:
    return isinstance(obj, DemoFlag) and bool(obj.demo)


def fictitious_label(obj) -> str:
    """The words for a demo row, "" for a real one (a CSV cell, an API field)."""
    return str(FICTITIOUS) if is_fictitious(obj) else ""


def fictitious(obj) -> Markup:
    """The mark of a demo item in a list; nothing for a real one."""
    if not is_fictitious(obj):
        return Markup("")
    return Markup('<span class="badge badge--warning badge--demo">{}</span>').format(str(FICTITIOUS))


def page_notice() -> Markup:
    return NOTICE_HTML.format(
        _("Exemple fictif (données de démonstration)."),
        _(
            "Cette page montre des données de démonstration : les pratiques, chiffres, personnes et citations "
            "signalés ainsi sont inventés, même quand ils nomment des collectivités réelles."
        ),
    )


def _loaded(target, context, *args) -> None:
    if has_request_context() and is_fictitious(target):
        g.fictitious_loaded = True


def mark_page() -> None:
    """This page shows demo data it read without loading its rows (a count, a stored snapshot): it says so too."""
    if has_request_context():
        g.fictitious_loaded = True


def _mark_page(response):
    """Put the notice where base.html asks for it when the request loaded a demo row (else leave nothing)."""
    if response.mimetype == "text/html" and not response.direct_passthrough and not response.is_streamed:
        body = response.get_data()  # as bytes: a page of 500 KB is not decoded and encoded again for this
        if _PLACEHOLDER_BYTES in body:
            notice = str(page_notice()) if g.get("fictitious_loaded") else ""
            response.set_data(body.replace(_PLACEHOLDER_BYTES, notice.encode(), 1))
    return response


def register_fictitious(app) -> None:
    fragments.replay_flag("fictitious_loaded")
    for event in ("load", "refresh"):
        if not sa.event.contains(Base, event, _loaded):
            sa.event.listen(Base, event, _loaded, propagate=True)
    app.after_request(_mark_page)
    app.jinja_env.globals["fictitious"] = fictitious
