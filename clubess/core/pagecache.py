"""Public pages served from memory to the visitors who carry nothing of their own.

Most requests for the public pages come from people (and crawlers) with no cookie at all: for them the page
depends only on its address, the language and the club's data. Such a page, once rendered, is kept per data
version (core.versions) and per minute of the clock, and served again without running the view.

- Only views marked `@public_page` are kept, and only for a request with neither a session nor a "remember me"
  cookie: a signed-in person, or a visitor who chose a language or filled a form, always gets the page made
  for them.
- A page is kept only if making it left the session empty and set no cookie: a page with a form (and so a CSRF
  token in the session) is never served to someone else. The language switch carries no token for visitors
  (auth.views.set_language), so the public pages keep nothing personal.
- What the rendering left in `g` for the response (e.g. « this page shows demo rows »: core.fictitious) is
  kept with the page and set again when it is served (core.fragments.replay_flag).
- A page whose content follows something else than the data and the clock (an embargo that ends) names it
  in `public_page(extra=...)`, a function whose result joins the key.
"""

import time
from collections.abc import Callable

from flask import Response, current_app, g, request, session
from flask_babel import get_locale

from clubess.core import fragments
from clubess.core.fragments import FragmentCache

PAGES = FragmentCache(size=1024, ttl=60.0)
#: longer query strings are not kept (a crawler's junk would only push useful pages out)
MAX_QUERY = 200


def public_page(view: Callable | None = None, *, extra: Callable[[], object] | None = None):
    """Mark a view whose page, for a visitor without cookies, depends only on its address, the language and
    the data (and `extra()` when given)."""

    def mark(function):
        function.public_page = extra or (lambda: None)
        return function

    return mark(view) if view is not None else mark


def _key():
    if request.method not in ("GET", "HEAD") or not current_app.config.get("PAGE_CACHE", True):
        return None
    view = current_app.view_functions.get(request.endpoint)
    extra = getattr(view, "public_page", None)
    if extra is None or len(request.query_string) > MAX_QUERY:
        return None
    cookies = request.cookies
    if current_app.config.get("SESSION_COOKIE_NAME", "session") in cookies or "remember_token" in cookies:
        return None
    minute = int(time.time() // 60)
    return ("page", request.path, request.query_string, str(get_locale()), minute, extra())


def _serve():
    key = _key()
    if key is None:
        return None
    g.page_cache_key = key
    found = PAGES.peek(key)
    if found is None:
        return None
    body, flags = found
    for name in flags:
        setattr(g, name, True)
    g.page_cache_hit = True
    return Response(body, mimetype="text/html")


def _keep(response: Response) -> Response:
    key = g.get("page_cache_key")
    if key is None or g.get("page_cache_hit"):
        return response
    if (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and not session
        and not session.modified  # a flashed message shown at once, a token taken: this page was this visitor's
    ):
        flags = tuple(name for name in fragments.flag_names() if g.get(name))
        PAGES.put(key, (response.get_data(), flags))
    return response


def register_page_cache(app) -> None:
    """Serve kept pages before any view (after the input guard and the other checks), keep them after."""
    app.before_request(_serve)
    app.after_request(_keep)
    app.after_request(_vary)


def _vary(response: Response) -> Response:
    if g.get("page_cache_key") is not None:
        response.vary.update(("Cookie", "Accept-Language"))
    return response
