"""Probes and metrics for operators: /readyz (JSON, 200 or 503)."""

from flask import Blueprint, jsonify
from prometheus_client import CONTENT_TYPE_LATEST as CONTENT_TYPE

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


@bp.route("/metrics")
def metrics():
    """Prometheus text exposition, for the addresses of METRICS_ALLOW only (403 for anyone else)."""
    from flask import current_app

    from clubess.ops.metrics import client_allowed, exposition

    if not client_allowed(current_app):
        return "Forbidden\n", 403, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
    return exposition(), 200, {"Content-Type": CONTENT_TYPE, "Cache-Control": "no-store"}
