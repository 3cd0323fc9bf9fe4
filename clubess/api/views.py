"""API v1 routes."""

from flask import Blueprint, jsonify

from clubess.api.openapi import openapi_document
from clubess.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # read-only JSON, no cookie-authenticated writes


@bp.route("/openapi.json")
def openapi():
    response = jsonify(openapi_document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
