"""Probes and metrics for operators: /readyz (JSON, 200 or 503)."""

from flask import Blueprint, jsonify

from clubess.ops.health import readiness

bp = Blueprint("ops", __name__)


@bp.route("/readyz")
def ready():
    """Readiness: 200 when the database, Redis (if used) and the schema are ready, else 503; always JSON."""
    ok, checks = readiness()
    response = jsonify(status="ready" if ok else "unavailable", checks=checks)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
