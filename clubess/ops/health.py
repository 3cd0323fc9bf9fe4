"""Readiness (`/readyz`): can this instance serve? The database answers, Redis answers when the rate limits
live there, and the database's schema is the code's (migrations at head). Liveness is `/healthz` (pages)."""

import functools
import logging

import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import current_app

from clubess.extensions import db
from config import ROOT

log = logging.getLogger(__name__)

#: seconds a check may take: a load balancer's probe must get an answer, even a negative one
TIMEOUT = 2


@functools.cache
def code_heads() -> tuple[str, ...]:
    """The migrations' heads shipped with this code (read once per process: the files do not change under it)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return tuple(sorted(ScriptDirectory.from_config(config).get_heads()))


def check_database() -> dict:
    db.session.execute(sa.text("SELECT 1"))
    return {"ok": True}


def check_migrations() -> dict:
    applied = tuple(sorted(db.session.scalars(sa.text("SELECT version_num FROM alembic_version"))))
    heads = code_heads()
    return {"ok": applied == heads, "database": list(applied), "code": list(heads)}


def check_redis() -> dict:
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or ""
    if not uri.startswith(("redis://", "rediss://", "redis+")):
        return {"ok": True, "skipped": "RATELIMIT_STORAGE_URI is not Redis"}
    import redis

    client = redis.Redis.from_url(uri.replace("redis+", "", 1), socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True}


CHECKS = {"database": check_database, "migrations": check_migrations, "redis": check_redis}


def readiness() -> tuple[bool, dict]:
    """Each check's outcome; a check that raises is failed with the error's kind (never its message: a
    connection error can carry an address or a user name), and logged in full."""
    results = {}
    for name, check in CHECKS.items():
        if name == "migrations" and not results["database"]["ok"]:
            results[name] = {"ok": False, "error": "database unreachable"}
            continue
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - a probe reports a failure, it never fails itself
            log.warning("readiness check %s failed: %r", name, exc)
            results[name] = {"ok": False, "error": type(exc).__name__}
            if name != "redis":
                db.session.rollback()
    db.session.rollback()  # nothing to keep; the next request starts clean
    return all(result["ok"] for result in results.values()), results
