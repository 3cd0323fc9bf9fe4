"""/metrics under gunicorn with two workers (prometheus_client's multiprocess mode, as clubess-app.service runs
it): whichever worker answers the scrape, it counts the requests both workers served."""

import os
import re
import secrets
from concurrent.futures import ThreadPoolExecutor

from config import ROOT
from tests.deploy.test_production_boot import Gunicorn


def test_a_scrape_counts_the_requests_of_every_worker(app, redis_server, tmp_path):
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    (tmp_path / "metrics").mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CLUBESS_", "RATELIMIT_", "TEST_DATABASE"))},
        "CLUBESS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "ALLOW_SQLITE_IN_PRODUCTION": "1",
        "BASE_URL": "https://club-ess.example.org",
        "RATELIMIT_STORAGE_URI": redis_server.url,
        "MATCH_SEMANTIC": "0",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "PYTHONPATH": str(ROOT),
    }
    server = Gunicorn(env, tmp_path)
    server.start()  # its readiness probe: one GET /healthz
    try:
        sent, workers = 0, set()
        with ThreadPoolExecutor(max_workers=4) as pool:
            while sent < 400 and len(workers) < 2:  # a loaded machine may give one worker many requests in a row
                statuses = list(pool.map(lambda _: server.request("GET", "/le-club")[0], range(40)))
                assert statuses == [200] * 40
                sent += 40
                lines = server.access_log.read_text().splitlines()
                workers = {line.split()[0] for line in lines if "/le-club" in line}
        assert len(workers) == 2, "both workers should have answered"
        counts = set()
        for _ in range(6):  # several scrapes: each worker answers some of them
            status, _headers, text = server.request("GET", "/metrics")
            assert status == 200
            found = re.search(
                r'^clubess_http_requests_total\{endpoint="pages.club",method="GET",status="200"\} (\S+)$', text, re.M
            )
            counts.add(float(found.group(1)))
        assert counts == {float(sent)}
    finally:
        server.stop()
