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
        "paths": {},
        "components": {
            "schemas": {
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
                }
            }
        },
    }
