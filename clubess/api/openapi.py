"""The OpenAPI document of API v1; each domain adds its paths here."""

from flask import current_app


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
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "minLength": 2},
                            "description": "Accent-, case- and hyphen-insensitive; 'st' matches 'saint'.",
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
                        },
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
                        "400": {
                            "description": "Query too short",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                        "429": {"description": "Rate limited"},
                    },
                }
            },
            "/practices": {
                "get": {
                    "summary": "Search the published good practices (French analysis, thesaurus, typo tolerance)",
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        {
                            "name": "lever",
                            "in": "query",
                            "schema": {
                                "type": "string",
                                "enum": [
                                    "ecosysteme_financement",
                                    "soutien_structures",
                                    "foncier_tiers_lieux",
                                    "rd_sociale_cooperation",
                                    "achats_responsables",
                                    "animation_sensibilisation",
                                ],
                            },
                        },
                        {"name": "theme", "in": "query", "schema": {"type": "string"}},
                        {"name": "territory_kind", "in": "query", "schema": {"type": "string"}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
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
                        {
                            "name": "text",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "maxLength": 5000},
                            "description": "The problem, as people write it",
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5},
                        },
                        {"name": "lever", "in": "query", "schema": {"type": "string"}},
                        {
                            "name": "themes",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": "Comma-separated",
                        },
                        {"name": "territory_kind", "in": "query", "schema": {"type": "string"}},
                        {"name": "department", "in": "query", "schema": {"type": "string"}},
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
                                                    },
                                                },
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "400": {
                            "description": "Empty, too long or meaningless text; limit out of range",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
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
                        "404": {
                            "description": "Unknown, draft or archived",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
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
