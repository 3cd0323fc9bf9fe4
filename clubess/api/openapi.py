"""The OpenAPI document of API v1: what each route takes and answers, checked by schemathesis in the tests.

The bounds come from the code that enforces them (core/inputs.py, api/params.py, practices/matching.py),
so the document and the API cannot drift apart. The objects' schemas are in api/schemas.py.
"""

from flask import current_app

from clubess.api.params import DEPARTMENT_LENGTH, MAX_GET_TEXT
from clubess.api.schemas import (
    DATE,
    DOCUMENT_KINDS,
    ERROR,
    KINDS,
    MATCH,
    MATCH_ANSWERED,
    MATCH_BODY,
    MATCH_DESCRIPTION,
    MEETING,
    NO_CONTROL,
    NULLABLE_STRING,
    PRACTICE,
    PRACTICE_DETAIL,
    RESOURCE,
    RESOURCE_YEARS,
    TERRITORY,
    TERRITORY_DETAIL,
    TERRITORY_LINK,
    json_content,
    list_of,
    query_param,
    ref,
    responses_of,
)
from clubess.core.inputs import MAX_INT, MAX_JSON_BYTES, MAX_PAGE, MAX_URL
from clubess.core.vocabulary import LEVERS
from clubess.practices.matching import MAX_LIMIT


def _paths() -> dict:
    return {
        "/territories": {
            "get": {
                "summary": "Search the territories of the region (names, INSEE/SIREN codes, postal codes)",
                "parameters": [
                    query_param(
                        "q",
                        required=True,
                        description="Accent-, case- and hyphen-insensitive; 'st' matches 'saint'.",
                        minLength=2,
                    ),
                    query_param("limit", "integer", minimum=1, maximum=50, default=10),
                ],
                "responses": responses_of(json_content(list_of(ref("Territory")), "Best matches first"), "400"),
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
                "responses": responses_of(json_content(ref("TerritoryDetail"), "The territory"), "400", "404"),
            }
        },
        "/meetings": {
            "get": {
                "summary": "Published, held and cancelled meetings of a window of time, by start date",
                "description": (
                    "By default the last twelve months and everything to come. The answer carries an ETag and "
                    "Last-Modified: a client sending If-None-Match or If-Modified-Since gets 304 until a meeting, "
                    "its agenda or its speakers change. The links to the other pages are in the body and in the "
                    "Link header."
                ),
                "parameters": [
                    query_param("from", description="First day (AAAA-MM-JJ, 2000–2100)", pattern=DATE),
                    query_param("to", description="Last day (AAAA-MM-JJ), on or after from", pattern=DATE),
                    query_param("page", "integer", minimum=1, maximum=MAX_PAGE, default=1),
                    query_param("limit", "integer", minimum=1, maximum=200, default=50),
                ],
                "responses": {
                    **responses_of(
                        json_content(
                            list_of(
                                ref("Meeting"),
                                total={"type": "integer", "minimum": 0},
                                page={"type": "integer", "minimum": 1},
                                pages={"type": "integer", "minimum": 1},
                                limit={"type": "integer", "minimum": 1},
                                **{"from": NULLABLE_STRING, "to": NULLABLE_STRING},
                                links={
                                    "type": "object",
                                    "required": ["self", "first", "last"],
                                    "properties": {
                                        rel: {"type": "string", "format": "uri"}
                                        for rel in ("self", "first", "last", "prev", "next")
                                    },
                                },
                            ),
                            "Meetings, 50 a page by default",
                        ),
                        "400",
                    ),
                    "304": {"description": "Not modified since the client's copy (ETag or date)"},
                },
            }
        },
        "/practices": {
            "get": {
                "summary": "Search the published good practices (French analysis, thesaurus, typo tolerance)",
                "parameters": [
                    query_param("q"),
                    query_param("lever", enum=list(LEVERS)),
                    query_param("theme"),
                    query_param("territory_kind", enum=KINDS),
                    query_param("page", "integer", minimum=1, maximum=MAX_PAGE, default=1),
                ],
                "responses": responses_of(
                    json_content(
                        list_of(
                            ref("Practice"),
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
                "summary": "Practices and ESS solutions answering a short problem, with reasons (long texts: POST)",
                "description": MATCH_DESCRIPTION + f" Texts over {MAX_GET_TEXT:,} characters go by POST.",
                "parameters": [
                    query_param(
                        "text",
                        required=True,
                        description="The problem, as people write it",
                        minLength=1,
                        maxLength=MAX_GET_TEXT,
                    ),
                    query_param("limit", "integer", minimum=1, maximum=MAX_LIMIT, default=5),
                    query_param("lever", enum=list(LEVERS)),
                    query_param("themes", description="Comma-separated, at most 10"),
                    query_param("territory_kind", enum=KINDS),
                    query_param("department", maxLength=DEPARTMENT_LENGTH),
                ],
                "responses": responses_of(
                    json_content(list_of(ref("Match"), answered=MATCH_ANSWERED), "Best first"), "400"
                ),
            },
            "post": {
                "summary": "Practices and ESS solutions answering a problem of up to 5,000 characters, with reasons",
                "description": MATCH_DESCRIPTION,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("MatchRequest")}},
                },
                "responses": responses_of(
                    json_content(list_of(ref("Match"), answered=MATCH_ANSWERED), "Best first"), "400", "413"
                ),
            },
        },
        "/resources": {
            "get": {
                "summary": "Search the resource centre's public documents (meetings' slides, studies, guides, replays)",
                "description": "The same French engine as the practices (analysis, thesaurus, typo tolerance) over "
                "titles, descriptions, meetings and the text of PDFs. Members' and registrants' documents are "
                "not listed.",
                "parameters": [
                    query_param("q"),
                    query_param("kind", enum=DOCUMENT_KINDS),
                    query_param("lever", enum=list(LEVERS)),
                    query_param("year", "integer", minimum=RESOURCE_YEARS[0], maximum=RESOURCE_YEARS[1]),
                    query_param("meeting", "integer", minimum=1, maximum=MAX_INT, description="A meeting's id"),
                    query_param("page", "integer", minimum=1, maximum=MAX_PAGE, default=1),
                ],
                "responses": responses_of(
                    json_content(
                        list_of(
                            ref("Resource"),
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
                "summary": "One published practice: its public portrait (the contact for members only)",
                "parameters": [
                    {
                        "name": "ref",
                        "in": "path",
                        "required": True,
                        "description": "No control character (a URL holding one is refused)",
                        "schema": {"type": "string", "maxLength": 40, "pattern": NO_CONTROL},
                    }
                ],
                "responses": responses_of(json_content(ref("PracticeDetail"), "The practice"), "400", "404"),
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
            "responses": {name: json_content(ref("Error"), text) for name, text in ERROR_RESPONSES.items()},
        },
    }
