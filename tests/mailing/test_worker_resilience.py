"""No single message stops the mail: whatever one message raises, it is that message's failure and the
worker goes on with the next one."""

import sqlalchemy as sa

from clubess.extensions import db as db_ext
from clubess.mailing import services
from clubess.mailing.models import OutboxMessage
from clubess.mailing.sources import Rendered, register_source
from clubess.mailing.worker import send_pending


def _queue_raw(recipient, **kwargs):
    """A row as older data can hold it (queued before the forms refused such addresses)."""
    user = type("U", (), {"email": recipient})()
    return services.queue(
        recipient, "auth/verify_email", {"user": user, "url": "http://localhost/x"}, category="test", **kwargs
    )


def _row(db, recipient):
    db.session.expire_all()
    return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == recipient))


def test_a_non_ascii_local_part_fails_alone_and_a_password_reset_queued_after_it_is_delivered(
    app, client, db, smtp, make_user
):
    make_user(email="helene@montreuil.fr")
    _queue_raw("zoé@exemple.fr")
    db.session.commit()
    client.submit("/connexion/mot-de-passe-oublie", {"email": "helene@montreuil.fr"})

    result = app.test_cli_runner().invoke(args=["outbox", "send"])

    assert result.exit_code == 0, result.output
    assert [m["Subject"] for m in smtp.to("helene@montreuil.fr")] == ["Choisir un nouveau mot de passe"]
    failed = _row(db, "zoé@exemple.fr")
    assert failed.status == "failed"  # retrying cannot help: the relay cannot take this address
    assert failed.attempts == 1
    assert "zoé@exemple.fr" in failed.last_error
    assert send_pending() == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}


def test_the_worker_loop_goes_on_after_a_message_it_cannot_build(app, db, smtp):
    _queue_raw("zoé@exemple.fr")
    _queue_raw("mauvais@example.org", reply_to="a@example.org\nBcc: victime@example.org")  # an injected header
    _queue_raw("bon@example.org")
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["outbox", "worker", "--max-passes", "2", "--interval", "0"])

    assert result.exit_code == 0, result.output
    assert [m["To"] for m in smtp.messages] == ["bon@example.org"]
    assert _row(db, "mauvais@example.org").status == "failed"
    assert _row(db, "zoé@exemple.fr").status == "failed"


class _BrokenSource:
    """A source with a bug: its query fails (on PostgreSQL this also aborts the transaction)."""

    name = "test.broken"

    def render(self, message):
        db_ext.session.execute(sa.text("SELECT no_such_column FROM outbox_messages"))

    def outcome(self, message, outcome, error=""):
        pass


class _FaultyOutcomeSource:
    """Renders fine, but cannot record what became of the message."""

    name = "test.faulty_outcome"

    def render(self, message):
        return Rendered(subject="Bonjour", text="Texte")

    def outcome(self, message, outcome, error=""):
        raise RuntimeError("outcome bug")


def test_a_source_bug_is_that_message_s_failure_retried_with_backoff_and_the_session_stays_usable(app, db, smtp):
    register_source(app, _BrokenSource())
    services.queue_request("test.broken", "casse@example.org", category="test", subject="x")
    _queue_raw("bon@example.org")
    db.session.commit()

    assert send_pending() == {"sent": 1, "retry": 1, "failed": 0, "skipped": 0}

    broken = _row(db, "casse@example.org")
    assert broken.status == "queued" and broken.attempts == 1  # a fix may be deployed: it is retried
    assert "no_such_column" in broken.last_error
    for _ in range(app.config["OUTBOX_MAX_ATTEMPTS"]):
        send_pending()
    assert _row(db, "casse@example.org").status == "failed"
    assert [m["To"] for m in smtp.messages] == ["bon@example.org"]


def test_a_mail_that_went_stays_sent_when_its_source_cannot_record_the_outcome(app, db, smtp):
    register_source(app, _FaultyOutcomeSource())
    services.queue_request("test.faulty_outcome", "a@example.org", category="test", subject="x")
    _queue_raw("b@example.org")
    db.session.commit()

    assert send_pending()["sent"] == 2
    assert _row(db, "a@example.org").status == "sent"
    assert send_pending()["sent"] == 0  # not sent twice
    assert sorted(m["To"] for m in smtp.messages) == ["a@example.org", "b@example.org"]
