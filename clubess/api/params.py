"""The parameters of the API's requests, read strictly: what the OpenAPI document says, or a 400 saying why."""

from dataclasses import dataclass

from flask import request
from flask_babel import lazy_gettext as _l

from clubess.core.inputs import InputRefused, load_json_body, parse_int, query_choice, query_int
from clubess.core.vocabulary import LEVERS
from clubess.members.forms import TERRITORY_KIND_LABELS
from clubess.practices import matching

#: GET carries short texts only: a request line is limited to ~4 KB by servers and proxies
MAX_GET_TEXT = 1000
MAX_THEMES = 10
MAX_THEME_LENGTH = 100
DEPARTMENT_LENGTH = 3


@dataclass
class MatchRequest:
    text: str
    context: matching.Context
    limit: int


def _department(value) -> str | None:
    if value == "":
        return None
    if not isinstance(value, str) or len(value) > DEPARTMENT_LENGTH:
        raise InputRefused(_l("« department » est un code de département de 3 caractères au plus (93, 2A…)."))
    return value.strip().upper() or None


def _themes(values) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values) or len(values) > MAX_THEMES:
        raise InputRefused(_l("« themes » est une liste de %(n)s thèmes au plus.", n=MAX_THEMES))
    if any(len(v) > MAX_THEME_LENGTH for v in values):
        raise InputRefused(_l("Un thème compte %(n)s caractères au plus.", n=MAX_THEME_LENGTH))
    return [v.strip() for v in values if v.strip()]


def _checked_text(text: str) -> str:
    try:
        return matching.check_text(text)
    except matching.MatchInputError as exc:
        raise InputRefused(str(exc)) from None


def match_from_query() -> MatchRequest:
    """GET /practices/match?text=…: a short text in the query string."""
    text = request.args.get("text")
    if text is None:
        raise InputRefused(_l("Le paramètre « text » est obligatoire."))
    if len(text) > MAX_GET_TEXT:
        raise InputRefused(_l("Un texte de plus de %(n)s caractères s’envoie par POST, dans un corps JSON.", n="1 000"))
    themes = [t for t in request.args.get("themes", "").split(",") if t.strip()]
    return MatchRequest(
        text=_checked_text(text),
        context=matching.Context(
            lever=query_choice("lever", LEVERS),
            themes=_themes(themes),
            territory_kind=query_choice("territory_kind", TERRITORY_KIND_LABELS),
            department=_department(request.args.get("department", "")),
        ),
        limit=query_int("limit", 5, minimum=1, maximum=matching.MAX_LIMIT),
    )


def match_from_body() -> MatchRequest:
    """POST /practices/match with {"text": …, "limit": …, …}: texts up to 5,000 characters."""
    body = load_json_body()
    if not isinstance(body, dict):
        raise InputRefused(_l('Le corps de la requête est un objet JSON, par exemple {"text": "…"}.'))
    text = body.get("text")
    if not isinstance(text, str):
        raise InputRefused(_l("« text » est obligatoire et doit être une chaîne de caractères."))
    if len(text) > matching.MAX_TEXT:
        raise InputRefused(_l("Le texte est trop long : %(max)s caractères au plus.", max="5 000"))
    limit = body.get("limit", 5)
    if isinstance(limit, bool) or not isinstance(limit, int) or parse_int(limit, None, 1, matching.MAX_LIMIT) is None:
        raise InputRefused(_l("« limit » doit être un nombre entier entre 1 et %(max)s.", max=matching.MAX_LIMIT))
    for name, allowed in (("lever", LEVERS), ("territory_kind", TERRITORY_KIND_LABELS)):
        if name in body and (not isinstance(body[name], str) or body[name] not in allowed):
            raise InputRefused(_l("« %(name)s » ne prend pas cette valeur.", name=name))
    return MatchRequest(
        text=_checked_text(text),
        context=matching.Context(
            lever=body.get("lever"),
            themes=_themes(body.get("themes", [])),
            territory_kind=body.get("territory_kind"),
            department=_department(body.get("department", "")),
        ),
        limit=limit,
    )
