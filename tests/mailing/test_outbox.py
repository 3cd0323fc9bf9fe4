"""The outbox: queued in the caller's transaction, delivered by the worker exactly once, retried with backoff."""

import threading
from datetime import timedelta

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.mailing import services
from clubess.mailing.models import OutboxMessage
from clubess.mailing.worker import send_pending
from tests.pages import get_page


def _queue(n=1, **kwargs):
    user = type("U", (), {"email": "x@example.org"})()
    messages = []
    for i in range(n):
        messages.append(
            services.queue(
                kwargs.get("recipient", f"destinataire{i}@example.org"),
                "auth/verify_email",
                {"user": user, "url": "http://localhost/x"},
                category="test",
                dedupe_key=kwargs.get("dedupe_key"),
            )
        )
    return messages


def test_queued_mail_is_not_sent_if_the_transaction_rolls_back(db, smtp):
    _queue(1)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert send_pending()["sent"] == 0
    assert smtp.messages == []


def test_worker_delivers_text_and_html_from_the_platform_address(app, db, smtp):
    _queue(1)
    db.session.commit()
    assert send_pending() == {"sent": 1, "retry": 0, "failed": 0, "skipped": 0}
    [mail] = smtp.messages
    assert mail["From"] == app.config["MAIL_FROM"]
    assert mail["To"] == "destinataire0@example.org"
    assert mail.get_body(preferencelist=("plain",)).get_content().startswith("Bonjour")
    assert "<html" in mail.get_body(preferencelist=("html",)).get_content()
    assert send_pending()["sent"] == 0  # nothing sent twice


def test_a_dedupe_key_is_never_queued_nor_sent_twice(db, smtp):
    first = _queue(1, dedupe_key="reminder:42:7d", recipient="a@example.org")[0]
    second = _queue(1, dedupe_key="reminder:42:7d", recipient="a@example.org")[0]
    assert first.id == second.id
    db.session.commit()
    send_pending()
    assert len(smtp.messages) == 1


def test_messages_stay_queued_while_smtp_is_down_and_leave_once_when_it_is_back(db, smtp):
    _queue(3)
    db.session.commit()
    smtp.stop()
    stats = send_pending()
    assert stats["sent"] == 0
    statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
    assert statuses == ["queued"] * 3
    first = db.session.scalar(sa.select(OutboxMessage).order_by(OutboxMessage.id))
    assert first.attempts == 1 and "Connection" in first.last_error

    smtp.start()
    assert send_pending()["sent"] == 3
    assert send_pending()["sent"] == 0
    assert sorted(m["To"] for m in smtp.messages) == [f"destinataire{i}@example.org" for i in range(3)]


def test_backoff_delays_the_next_attempt_exponentially(app, db, smtp):
    app.config["OUTBOX_BACKOFF_SECONDS"] = 60
    try:
        _queue(1)
        db.session.commit()
        smtp.stop()
        before = now_utc()
        send_pending()
        message = db.session.scalar(sa.select(OutboxMessage))
        assert timedelta(seconds=55) < message.next_attempt_at - before < timedelta(seconds=65)
        smtp.start()
        assert send_pending()["sent"] == 0  # not due yet
        message.next_attempt_at = now_utc() - timedelta(seconds=1)
        db.session.commit()
        smtp.stop()
        send_pending()
        db.session.refresh(message)
        assert message.attempts == 2
        assert timedelta(seconds=115) < message.next_attempt_at - now_utc() < timedelta(seconds=125)
    finally:
        app.config["OUTBOX_BACKOFF_SECONDS"] = 0


def test_permanent_refusal_marks_the_message_failed_without_retry(db, smtp):
    smtp.handler.refuse.add("inconnu@example.org")
    _queue(1, recipient="inconnu@example.org")
    _queue(1, recipient="bon@example.org")
    db.session.commit()
    assert send_pending() == {"sent": 1, "retry": 0, "failed": 1, "skipped": 0}
    failed = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == "inconnu@example.org"))
    assert failed.status == "failed"
    assert "550" in failed.last_error
    assert send_pending()["failed"] == 0


def test_transient_failures_give_up_after_the_maximum_attempts(app, db, smtp):
    _queue(1)
    db.session.commit()
    smtp.stop()
    for _ in range(app.config["OUTBOX_MAX_ATTEMPTS"]):
        send_pending()
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.status == "failed"
    assert message.attempts == app.config["OUTBOX_MAX_ATTEMPTS"]


def test_two_workers_at_once_send_each_message_exactly_once(app, db, smtp):
    _queue(40)
    db.session.commit()
    results = []

    def work():
        with app.app_context():
            total = 0
            while True:
                sent = send_pending(limit=5)["sent"]
                if not sent:
                    break
                total += sent
            results.append(total)
            from clubess.extensions import db as thread_db

            thread_db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(results) == 40
    recipients = [m["To"] for m in smtp.messages]
    assert len(recipients) == 40
    assert len(set(recipients)) == 40


def test_a_message_held_by_a_dead_worker_is_taken_over_after_its_lease(db, smtp):
    _queue(1)
    db.session.commit()
    message = db.session.scalar(sa.select(OutboxMessage))
    message.status = "sending"
    message.claimed_until = now_utc() + timedelta(minutes=5)
    db.session.commit()
    assert send_pending()["sent"] == 0
    message.claimed_until = now_utc() - timedelta(seconds=1)
    db.session.commit()
    assert send_pending()["sent"] == 1


def test_outbox_cli_send_prints_counts(app, db, smtp):
    _queue(2)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert "sent: 2" in result.output
    result = app.test_cli_runner().invoke(args=["outbox", "worker", "--max-passes", "1", "--interval", "0"])
    assert result.exit_code == 0


def test_coordinator_reads_the_outbox_and_requeues_a_failed_message(client, coordinator, db, smtp, count_queries):
    smtp.handler.refuse.add("inconnu@example.org")
    _queue(1, recipient="inconnu@example.org")
    _queue(30)
    db.session.commit()
    send_pending(limit=100)
    client.login(coordinator.email)
    with count_queries() as counter:
        page = get_page(client, "/coordination/courriels/").get_data(as_text=True)
    assert counter.count <= 6, counter.statements
    assert "inconnu@example.org" in page
    failed = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.status == "failed"))
    detail = get_page(client, f"/coordination/courriels/{failed.id}").get_data(as_text=True)
    assert "550" in detail
    assert "Version texte" in detail  # bodies are readable in development/testing
    response = client.submit(
        f"/coordination/courriels/{failed.id}/renvoyer", {}, form_url=f"/coordination/courriels/{failed.id}"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed.id).status == "queued"


def test_outbox_hides_bodies_outside_development(app, client, coordinator, db):
    _queue(1)
    db.session.commit()
    message_id = db.session.scalar(sa.select(OutboxMessage.id))
    client.login(coordinator.email)
    app.config["SHOW_DEV_OUTBOX"] = False
    try:
        page = client.get(f"/coordination/courriels/{message_id}").get_data(as_text=True)
        assert "http://localhost/x" not in page
        assert client.get(f"/coordination/courriels/{message_id}/html").status_code == 404
    finally:
        app.config["SHOW_DEV_OUTBOX"] = True
