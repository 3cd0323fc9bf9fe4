"""Exactly once, even when a batch outlives its lease: a worker renews the lease of each message before
sending it, sends nothing it no longer holds, and every row keeps one Message-ID across attempts."""

from datetime import timedelta

import sqlalchemy as sa
from flask_mail import email_dispatched
from freezegun import freeze_time

from clubess.extensions import db as ext_db
from clubess.mailing import services
from clubess.mailing.models import OutboxMessage
from clubess.mailing.worker import send_pending


def _queue(recipients):
    user = type("U", (), {"email": "x@example.org"})()
    for recipient in recipients:
        services.queue(recipient, "auth/verify_email", {"user": user, "url": "http://localhost/x"}, category="test")


def test_a_batch_that_outlives_its_lease_sends_each_message_once(app, db, smtp):
    """Worker A claims a, b, c with a 60 s lease. Sending a and b takes 80 s: c's lease runs out, and worker B
    takes c over and sends it while A is still busy. A must not send c again (nor B take b, whose lease A
    renewed before sending it)."""
    app.config["OUTBOX_LEASE_SECONDS"] = 60
    recipients = ["a@example.org", "b@example.org", "c@example.org"]
    second_worker = []

    with freeze_time("2026-11-23 10:00:00") as clock:
        _queue(recipients)
        db.session.commit()

        def slow_relay(sender, message):
            if len(second_worker) == 1:
                return  # B's own sends
            clock.tick(timedelta(seconds=40))
            if message.recipients == ["b@example.org"]:
                second_worker.append("running")
                with app.app_context():  # worker B: another process, its own session
                    second_worker.append(send_pending())
                    ext_db.session.remove()

        email_dispatched.connect(slow_relay)
        try:
            first_worker = send_pending()
        finally:
            email_dispatched.disconnect(slow_relay)
            app.config["OUTBOX_LEASE_SECONDS"] = 600

    assert sorted(m["To"] for m in smtp.messages) == recipients
    assert second_worker[1]["sent"] == 1  # B sent c ...
    assert first_worker["sent"] == 2  # ... and A only a and b
    db.session.expire_all()
    assert set(db.session.scalars(sa.select(OutboxMessage.status))) == {"sent"}


def test_a_retried_message_keeps_its_message_id(app, db, smtp):
    smtp.handler.defer["lent@example.org"] = 1
    _queue(["lent@example.org", "autre@example.org"])
    db.session.commit()

    assert send_pending() == {"sent": 1, "retry": 1, "failed": 0, "skipped": 0}
    assert send_pending() == {"sent": 1, "retry": 0, "failed": 0, "skipped": 0}

    [first_attempt] = smtp.handler.deferred
    [delivered] = smtp.to("lent@example.org")
    assert delivered["Message-ID"] == first_attempt["Message-ID"]
    [other] = smtp.to("autre@example.org")
    assert other["Message-ID"] != delivered["Message-ID"]
    assert delivered["Message-ID"].endswith("@club-ess.example.org>")  # the platform's domain (MAIL_FROM)
