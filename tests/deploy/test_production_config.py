"""What production refuses to start without, and what it warns about."""

import logging

import pytest
from flask import Flask
from limits.storage import storage_from_string

from clubess import load_config
from config import ProductionConfig


class Prod(ProductionConfig):
    SECRET_KEY = "x" * 40
    ALLOW_SQLITE_IN_PRODUCTION = True
    BASE_URL = "https://club-ess.example.org"
    RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379"


def _configure(config) -> Flask:
    # the configuration step of create_app() alone: the limiter is shared by every app of the test session
    app = Flask("clubess-config-check")
    load_config(app, config)
    return app


def test_production_refuses_to_start_without_base_url():
    class NoBaseUrl(Prod):
        BASE_URL = None

    with pytest.raises(RuntimeError, match="BASE_URL"):
        _configure(NoBaseUrl)


def test_production_refuses_per_worker_rate_limits_unless_asked_for():
    class NoStorage(Prod):
        RATELIMIT_STORAGE_URI = None

    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI=redis://"):
        _configure(NoStorage)

    class LimitsOff(NoStorage):
        RATELIMIT_ENABLED = False

    assert _configure(LimitsOff).config["RATELIMIT_STORAGE_URI"] == "memory://"  # nothing to count or share


def test_production_warns_when_memory_storage_is_chosen(caplog, monkeypatch):
    class Memory(Prod):
        RATELIMIT_STORAGE_URI = "memory://"

    # the test session ran `flask db upgrade`, whose logging.fileConfig() disables existing loggers
    monkeypatch.setattr(logging.getLogger("clubess"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="clubess"):
        _configure(Memory)
    assert "each gunicorn worker counts on its own" in caplog.text


def test_the_documented_redis_storage_has_its_client_installed():
    """`RATELIMIT_STORAGE_URI=redis://…` needs the redis package (requirements.txt); the storage connects lazily."""
    storage = storage_from_string(Prod.RATELIMIT_STORAGE_URI)
    assert type(storage).__name__ == "RedisStorage"
