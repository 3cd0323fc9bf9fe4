"""Hostile input is parsed here, once: control characters, integers, JSON bodies.

Every request passes `guard_request` (registered first by `register_input_guard`). Control
characters are NUL, the other C0 and C1 controls, DEL and lone surrogates; nobody types them,
PostgreSQL refuses NUL in text, and they have nothing to do in stored text or in a mail header.

- A URL path holding one (tab and line breaks included) is refused with a clear 400: JSON under
  /api/, a page elsewhere.
- The pages' query strings and form fields are cleaned instead, keys and values: the controls are
  removed, tab, line feed and carriage return stay, and a vertical tab, form feed or NEL pasted from a
  word processor becomes a line feed. So a form always comes back with what was typed, and every view,
  form and service behind sees clean text. `BaseForm` then folds line breaks into spaces in
  single-line fields.
- The API refuses them (400, JSON) in its query strings and JSON bodies, as its OpenAPI document
  says: a program can be told, and a text's length is the length it sent.
- JSON bodies are parsed here once: larger than 256 KB is a 413, nested deeper than 20 or malformed
  a 400. API URLs longer than a proxy would pass (4,000 bytes) get a JSON 414.

Integers come from `parse_int` (ASCII digits only, bounded: `int()` also reads "٣", " 7 " or
"1_000", and `str.isdigit()` accepts "²", which `int()` refuses) and its request helpers.
"""

import json
import re
from datetime import date

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, RequestURITooLarge
from werkzeug.routing import IntegerConverter

#: the largest value of a PostgreSQL `integer` column (and of every id)
MAX_INT = 2**31 - 1
#: a list page further than this is clamped (the offset stays far below what a database takes)
MAX_PAGE = 10_000
#: JSON bodies nested deeper than this are refused (Python's parser would recurse until it fails)
MAX_JSON_DEPTH = 20
#: JSON bodies (the API's) larger than this are refused with a 413
MAX_JSON_BYTES = 256 * 1024
#: API URLs longer than this are refused with a JSON 414, as gunicorn refuses request lines over 4094 bytes
MAX_URL = 4000

#: C0 controls but tab, LF and CR; DEL; C1 controls; lone surrogates
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: every control, tab and line breaks included (paths, field names, single-line fields)
ANY_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
#: controls a word processor leaves in pasted text for a line or page break
BREAKS_RE = re.compile("[\x0b\x0c\x85]")
INT_RE = re.compile(r"-?[0-9]{1,10}")

CONTROL_MESSAGE = _l(
    "L’adresse demandée contient des caractères de contrôle (invisibles, comme le caractère nul) qui ne "
    "sont pas acceptés. Retirez-les de l’adresse et réessayez."
)
API_CONTROL_MESSAGE = _l(
    "Un paramètre ou le corps de la requête contient des caractères de contrôle (invisibles, comme le "
    "caractère nul) : retirez-les et réessayez."
)
JSON_MESSAGE = _l("Le corps de la requête n’est pas un document JSON valide.")


def has_control(text: str, multiline: bool = True) -> bool:
    return bool((CONTROL_RE if multiline else ANY_CONTROL_RE).search(text))


def clean_text(text: str) -> str:
    """Text without control characters; the breaks a word processor pastes become line feeds."""
    return CONTROL_RE.sub("", BREAKS_RE.sub("\n", text))


def single_line(text: str) -> str:
    """Line breaks and tabs become spaces: a name, a title or a mail subject holds one line."""
    return re.sub(r"[\t\r\n]+", " ", clean_text(text))


def parse_int(value, default: int | None = None, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """`value` as an int when it is written with ASCII digits (a leading minus if `minimum` < 0) and
    within [minimum, maximum]; else `default`."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and INT_RE.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return default
    return number if minimum <= number <= maximum else default


def coerce_int(value) -> int:
    """For `SelectField(coerce=...)`: like int(), but strict and bounded (ValueError otherwise)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        number = parse_int(value, minimum=-MAX_INT)
    if number is None or not -MAX_INT <= number <= MAX_INT:
        raise ValueError("not an integer")
    return number


def int_arg(name: str, default: int | None = None, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """A query-string integer: `default` when absent, malformed or out of bounds."""
    return parse_int(request.args.get(name), default, minimum, maximum)


def page_arg(name: str = "page") -> int:
    """A page number from the query string: 1 when absent or malformed, clamped to [1, MAX_PAGE]."""
    raw = request.args.get(name, "")
    number = parse_int(raw, None, minimum=-MAX_INT, maximum=MAX_INT)
    if number is None:
        number = MAX_PAGE if re.fullmatch(r"[0-9]+", raw.strip()) else 1  # more digits than any page
    return min(max(number, 1), MAX_PAGE)


class StrictIntegerConverter(IntegerConverter):
    """`<int:…>` in routes: ASCII digits only, at most what an id column holds (404 otherwise)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=False)


# --- the request guard --------------------------------------------------------------------------


class InputRefused(BadRequest):
    """A 400 whose message says what was wrong (the error handlers show it, as a page or as JSON)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def query_int(name: str, default: int, minimum: int = 0, maximum: int = MAX_INT) -> int:
    """An integer query parameter of the API: `default` when absent, a 400 saying why when malformed (or empty)."""
    raw = request.args.get(name)
    if raw is None:
        return default
    number = parse_int(raw, None, minimum, maximum)
    if number is None or raw != raw.strip():
        raise InputRefused(
            _l("« %(name)s » doit être un nombre entier entre %(min)s et %(max)s.", name=name, min=minimum, max=maximum)
        )
    return number


def query_date(name: str, earliest: date, latest: date, args=None) -> date | None:
    """A day (AAAA-MM-JJ, ASCII digits only) in a query parameter: None when absent or empty, a 400 saying why
    when malformed, impossible (2026-02-30) or outside [earliest, latest]."""
    value = ((request.args if args is None else args).get(name) or "").strip()
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value) if len(value) == 10 and value.isascii() else None
    except ValueError:
        parsed = None
    if parsed is None or not earliest <= parsed <= latest:
        raise InputRefused(
            _l(
                "« %(name)s » doit être une date AAAA-MM-JJ entre %(first)s et %(last)s.",
                name=name,
                first=earliest.isoformat(),
                last=latest.isoformat(),
            )
        )
    return parsed


def query_choice(name: str, choices) -> str | None:
    """A query parameter of the API taking one of `choices`: None when absent, a 400 when unknown."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in choices:
        raise InputRefused(_l("« %(name)s » ne prend pas la valeur « %(value)s ».", name=name, value=raw[:40]))
    return raw


def _json_has_control(value, depth: int = 0) -> bool:
    """True when a string of the JSON value (a key or a value) holds a control character."""
    if depth > MAX_JSON_DEPTH:
        raise InputRefused(_l("Le document JSON est imbriqué trop profondément."))
    if isinstance(value, str):
        return has_control(value)
    if isinstance(value, dict):
        return any(has_control(k) or _json_has_control(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_has_control(v, depth + 1) for v in value)
    return False


def load_json_body():
    """The request's JSON body, parsed once and safely (size, depth, controls); InputRefused when unusable."""
    if "clubess.json" in request.environ:
        return request.environ["clubess.json"]
    if (request.content_length or 0) > MAX_JSON_BYTES:
        raise RequestEntityTooLarge()
    raw = request.get_data(cache=True)
    if len(raw) > MAX_JSON_BYTES:
        raise RequestEntityTooLarge()
    try:
        text = raw.decode("utf-8-sig")
        if text.count("[") + text.count("{") > MAX_JSON_DEPTH and json_depth(text) > MAX_JSON_DEPTH:
            raise InputRefused(_l("Le document JSON est imbriqué trop profondément."))
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InputRefused(JSON_MESSAGE) from None
    if _json_has_control(data):
        raise InputRefused(API_CONTROL_MESSAGE)
    request.environ["clubess.json"] = data
    return data


def json_depth(text: str) -> int:
    """How deep brackets nest in a JSON text (strings skipped), without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _cleaned(multidict):
    """The same parameters without control characters (None when there is none: the usual case)."""
    items = list(multidict.items(multi=True))
    if not any(has_control(k) or has_control(v) for k, v in items):
        return None
    return request.parameter_storage_class([(clean_text(k), clean_text(v)) for k, v in items])


def guard_request() -> None:
    """Runs before every view: see the module's docstring."""
    if has_control(request.path, multiline=False):
        request.path = ANY_CONTROL_RE.sub("", request.path)  # the error page links back to it
        raise InputRefused(CONTROL_MESSAGE)
    api = request.path.startswith("/api/")
    if api and len(request.environ.get("PATH_INFO", "")) + len(request.query_string) > MAX_URL:
        raise RequestURITooLarge()
    if (args := _cleaned(request.args)) is not None:
        if api:
            raise InputRefused(API_CONTROL_MESSAGE)
        request.args = args
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if (form := _cleaned(request.form)) is not None:
            request.form = form
    elif request.is_json:
        load_json_body()


def register_input_guard(app) -> None:
    """Strict `<int:…>` routes (before the blueprints are registered) and the request guard."""
    app.url_map.converters["int"] = StrictIntegerConverter
    app.before_request_funcs.setdefault(None, []).insert(0, guard_request)
