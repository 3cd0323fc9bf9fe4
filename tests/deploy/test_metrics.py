"""/metrics: Prometheus text for the internal network only, with requests, latency and the outbox's figures."""

import re
from datetime import timedelta

import pytest

INTERNAL = {"REMOTE_ADDR": "127.0.0.1"}


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample of the exposition (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        series, value = line.rsplit(" ", 1)
        found = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})?", series)
        if found and found.group(1) == name:
            got = ",".join(sorted((found.group(2) or "").split(","))) if found.group(2) else ""
            if got == wanted:
                return float(value)
    return 0.0


def scrape(client) -> str:
    response = client.get("/metrics", environ_base=INTERNAL)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return response.get_data(as_text=True)


def test_requests_are_counted_by_endpoint_and_status(client):
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/rien-ici")
    after = scrape(client)
    ok = {"endpoint": "pages.health", "method": "GET", "status": "200"}
    assert sample(after, "clubess_http_requests_total", **ok) - sample(before, "clubess_http_requests_total", **ok) == 2
    missing = {"endpoint": "unmatched", "method": "GET", "status": "404"}
    assert (
        sample(after, "clubess_http_requests_total", **missing)
        - sample(before, "clubess_http_requests_total", **missing)
        == 1
    )
    latency = "clubess_http_request_duration_seconds_count"
    assert sample(after, latency, endpoint="pages.health") - sample(before, latency, endpoint="pages.health") == 2
    assert sample(after, "clubess_http_request_duration_seconds_bucket", endpoint="pages.health", le="+Inf") >= 2


def test_the_outbox_depth_its_oldest_message_and_failures(client, db):
    from clubess.core.db import now_utc
    from clubess.mailing.models import OutboxMessage

    now = now_utc()

    def message(n, **values):
        return OutboxMessage(recipient=f"r{n}@example.org", subject="s", body_text="t", category="test", **values)

    db.session.add_all(
        [
            message(1, created_at=now - timedelta(hours=2)),  # the oldest waiting: two hours
            message(2, created_at=now - timedelta(minutes=5), attempts=2),  # waiting after two failed attempts
            message(3, created_at=now - timedelta(days=3), status="sent", sent_at=now - timedelta(days=3)),
            message(4, created_at=now - timedelta(days=1), status="failed", attempts=8),
        ]
    )
    db.session.commit()
    text = scrape(client)
    assert sample(text, "clubess_outbox_pending_messages") == 2
    assert sample(text, "clubess_outbox_messages", status="queued") == 2
    assert sample(text, "clubess_outbox_messages", status="sent") == 1
    assert 7200 <= sample(text, "clubess_outbox_oldest_pending_age_seconds") < 7200 + 60
    assert sample(text, "clubess_outbox_failing_messages") == 1
    assert sample(text, "clubess_mail_failures") == 1


def test_an_empty_outbox_has_no_age(client, db):
    text = scrape(client)
    assert sample(text, "clubess_outbox_pending_messages") == 0
    assert "clubess_outbox_oldest_pending_age_seconds 0.0" in text


@pytest.mark.parametrize("address", ["203.0.113.5", "10.1.2.3", "::ffff:8.8.8.8", "2001:db8::1"])
def test_metrics_are_refused_outside_the_allowed_networks(client, address):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 403
    assert "clubess_" not in response.get_data(as_text=True)


def test_the_allowed_networks_come_from_the_setting(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_ALLOW", "10.0.0.0/8, not-a-network ,::1")
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "11.0.0.1"}).status_code == 403
