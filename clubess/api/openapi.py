"""The OpenAPI document of API v1: what each route takes and answers, checked by schemathesis in the tests.

The bounds come from the code that enforces them (core/inputs.py, api/params.py, practices/matching.py),
so the document and the API cannot drift apart.
"""

from flask import current_app

from clubess.api.params import DEPARTMENT_LENGTH, MAX_GET_TEXT, MAX_THEME_LENGTH, MAX_THEMES
from clubess.core.inputs import MAX_INT, MAX_JSON_BYTES, MAX_PAGE, MAX_URL
from clubess.core.vocabulary import LEVERS
from clubess.members.forms import TERRITORY_KIND_LABELS
from clubess.practices.matching import MAX_LIMIT, MAX_TEXT

KINDS = list(TERRITORY_KIND_LABELS)
DOCUMENT_KINDS = ["support", "etude", "guide", "compte_rendu", "replay", "photo", "autre"]
#: the years the resource centre's `year` filter takes
RESOURCE_YEARS = (1900, 2199)
NULLABLE_STRING = {"type": ["string", "null"]}
#: what a URL path segment may hold (core/inputs.py refuses a path with a control character)
NO_CONTROL = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
#: what the API's texts may hold: no control character but tab, line feed and carriage return
VALUE = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"

#: demo data (`flask demo load`) invents figures for real collectivities: each item says whether it is one
FICTITIOUS_PROPERTIES = {
    "fictitious": {"type": "boolean", "description": "A fictitious example (demo data), not a real one"},
    "fictitious_notice": {
        "type": "string",
        "description": "Only on fictitious items: « Exemple fictif (données de démonstration) », in the asked language",
    },
}


def _query(name: str, type_: str = "string", required: bool = False, description: str = "", **schema) -> dict:
    """A query parameter; `schema` adds constraints (minimum, maximum, default, enum…).

    A text holds no control character but tab and line breaks (the API refuses them); a choice may be
    left empty, which means no filter."""
    if type_ == "string":
        schema = {**schema, "enum": ["", *schema["enum"]]} if "enum" in schema else {"pattern": VALUE, **schema}
    param = {"name": name, "in": "query", "schema": {"type": type_, **schema}}
    if required:
        param["required"] = True
    if description:
        param["description"] = description
    return param


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _list_of(item: dict, **more) -> dict:
    return {
        "type": "object",
        "required": ["results", *more],
        "properties": {"results": {"type": "array", "items": item}, **more},
    }


def _error(description: str) -> dict:
    return {"$ref": f"#/components/responses/{description}"}


def _responses(ok: dict, *errors: str) -> dict:
    """The success, the errors this route gives for its own reasons, and those every route may give."""
    return {"200": ok, **{code: _error(f"E{code}") for code in (*errors, "414", "429")}, "default": _error("Error")}


def _object(required: list[str], **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties}


PRACTICE = _object(
    [
        "ref",
        "title",
        "summary",
        "lever",
        "themes",
        "year",
        "territory_name",
        "territory_kind",
        "department_code",
        "url",
        "fictitious",
    ],
    ref={"type": "string"},
    title={"type": "string"},
    summary={"type": "string"},
    lever={"type": "string", "enum": list(LEVERS)},
    themes={"type": "array", "items": {"type": "string"}},
    year={"type": ["integer", "null"]},
    territory_name={"type": "string"},
    territory_kind={"type": ["string", "null"]},
    department_code=NULLABLE_STRING,
    url={"type": "string", "format": "uri"},
    **FICTITIOUS_PROPERTIES,
)
PRACTICE_DETAIL = {
    "allOf": [
        _ref("Practice"),
        _object(
            ["description", "partners", "links", "contact_role"],
            description={"type": "string", "description": "Markdown"},
            partners={"type": "array", "items": {"type": "string"}},
            links={
                "type": "array",
                "items": _object(["url"], label={"type": "string"}, url={"type": "string"}),
            },
            contact_role={"type": "string"},
        ),
    ]
}
TERRITORY = _object(
    ["id", "code", "kind", "name", "department_code", "department_codes", "population", "label"],
    id={"type": "integer"},
    code={"type": "string"},
    kind={"type": "string", "enum": KINDS},
    name={"type": "string"},
    department_code=NULLABLE_STRING,
    department_codes={
        "type": "array",
        "items": {"type": "string"},
        "description": "every département the territory is found under (two for an EPT spanning two)",
    },
    population={"type": "integer"},
    label={"type": "string"},
)
TERRITORY_LINK = _object(
    ["code", "kind", "name", "url"],
    code={"type": "string"},
    kind={"type": "string", "enum": KINDS},
    name={"type": "string"},
    url={"type": "string", "format": "uri", "description": "The territory's page"},
)
TERRITORY_DETAIL = _object(
    [
        "code",
        "kind",
        "name",
        "population",
        "department_codes",
        "url",
        "parents",
        "children",
        "members",
        "practices",
        "indicators",
    ],
    code={"type": "string", "description": "INSEE code (commune, département, région) or SIREN (groupings)"},
    kind={"type": "string", "enum": KINDS},
    name={"type": "string"},
    population={"type": "integer"},
    department_codes={
        "type": "array",
        "items": {"type": "string"},
        "description": "The départements it lies in (two for a grouping spanning two; none for the région and "
        "the Métropole)",
    },
    url={"type": "string", "format": "uri", "description": "The territory's page"},
    parents={
        "type": "array",
        "items": _ref("TerritoryLink"),
        "description": "The territories it lies in, largest first",
    },
    children={
        "type": "object",
        "additionalProperties": {"type": "integer", "minimum": 0},
        "description": "How many territories of each kind it holds (groupings its page lists, communes it covers)",
    },
    members={
        "type": "integer",
        "minimum": 0,
        "description": "Active member collectivities: itself and those inside it",
    },
    practices={"type": "integer", "minimum": 0, "description": "Published practices run there or inside it"},
    indicators={
        "type": "array",
        "description": "The latest figure of each ESS indicator, as the territory's page shows it: its own, or "
        "summed from the communes it covers (counts only), or a share recomputed from two counts",
        "items": _object(
            ["indicator", "label", "year", "value", "unit", "origin", "source", "fictitious"],
            indicator={"type": "string"},
            label={"type": "string"},
            year={"type": "integer"},
            value={"type": "number"},
            unit={"type": "string", "enum": ["count", "percent"]},
            origin={"type": "string", "enum": ["imported", "summed", "computed"]},
            source={"type": "string"},
            **FICTITIOUS_PROPERTIES,
        ),
    },
)
MEETING = _object(
    [
        "id",
        "title",
        "kind",
        "format",
        "status",
        "starts_at",
        "ends_at",
        "venue",
        "address",
        "department_code",
        "audience",
        "url",
        "ics",
        "fictitious",
    ],
    id={"type": "integer"},
    title={"type": "string"},
    kind={
        "type": "string",
        "enum": ["rencontre", "atelier_thematique", "atelier_territorial", "webinaire", "evenement"],
    },
    format={"type": "string", "enum": ["presentiel", "en_ligne", "hybride"]},
    status={"type": "string", "enum": ["published", "held", "cancelled"]},
    starts_at={"type": "string", "format": "date-time"},
    ends_at={"type": "string", "format": "date-time"},
    venue={"type": "string"},
    address={"type": "string"},
    department_code=NULLABLE_STRING,
    audience={"type": "string", "enum": ["members", "public"]},
    url={"type": "string", "format": "uri"},
    ics={"type": "string", "format": "uri"},
    **FICTITIOUS_PROPERTIES,
)
MATCH = _object(
    ["ref", "kind", "title", "score", "reasons", "fictitious"],
    ref={"type": "string"},
    kind={"type": "string", "enum": ["practice", "solution"]},
    title={"type": "string"},
    score={"type": "number"},
    reasons={"type": "array", "items": {"type": "string"}},
    **FICTITIOUS_PROPERTIES,
)
RESOURCE = _object(
    ["id", "title", "description", "kind", "lever", "year", "meeting", "url", "file_url", "video_url", "fictitious"],
    id={"type": "integer"},
    title={"type": "string"},
    description={"type": "string"},
    kind={"type": "string", "enum": DOCUMENT_KINDS},
    lever={"type": ["string", "null"], "enum": [*LEVERS, None]},
    year={"type": ["integer", "null"], "description": "The meeting's year, or the study's or guide's"},
    meeting={
        "oneOf": [
            {"type": "null"},
            _object(["id", "title", "url"], id={"type": "integer"}, title={"type": "string"}, url={"type": "string"}),
        ]
    },
    url={"type": "string", "format": "uri", "description": "The document's page"},
    file_url={"type": ["string", "null"], "description": "The file (null for a replay)"},
    video_url={"type": ["string", "null"], "description": "A replay's video (null for a file)"},
    filename={"type": ["string", "null"]},
    content_type={"type": ["string", "null"]},
    size={"type": ["integer", "null"], "description": "Bytes"},
    **FICTITIOUS_PROPERTIES,
)
ERROR = _object(
    ["error"],
    error=_object(
        ["status", "title", "message"],
        status={"type": "integer"},
        title={"type": "string"},
        message={"type": "string"},
    ),
)
MATCH_BODY = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {
            "type": "string",
            "pattern": VALUE,
            "minLength": 1,
            "maxLength": MAX_TEXT,
            "description": "The problem, as people write it (up to 5,000 characters).",
        },
        "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 5},
        "lever": {"type": "string", "enum": list(LEVERS)},
        "themes": {
            "type": "array",
            "maxItems": MAX_THEMES,
            "items": {"type": "string", "maxLength": MAX_THEME_LENGTH, "pattern": VALUE},
        },
        "territory_kind": {"type": "string", "enum": KINDS},
        "department": {"type": "string", "maxLength": DEPARTMENT_LENGTH, "pattern": VALUE, "description": "93, 2A…"},
    },
}
MATCH_DESCRIPTION = (
    "No login needed; 60 requests per minute per address. Meaning (multilingual sentence embeddings), words "
    "(French analysis, thesaurus, typo correction) and the optional structured signals are summed into one "
    "score. A blank text, or one without a meaningful word, is refused with a 400."
)


def _paths() -> dict:
    return {
        "/territories": {
            "get": {
                "summary": "Search the territories of the region (names, INSEE/SIREN codes, postal codes)",
                "parameters": [
                    _query(
                        "q",
                        required=True,
                        description="Accent-, case- and hyphen-insensitive; 'st' matches 'saint'.",
                        minLength=2,
                    ),
                    _query("limit", "integer", minimum=1, maximum=50, default=10),
                ],
                "responses": _responses(_json(_list_of(_ref("Territory")), "Best matches first"), "400"),
            }
        },
        "/territories/{code}": {
            "get": {
                "summary": "One territory: its public fields, parents, what it holds, its latest ESS figures",
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "description": "INSEE code of a commune or département, SIREN of a grouping, the région's "
                        "code (11). No control character (a URL holding one is refused)",
                        "schema": {"type": "string", "maxLength": 20, "pattern": NO_CONTROL},
                    }
                ],
                "responses": _responses(_json(_ref("TerritoryDetail"), "The territory"), "400", "404"),
            }
        },
        "/meetings": {
            "get": {
                "summary": "Published, held and cancelled meetings, by start date",
                "responses": _responses(_json(_list_of(_ref("Meeting")), "Meetings")),
            }
        },
        "/practices": {
            "get": {
                "summary": "Search the published good practices (French analysis, thesaurus, typo tolerance)",
                "parameters": [
                    _query("q"),
                    _query("lever", enum=list(LEVERS)),
                    _query("theme"),
                    _query("territory_kind", enum=KINDS),
                    _query("page", "integer", minimum=1, maximum=MAX_PAGE, default=1),
                ],
                "responses": _responses(
                    _json(
                        _list_of(
                            _ref("Practice"),
                            total={"type": "integer", "minimum": 0},
                            page={"type": "integer", "minimum": 1},
                            pages={"type": "integer", "minimum": 0},
                        ),
                        "Best first, 20 a page",
                    ),
                    "400",
                ),
            }
        },
        "/practices/match": {
            "get": {
                "summary": "The published practices that answer a short problem, with reasons (long texts: POST)",
                "description": MATCH_DESCRIPTION + f" Texts over {MAX_GET_TEXT:,} characters go by POST.",
                "parameters": [
                    _query(
                        "text",
                        required=True,
                        description="The problem, as people write it",
                        minLength=1,
                        maxLength=MAX_GET_TEXT,
                    ),
                    _query("limit", "integer", minimum=1, maximum=MAX_LIMIT, default=5),
                    _query("lever", enum=list(LEVERS)),
                    _query("themes", description="Comma-separated, at most 10"),
                    _query("territory_kind", enum=KINDS),
                    _query("department", maxLength=DEPARTMENT_LENGTH),
                ],
                "responses": _responses(_json(_list_of(_ref("Match")), "Best first"), "400"),
            },
            "post": {
                "summary": "The published practices that answer a problem of up to 5,000 characters, with reasons",
                "description": MATCH_DESCRIPTION,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("MatchRequest")}},
                },
                "responses": _responses(_json(_list_of(_ref("Match")), "Best first"), "400", "413"),
            },
        },
        "/resources": {
            "get": {
                "summary": "Search the resource centre's public documents (meetings' slides, studies, guides, replays)",
                "description": "The same French engine as the practices (analysis, thesaurus, typo tolerance) over "
                "titles, descriptions, meetings and the text of PDFs. Members' and registrants' documents are "
                "not listed.",
                "parameters": [
                    _query("q"),
                    _query("kind", enum=DOCUMENT_KINDS),
                    _query("lever", enum=list(LEVERS)),
                    _query("year", "integer", minimum=RESOURCE_YEARS[0], maximum=RESOURCE_YEARS[1]),
                    _query("meeting", "integer", minimum=1, maximum=MAX_INT, description="A meeting's id"),
                    _query("page", "integer", minimum=1, maximum=MAX_PAGE, default=1),
                ],
                "responses": _responses(
                    _json(
                        _list_of(
                            _ref("Resource"),
                            total={"type": "integer", "minimum": 0},
                            page={"type": "integer", "minimum": 1},
                            pages={"type": "integer", "minimum": 0},
                        ),
                        "Best first (newest first without q), 20 a page",
                    ),
                    "400",
                ),
            }
        },
        "/practices/{ref}": {
            "get": {
                "summary": "One published practice",
                "parameters": [
                    {
                        "name": "ref",
                        "in": "path",
                        "required": True,
                        "description": "No control character (a URL holding one is refused)",
                        "schema": {"type": "string", "maxLength": 40, "pattern": NO_CONTROL},
                    }
                ],
                "responses": _responses(_json(_ref("PracticeDetail"), "The practice"), "400", "404"),
            }
        },
    }


ERROR_RESPONSES = {
    "E400": "Bad parameter or body: the message says which and why",
    "E404": "Unknown (a territory's code, a practice's reference), draft or archived",
    "E413": f"Body larger than {MAX_JSON_BYTES // 1024} KB",
    "E414": f"URL longer than {MAX_URL:,} bytes: send long texts by POST",
    "E429": "Too many requests from this address; wait a minute",
    "Error": "Any other error (405, 500…), with the same body",
}


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{current_app.config['CLUB_NAME']} — API",
            "version": "1.3.0",
            "description": "Read-only JSON API of the club; no login. Every answer is JSON, errors too: "
            '{"error": {"status", "title", "message"}}, the message in French. Rate limits are per address.',
        },
        "servers": [{"url": current_app.config["BASE_URL"].rstrip("/") + "/api/v1"}],
        "paths": _paths(),
        "components": {
            "schemas": {
                "Practice": PRACTICE,
                "PracticeDetail": PRACTICE_DETAIL,
                "Territory": TERRITORY,
                "TerritoryLink": TERRITORY_LINK,
                "TerritoryDetail": TERRITORY_DETAIL,
                "Meeting": MEETING,
                "Match": MATCH,
                "MatchRequest": MATCH_BODY,
                "Resource": RESOURCE,
                "Error": ERROR,
            },
            "responses": {name: _json(_ref("Error"), text) for name, text in ERROR_RESPONSES.items()},
        },
    }
