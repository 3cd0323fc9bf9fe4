"""The OpenAPI document of API v1; each domain adds its paths here."""

from flask import current_app

from clubess.core.vocabulary import LEVERS

#: demo data (`flask demo load`) invents figures for real collectivities: each item says whether it is one
FICTITIOUS_PROPERTIES = {
    "fictitious": {"type": "boolean", "description": "A fictitious example (demo data), not a real one"},
    "fictitious_notice": {
        "type": "string",
        "description": "Only on fictitious items: « Exemple fictif (données de démonstration) », in the asked language",
    },
}


def _query(name: str, type_: str = "string", required: bool = False, description: str = "", **schema) -> dict:
    """A query parameter; `schema` adds constraints (minimum, maximum, default, enum…)."""
    param = {"name": name, "in": "query", "schema": {"type": type_, **schema}}
    if required:
        param["required"] = True
    if description:
        param["description"] = description
    return param


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{current_app.config['CLUB_NAME']} — API",
            "version": "1.0.0",
            "description": "Read-only JSON API of the club. Errors are JSON: "
            '{"error": {"status", "title", "message"}}.',
        },
        "servers": [{"url": current_app.config["BASE_URL"].rstrip("/") + "/api/v1"}],
        "paths": {
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
                    "responses": {
                        "200": {
                            "description": "Best matches first",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Territory"},
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "400": _error("Query too short"),
                        "429": {"description": "Rate limited"},
                    },
                }
            },
            "/practices": {
                "get": {
                    "summary": "Search the published good practices (French analysis, thesaurus, typo tolerance)",
                    "parameters": [
                        _query("q"),
                        _query("lever", enum=list(LEVERS)),
                        _query("theme"),
                        _query("territory_kind"),
                        _query("page", "integer", minimum=1, default=1),
                    ],
                    "responses": {
                        "200": {
                            "description": "Best first",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "total": {"type": "integer"},
                                            "page": {"type": "integer"},
                                            "pages": {"type": "integer"},
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Practice"},
                                            },
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/practices/match": {
                "get": {
                    "summary": "The published practices that answer a problem written in everyday words, with reasons",
                    "description": "No login needed; 60 requests per minute per address. Meaning (multilingual "
                    "sentence embeddings), words (French analysis, thesaurus, typo correction) and the optional "
                    "structured signals are summed into one score.",
                    "parameters": [
                        _query("text", required=True, description="The problem, as people write it", maxLength=5000),
                        _query("limit", "integer", minimum=1, maximum=50, default=5),
                        _query("lever", enum=list(LEVERS)),
                        _query("themes", description="Comma-separated"),
                        _query("territory_kind"),
                        _query("department"),
                    ],
                    "responses": {
                        "200": {
                            "description": "Best first",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "results": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "properties": {
                                                        "ref": {"type": "string"},
                                                        "title": {"type": "string"},
                                                        "score": {"type": "number"},
                                                        "reasons": {"type": "array", "items": {"type": "string"}},
                                                        **FICTITIOUS_PROPERTIES,
                                                    },
                                                },
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "400": _error("Empty, too long or meaningless text; limit out of range"),
                        "429": {"description": "Rate limit exceeded"},
                    },
                }
            },
            "/practices/{ref}": {
                "get": {
                    "summary": "One published practice",
                    "parameters": [{"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "The practice",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Practice"}}},
                        },
                        "404": _error("Unknown, draft or archived"),
                    },
                }
            },
            "/meetings": {
                "get": {
                    "summary": "Published, held and cancelled meetings, by start date",
                    "responses": {
                        "200": {
                            "description": "Meetings",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Meeting"},
                                            }
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Practice": {
                    "type": "object",
                    "properties": {
                        "ref": {"type": "string"},
                        "title": {"type": "string"},
                        "summary": {"type": "string"},
                        "lever": {"type": "string"},
                        "themes": {"type": "array", "items": {"type": "string"}},
                        "year": {"type": ["integer", "null"]},
                        "territory_name": {"type": "string"},
                        "territory_kind": {"type": ["string", "null"]},
                        "department_code": {"type": ["string", "null"]},
                        "url": {"type": "string"},
                        "description": {"type": "string"},
                        "partners": {"type": "array", "items": {"type": "string"}},
                        "contact_role": {"type": "string"},
                        **FICTITIOUS_PROPERTIES,
                    },
                },
                "Territory": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "code": {"type": "string"},
                        "kind": {
                            "type": "string",
                            "enum": ["region", "departement", "metropole", "ept", "epci", "commune"],
                        },
                        "name": {"type": "string"},
                        "department_code": {"type": ["string", "null"]},
                        "population": {"type": "integer"},
                        "label": {"type": "string"},
                    },
                },
                "Meeting": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "kind": {"type": "string"},
                        "format": {"type": "string", "enum": ["presentiel", "en_ligne", "hybride"]},
                        "status": {"type": "string", "enum": ["published", "held", "cancelled"]},
                        "starts_at": {"type": "string", "format": "date-time"},
                        "ends_at": {"type": "string", "format": "date-time"},
                        "venue": {"type": "string"},
                        "address": {"type": "string"},
                        "department_code": {"type": ["string", "null"]},
                        "audience": {"type": "string"},
                        "url": {"type": "string"},
                        "ics": {"type": "string"},
                        **FICTITIOUS_PROPERTIES,
                    },
                },
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "status": {"type": "integer"},
                                "title": {"type": "string"},
                                "message": {"type": "string"},
                            },
                            "required": ["status", "message"],
                        }
                    },
                },
            }
        },
    }
