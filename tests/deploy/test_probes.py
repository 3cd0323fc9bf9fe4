"""/healthz answers while the process lives; /readyz says whether this instance can serve (database, Redis,
migrations at head) in JSON, 200 or 503, never a 500."""

import sqlalchemy as sa

from clubess import create_app
from config import TestingConfig
from tests.conftest import free_port


def other_app(app, **settings):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        UPLOAD_FOLDER = app.config["UPLOAD_FOLDER"]

    for key, value in settings.items():
        setattr(Config, key, value)
    return create_app(Config)


def test_ready_when_the_database_answers_at_the_codes_migrations(client, count_queries):
    with count_queries() as counter:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == {"ok": True}
    migrations = body["checks"]["migrations"]
    assert migrations["ok"] and migrations["database"] == migrations["code"] and len(migrations["code"]) == 1
    assert body["checks"]["redis"] == {"ok": True, "skipped": "RATELIMIT_STORAGE_URI is not Redis"}
    assert counter.count == 2


def test_not_ready_while_the_database_is_behind_the_code(app, client, db):
    [head] = db.session.scalars(sa.text("SELECT version_num FROM alembic_version")).all()
    db.session.execute(sa.text("UPDATE alembic_version SET version_num = 'a869e4b8360e'"))
    db.session.commit()
    try:
        response = client.get("/readyz")
    finally:
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": head})
        db.session.commit()
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["checks"]["database"]["ok"]
    assert body["checks"]["migrations"] == {"ok": False, "database": ["a869e4b8360e"], "code": [head]}


def test_not_ready_without_a_database_and_never_a_500(app):
    nowhere = f"postgresql+psycopg://clubess:secret-password@127.0.0.1:{free_port()}/clubess"
    broken = other_app(app, SQLALCHEMY_DATABASE_URI=nowhere)
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["migrations"] == {"ok": False, "error": "database unreachable"}
    assert "secret-password" not in response.get_data(as_text=True)
    live = broken.test_client().get("/healthz")  # liveness does not touch the database
    assert live.status_code == 200 and live.get_data(as_text=True) == "ok"


def test_redis_is_checked_when_the_rate_limits_live_there(app, client, redis_server, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", redis_server.url)  # what the probe reads
    assert client.get("/readyz").get_json()["checks"]["redis"] == {"ok": True}
    redis_server.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"] == {"ok": False, "error": "ConnectionError"}
    assert response.get_json()["checks"]["database"] == {"ok": True}
