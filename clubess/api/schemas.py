"""The schemas of the API v1's OpenAPI document (api/openapi.py): the objects each route answers, the bodies it
takes, and the small builders both files use. The bounds come from the code that enforces them."""

from clubess.api.params import DEPARTMENT_LENGTH, MAX_THEME_LENGTH, MAX_THEMES
from clubess.core.vocabulary import LEVERS
from clubess.members.forms import TERRITORY_KIND_LABELS
from clubess.practices.matching import MAX_LIMIT, MAX_TEXT

KINDS = list(TERRITORY_KIND_LABELS)
DOCUMENT_KINDS = ["support", "etude", "guide", "compte_rendu", "replay", "photo", "autre"]
#: the years the resource centre's `year` filter takes
RESOURCE_YEARS = (1900, 2199)
NULLABLE_STRING = {"type": ["string", "null"]}
#: a day, AAAA-MM-JJ (an impossible one, such as 2026-02-30, gets a 400)
DATE = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"
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


def query_param(name: str, type_: str = "string", required: bool = False, description: str = "", **schema) -> dict:
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


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def list_of(item: dict, **more) -> dict:
    return {
        "type": "object",
        "required": ["results", *more],
        "properties": {"results": {"type": "array", "items": item}, **more},
    }


def error_response(description: str) -> dict:
    return {"$ref": f"#/components/responses/{description}"}


def responses_of(ok: dict, *errors: str) -> dict:
    """The success, the errors this route gives for its own reasons, and those every route may give."""
    return {
        "200": ok,
        **{code: error_response(f"E{code}") for code in (*errors, "414", "429")},
        "default": error_response("Error"),
    }


def object_schema(required: list[str], **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties}


PRACTICE = object_schema(
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
        ref("Practice"),
        object_schema(
            ["description", "partners", "links"],
            description={"type": "string", "description": "Markdown"},
            partners={"type": "array", "items": {"type": "string"}},
            links={
                "type": "array",
                "items": object_schema(["url"], label={"type": "string"}, url={"type": "string"}),
            },
            contact_role={
                "type": "string",
                "description": "Only for a signed-in member of the club or coordinator (the public portrait has none)",
            },
        ),
    ]
}
TERRITORY = object_schema(
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
TERRITORY_LINK = object_schema(
    ["code", "kind", "name", "url"],
    code={"type": "string"},
    kind={"type": "string", "enum": KINDS},
    name={"type": "string"},
    url={"type": "string", "format": "uri", "description": "The territory's page"},
)
TERRITORY_DETAIL = object_schema(
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
        "items": ref("TerritoryLink"),
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
        "items": object_schema(
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
MEETING = object_schema(
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
MATCH = object_schema(
    ["ref", "kind", "title", "score", "reasons", "fictitious"],
    ref={"type": "string"},
    kind={
        "type": "string",
        "enum": ["practice", "solution"],
        "description": "practice: a collectivity's good practice (its ref opens /practices/{ref}); "
        "solution: an ESS actor's solution (its page is /acteurs/solutions/{id} on the site)",
    },
    title={"type": "string"},
    score={"type": "number"},
    reasons={"type": "array", "items": {"type": "string"}},
    **FICTITIOUS_PROPERTIES,
)
RESOURCE = object_schema(
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
            object_schema(
                ["id", "title", "url"], id={"type": "integer"}, title={"type": "string"}, url={"type": "string"}
            ),
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
ERROR = object_schema(
    ["error"],
    error=object_schema(
        ["status", "title", "message"],
        status={"type": "integer"},
        title={"type": "string"},
        message={"type": "string"},
    ),
)
MATCH_ANSWERED = {
    "type": "boolean",
    "description": "Whether the best result really answers the problem (a decision calibrated on labelled "
    "problems, from the best score and its margin over the second). false: nothing answers it yet, the "
    "results are only the closest leads.",
}
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
    "score. A blank text, or one without a meaningful word, is refused with a 400. Results mix the collectivities' "
    "practices and the ESS actors' solutions, each labelled by its `kind`."
)
