"""Request ids and JSON logs: every request gets an id (the proxy's X-Request-ID when sane, else a new one),
sent back in the response and written with every log line of the request; LOG_FORMAT=json writes one JSON
object per line (journald and log collectors read it), with one access line per request."""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

#: what a request id may be: nginx's $request_id (32 hex digits), a UUID, a load balancer's trace id
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
ACCESS = logging.getLogger("clubess.access")
#: the attributes every LogRecord has: the rest were given with `extra=` and go into the JSON object
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id(),
        }
        if has_request_context() and "method" not in vars(record):
            entry.update(method=request.method, path=request.path)
        entry.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def use_json_logs() -> None:
    """Every handler of the root logger writes JSON (the app, gunicorn's error log once it propagates)."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for handler in root.handlers:
        handler.setFormatter(JsonFormatter())


def register_request_logging(app: Flask) -> None:
    json_logs = str(app.config.get("LOG_FORMAT", "text")).lower() == "json"
    if json_logs:
        use_json_logs()
    # the access line is for JSON logs; in text mode the server (werkzeug, gunicorn) writes its own
    ACCESS.setLevel(logging.INFO if json_logs else logging.WARNING)
    # Alembic's logging setup (fileConfig) disables the loggers that exist when migrations run in this process
    ACCESS.disabled = app.logger.disabled = False

    @app.before_request
    def start_request():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if SANE_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def end_request(response):
        rid = g.get("request_id")
        if rid is None:  # refused before before_request ran (the input guard): still traceable
            rid = g.request_id = uuid.uuid4().hex
        response.headers["X-Request-ID"] = rid
        started = g.get("request_started")
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
        ACCESS.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "request_id": rid,
            },
        )
        return response
