"""The production configuration boots under gunicorn (2 workers) against a real Redis and the test database,
and behind the proxy the login limit hits one client, not the others, whichever worker answers."""

import http.client
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from config import ROOT
from tests.conftest import CSRF_RE, free_port

WRONG = "Adresse électronique ou mot de passe incorrect."
LIMIT = 3  # RATELIMIT_LOGIN_IP for this server: 3 failed logins per minute and per client address


class Gunicorn:
    """gunicorn serving wsgi:app with CLUBESS_ENV=production on 127.0.0.1, its access log naming the worker."""

    def __init__(self, env: dict, workdir: Path):
        self.port = free_port()
        self.access_log = workdir / "access.log"
        self.error_log = workdir / "error.log"
        self.env = env
        self.process = None

    def start(self) -> None:
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers=2",
            f"--bind=127.0.0.1:{self.port}",
            "--no-control-socket",
            f"--access-logfile={self.access_log}",
            "--access-logformat=%(p)s %(s)s %({x-forwarded-for}i)s %(m)s %(U)s",
            f"--error-logfile={self.error_log}",
            "wsgi:app",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.error_log.read_text()[-3000:]}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            conn.close()

    def workers_that_answered(self, client_address: str) -> set[str]:
        lines = self.access_log.read_text().splitlines()
        return {line.split()[0] for line in lines if f" {client_address} POST /connexion" in line}


class Browser:
    """A browser behind nginx: the proxy adds X-Forwarded-For with its address and says the scheme was https."""

    def __init__(self, server: Gunicorn, address: str):
        self.server = server
        self.headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "https"}
        status, headers, html = server.request("GET", "/connexion", headers=self.headers)
        assert status == 200, html[:500]
        self.cookie = "; ".join(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")
        self.token = CSRF_RE.search(html).group(1)

    def failed_login(self, n: int):
        body = urllib.parse.urlencode(
            {"email": f"inconnu{n}@example.org", "password": "pas le bon", "csrf_token": self.token}
        )
        headers = {
            **self.headers,
            "Cookie": self.cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{self.server.port}/connexion",
        }
        status, _headers, html = self.server.request("POST", "/connexion", body=body, headers=headers)
        return status, html


@pytest.fixture
def production_server(app, redis_server, tmp_path):
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]  # the migrated test database (PostgreSQL or SQLite)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CLUBESS_", "RATELIMIT_", "TEST_DATABASE"))},
        "CLUBESS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "BASE_URL": "https://club-ess.example.org",
        "RATELIMIT_STORAGE_URI": redis_server.url,
        "RATELIMIT_LOGIN_IP": f"{LIMIT} per minute",
        "TRUSTED_PROXIES": "1",
        "MATCH_SEMANTIC": "0",
        "PYTHONPATH": str(ROOT),
    }
    if database_url.startswith("sqlite"):
        env["ALLOW_SQLITE_IN_PRODUCTION"] = "1"
    server = Gunicorn(env, tmp_path)
    server.start()
    yield server
    server.stop()


def test_login_limit_hits_one_client_behind_the_proxy_across_both_workers(production_server, redis_server):
    a = Browser(production_server, "203.0.113.10")
    answers = []
    with ThreadPoolExecutor(max_workers=2) as pool:  # two at a time: both sync workers are busy at once
        for first in range(0, 400, 2):  # until both workers answered: a loaded machine may favour one for long
            answers += pool.map(a.failed_login, (first, first + 1))
            rejected = [status for status, _html in answers if status == 429]
            if len(rejected) >= 4 and len(production_server.workers_that_answered("203.0.113.10")) == 2:
                break
    statuses = [status for status, _html in answers]
    assert statuses.count(200) == LIMIT, statuses  # per worker in memory, two workers would allow up to 6
    assert set(statuses) == {200, 429}, statuses
    assert all(WRONG in html for status, html in answers if status == 200)
    # both workers answered client A, and both refused it: the count is shared through Redis
    assert len(production_server.workers_that_answered("203.0.113.10")) == 2

    b = Browser(production_server, "198.51.100.20")
    status, html = b.failed_login(1000)
    assert status == 200
    assert WRONG in html

    import redis

    keys = [key.decode() for key in redis.Redis.from_url(redis_server.url).keys("LIMITS*")]
    assert any("203.0.113.10" in key for key in keys), keys
    assert any("198.51.100.20" in key for key in keys), keys


def test_logins_keep_working_when_redis_goes_away(production_server, redis_server):
    """Redis stopped: each worker counts in memory until it is back, and nobody gets a 500."""
    b = Browser(production_server, "198.51.100.20")
    assert b.failed_login(1)[0] == 200
    redis_server.stop()
    for n in range(2, 4):
        status, html = b.failed_login(n)
        assert status == 200, html[:500]
        assert WRONG in html


def test_a_forged_forwarded_header_is_ignored_without_a_trusted_proxy(app, redis_server, tmp_path):
    """TRUSTED_PROXIES=0 (the default, app served directly): X-Forwarded-For sent by a client changes nothing."""
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CLUBESS_", "RATELIMIT_", "TEST_DATABASE"))},
        "CLUBESS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "ALLOW_SQLITE_IN_PRODUCTION": "1",
        "BASE_URL": "https://club-ess.example.org",
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_STORAGE_URI": redis_server.url,
        "RATELIMIT_LOGIN_IP": f"{LIMIT} per minute",
        "MATCH_SEMANTIC": "0",
        "PYTHONPATH": str(ROOT),
    }
    server = Gunicorn(env, tmp_path)
    server.start()
    try:
        statuses = []
        for n in range(LIMIT + 1):
            browser = Browser(server, f"198.51.100.{n}")
            browser.headers.pop("X-Forwarded-Proto")
            statuses.append(browser.failed_login(n)[0])
    finally:
        server.stop()
    assert statuses == [200] * LIMIT + [429]


def test_the_access_log_names_the_worker(production_server):
    """Guard for the test above: the log format really gives each request's worker pid."""
    production_server.request("GET", "/healthz")
    assert re.match(r"^<\d+> 200 ", production_server.access_log.read_text().splitlines()[-1])
