"""Prometheus metrics at /metrics: requests by endpoint and status, their latency, the outbox's depth and the age
of its oldest pending message, and mail failures; for the internal network only (METRICS_ALLOW).

Several gunicorn workers: prometheus_client's multiprocess mode. With PROMETHEUS_MULTIPROC_DIR set (the
app unit does), each worker writes its counters to files there and a scrape of any worker adds up the whole
instance; without it (one process, tests) the counters live in the process. The outbox figures are read from
the database at each scrape: they are the same whichever instance answers (the workers run elsewhere).
"""

import ipaddress
import logging
import os
import time

import sqlalchemy as sa
from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from clubess.core.db import now_utc
from clubess.extensions import db

log = logging.getLogger(__name__)

REQUESTS = Counter("clubess_http_requests", "HTTP requests answered", ["endpoint", "method", "status"])
LATENCY = Histogram(
    "clubess_http_request_duration_seconds",
    "Time to answer a request",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class OutboxCollector:
    """The outbox at scrape time: messages per status, the age of the oldest one waiting, those retried."""

    def collect(self):
        from clubess.mailing.models import MessageStatus, OutboxMessage

        by_status = dict(
            db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all()
        )
        pending = (MessageStatus.QUEUED, MessageStatus.SENDING)
        oldest, retrying = db.session.execute(
            sa.select(
                sa.func.min(OutboxMessage.created_at),
                sa.func.count().filter(OutboxMessage.attempts > 0),
            ).where(OutboxMessage.status.in_(pending))
        ).one()
        db.session.rollback()
        messages = GaugeMetricFamily("clubess_outbox_messages", "Outbox messages by status", labels=["status"])
        for status in MessageStatus:
            messages.add_metric([status.value], by_status.get(status.value, 0))
        yield messages
        yield GaugeMetricFamily(
            "clubess_outbox_pending_messages",
            "Messages waiting to be sent",
            value=sum(by_status.get(s, 0) for s in pending),
        )
        if oldest is not None and oldest.tzinfo is None:  # SQLite through a raw aggregate
            from datetime import UTC

            oldest = oldest.replace(tzinfo=UTC)
        age = (now_utc() - oldest).total_seconds() if oldest is not None else 0
        yield GaugeMetricFamily(
            "clubess_outbox_oldest_pending_age_seconds", "Age of the oldest message waiting (0: none)", value=age
        )
        yield GaugeMetricFamily(
            "clubess_outbox_failing_messages", "Messages waiting after a failed attempt (retries)", value=retrying
        )
        yield GaugeMetricFamily(
            "clubess_mail_failures",
            "Messages given up for good (permanent failure or too many attempts)",
            value=by_status.get(MessageStatus.FAILED.value, 0),
        )


def allowed_networks(setting: str) -> list:
    networks = []
    for part in str(setting or "").split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                log.warning("METRICS_ALLOW: %r is not an address or a network, ignored", part.strip())
    return networks


def client_allowed(app: Flask) -> bool:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in allowed_networks(app.config["METRICS_ALLOW"]))


def exposition() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    body = generate_latest(registry)
    outbox = CollectorRegistry()
    outbox.register(OutboxCollector())
    return body + generate_latest(outbox)


def register_metrics(app: Flask) -> None:
    @app.before_request
    def start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count(response):
        endpoint = request.url_rule.endpoint if request.url_rule is not None else "unmatched"
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(endpoint, method, str(response.status_code)).inc()
        started = g.get("metrics_started")
        if started is not None:
            LATENCY.labels(endpoint).observe(time.perf_counter() - started)
        return response
