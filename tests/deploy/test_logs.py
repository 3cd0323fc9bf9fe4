"""LOG_FORMAT=json: one JSON object per line with the request's id, which the response carries back
(the proxy's X-Request-ID when sane, else a new one), in access lines and error logs alike."""

import io
import json
import logging
import re

import pytest

from clubess import create_app
from clubess.ops.logs import ACCESS
from config import TestingConfig

NGINX_ID = "0f3c9a1b2d4e5f60718293a4b5c6d7e8"


@pytest.fixture
def json_app(app):
    """A second app with LOG_FORMAT=json writing into `json_app.log`; the root logger is put back after."""
    root = logging.getLogger()
    saved = [(handler, handler.formatter) for handler in root.handlers]
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    root.addHandler(capture)

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        UPLOAD_FOLDER = app.config["UPLOAD_FOLDER"]
        LOG_FORMAT = "json"
        PROPAGATE_EXCEPTIONS = False  # a view's exception becomes the 500 page, as in production

    logged = create_app(Config)

    def boom():
        raise RuntimeError("the view broke")

    logged.add_url_rule("/boom", view_func=boom)
    logged.lines = lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    yield logged
    root.removeHandler(capture)
    for handler, formatter in saved:
        handler.setFormatter(formatter)
    ACCESS.setLevel(logging.WARNING)


def test_a_sane_request_id_from_the_proxy_comes_back(client):
    response = client.get("/healthz", headers={"X-Request-ID": NGINX_ID})
    assert response.headers["X-Request-ID"] == NGINX_ID


@pytest.mark.parametrize(
    "given", ["", "short", "x" * 129, "abc def ghi jkl", "id\x00with-nul-inside", "<script>alert(1)</script>", "é" * 10]
)
def test_an_insane_request_id_is_replaced_by_a_new_one(client, given):
    response = client.get("/healthz", headers={"X-Request-ID": given} if given else {})
    assert response.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    assert response.headers["X-Request-ID"] != given


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_json_logs_give_one_access_line_per_request(json_app):
    response = json_app.test_client().get("/le-club?x=1", headers={"X-Request-ID": NGINX_ID})
    assert response.status_code == 200
    [line] = [line for line in json_app.lines() if line["logger"] == "clubess.access"]
    assert line["request_id"] == NGINX_ID and line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/le-club", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])
    assert line["message"] == "GET /le-club 200"


def test_an_error_log_carries_the_request_id_the_client_was_given(json_app):
    response = json_app.test_client().get("/boom")
    assert response.status_code == 500
    rid = response.headers["X-Request-ID"]
    errors = [line for line in json_app.lines() if line["level"] == "ERROR"]
    assert len(errors) == 1
    [error] = errors
    assert error["request_id"] == rid and error["path"] == "/boom" and error["method"] == "GET"
    assert "RuntimeError: the view broke" in error["exception"]
    [access] = [line for line in json_app.lines() if line["logger"] == "clubess.access"]
    assert access["status"] == 500 and access["request_id"] == rid
