"""Delivery of the outbox through SMTP: claim, send, retry with backoff, mark permanent failures.

Three rules hold whatever happens:

- No message stops the mail. Whatever one message raises while it is rendered, built, sent or recorded
  (a refused address, an address the relay cannot take, a source's bug, a database error), it is that
  message's failure: the attempt is counted with its error and a backoff (permanent when retrying cannot
  help), the session is rolled back to a usable state and the worker goes on with the next message.
- Exactly once. A claim is a token and a lease; the worker renews the lease of each message just before
  sending it and does not send one whose claim another worker took over after the lease ran out; every
  later write is a conditional UPDATE on the token (its row count checked). No transaction stays open while
  SMTP talks, and each row keeps one Message-ID across attempts and workers.
- Nothing goes after an opt-out: a message of a list (a source's scope) whose address is on the
  suppression list is not sent, and a hard bounce of such a message suppresses the address for that list.
"""

import logging
import secrets
import smtplib
import socket
import time
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from clubess.core.db import now_utc
from clubess.extensions import db, mail
from clubess.mailing import suppression
from clubess.mailing.models import MessageStatus, OutboxMessage, SuppressionReason
from clubess.mailing.smtp import build_message, is_bounce, is_connection_error, is_permanent
from clubess.mailing.sources import Outcome, get_source, source_scope

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


def claim_batch(limit: int) -> tuple[str, list[int]]:
    """Take up to `limit` due messages for this worker and commit the claim: (the claim's token, the ids).

    Transactional mail first, then bulk mail within the per-minute budget. Each claim selects the rows
    `FOR UPDATE SKIP LOCKED` then updates them: on PostgreSQL two workers never take the same row; on
    SQLite the UPDATE's status check does the same (a row another worker took is no longer due).
    """
    now = now_utc()
    token = secrets.token_hex(16)
    taken = _claim(token, limit, OutboxMessage.bulk.is_(False), now)
    bulk_limit = limit - taken
    budget = bulk_budget(now)
    if budget is not None:
        bulk_limit = min(bulk_limit, budget)
    if bulk_limit > 0:
        _claim(token, bulk_limit, OutboxMessage.bulk.is_(True), now)
    db.session.commit()
    ids = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.claim_token == token)
        .order_by(OutboxMessage.bulk, OutboxMessage.id)  # transactional mail first
    )
    return token, list(ids)


def _claim(token: str, limit: int, kind, now) -> int:
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    due = sa.and_(
        kind,
        sa.or_(
            sa.and_(OutboxMessage.status == MessageStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
            sa.and_(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.claimed_until < now),
        ),
    )
    # Two statements, not `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`: PostgreSQL may
    # rescan that subquery once per row (a nested-loop semi join) and claim more than n rows.
    ids = list(
        db.session.scalars(
            sa.select(OutboxMessage.id)
            .where(due)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        return 0
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), due)
        .values(status=MessageStatus.SENDING.value, claimed_until=now + lease, claim_token=token)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def bulk_budget(now) -> int | None:
    """Bulk messages that may still go this minute (None: no limit), counting those other workers hold."""
    per_minute = current_app.config["MAIL_BULK_PER_MINUTE"]
    if not per_minute:
        return None
    used = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.bulk.is_(True),
            sa.or_(
                sa.and_(
                    OutboxMessage.status == MessageStatus.SENT, OutboxMessage.sent_at >= now - timedelta(minutes=1)
                ),
                sa.and_(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.claimed_until >= now),
            ),
        )
    )
    return max(0, per_minute - used)


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])


def _backoff(attempts: int) -> timedelta:
    base = current_app.config["OUTBOX_BACKOFF_SECONDS"]
    return min(timedelta(seconds=base * 2 ** max(0, attempts - 1)), MAX_BACKOFF)


def _held(message_id: int, token: str):
    """The rows this worker still holds: every write after the claim goes through this condition."""
    return sa.update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)


def _write(stmt) -> bool:
    return (db.session.execute(stmt.execution_options(synchronize_session=False)).rowcount or 0) == 1


@dataclass
class _Pass:
    """One pass of the worker: its claim, its SMTP connection (opened at the first send) and its counts."""

    token: str
    stats: dict = field(default_factory=lambda: {"sent": 0, "retry": 0, "failed": 0, "skipped": 0})
    connection: object = None

    def connect(self):
        if self.connection is None:
            connection = mail.connect()
            connection.__enter__()
            self.connection = connection
        return self.connection

    def drop_connection(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.__exit__(None, None, None)
            except Exception:  # noqa: BLE001 - closing a broken connection may fail in any way
                log.debug("closing the SMTP connection failed", exc_info=True)


class _StopBatch(Exception):
    """The SMTP server is unreachable: the rest of the batch waits untouched."""


def send_pending(limit: int | None = None) -> dict[str, int]:
    """One pass: claim due messages and deliver them. Returns counts by outcome."""
    token, ids = claim_batch(limit or current_app.config["OUTBOX_BATCH_SIZE"])
    work = _Pass(token)
    if not ids:
        return work.stats
    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(current_app.config["MAIL_TIMEOUT"])
    try:
        for index, message_id in enumerate(ids):
            try:
                _deliver(work, message_id)
            except _StopBatch:
                _release(ids[index + 1 :], token)
                break
    finally:
        work.drop_connection()
        socket.setdefaulttimeout(previous_timeout)
    return work.stats


def _deliver(work: _Pass, message_id: int) -> None:
    """Render, build, renew the lease, send and record one message; any error is this message's failure."""
    try:
        message = db.session.get(OutboxMessage, message_id, populate_existing=True)
        if message is None or message.claim_token != work.token:
            return  # another worker took it over after our lease ran out
        scope = source_scope(message.source)
        if scope and suppression.is_suppressed(message.recipient, scope):
            return _skip(work, message, f"not sent: the address is on the suppression list ({scope})")
        rendered = None
        if message.source:
            rendered = get_source(message.source).render(message)
            if rendered is None:
                return _skip(work, message, "not sent: the address no longer receives this mail")
        mail_message = build_message(message, rendered)
        # The lease is renewed just before sending; the commit also ends the transaction, so none stays
        # open while SMTP talks.
        renewed = _write(
            _held(message_id, work.token)
            .where(OutboxMessage.status == MessageStatus.SENDING)
            .values(claimed_until=now_utc() + _lease())
        )
        db.session.commit()
        if not renewed:
            log.warning("outbox message %s: claim lost before sending, not sent", message_id)
            return
    except Exception as exc:  # noqa: BLE001 - whatever one message raises is that message's failure
        log.warning("outbox message %s could not be prepared: %r", message_id, exc, exc_info=True)
        _fail(work, message_id, exc)
        return
    try:
        work.connect().send(mail_message)
    except Exception as exc:  # noqa: BLE001
        log.warning("outbox message %s not sent: %r", message_id, exc)
        _fail(work, message_id, exc)
        if is_connection_error(exc):
            work.drop_connection()
            raise _StopBatch from exc
        if not isinstance(exc, smtplib.SMTPException):
            _reset(work)  # an error inside the SMTP dialogue (e.g. while encoding): start the next one clean
        return
    _mark_sent(work, message_id, rendered)


def _reset(work: _Pass) -> None:
    try:
        work.connection.host.rset()
    except Exception:  # noqa: BLE001
        work.drop_connection()


def _mark_sent(work: _Pass, message_id: int, rendered) -> None:
    values = {
        "status": MessageStatus.SENT.value,
        "sent_at": now_utc(),
        "attempts": OutboxMessage.attempts + 1,
        "claimed_until": None,
        "claim_token": None,
        "last_error": None,
    }
    if rendered is not None:
        values.update(
            subject=rendered.subject[:300],
            body_text=rendered.text,
            body_html=rendered.html,
            reply_to=rendered.reply_to,
            headers=rendered.headers,
        )
    work.stats["sent"] += 1
    try:
        if not _write(_held(message_id, work.token).values(**values)):
            log.warning("outbox message %s was sent after another worker took it over", message_id)
            db.session.rollback()
            return
        message = db.session.get(OutboxMessage, message_id)
        if message.source:
            get_source(message.source).outcome(message, Outcome.SENT)
        db.session.commit()
    except Exception:  # noqa: BLE001 - the mail went: record that much even if the source's outcome fails
        log.exception("outbox message %s was sent but its outcome could not be recorded", message_id)
        db.session.rollback()
        _write(_held(message_id, work.token).values(**values))
        db.session.commit()


def _skip(work: _Pass, message: OutboxMessage, reason: str) -> None:
    """Not sent, for good: the address unsubscribed, bounced or was erased since the message was queued."""
    source = get_source(message.source) if message.source else None
    if source is not None and getattr(source, "discreet", False):
        # Leaves no trace (not even in the counts): a declined password-reset request says nothing.
        db.session.execute(
            sa.delete(OutboxMessage)
            .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == work.token)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return
    held = _write(
        _held(message.id, work.token).values(
            status=MessageStatus.CANCELLED.value, claimed_until=None, claim_token=None, last_error=reason
        )
    )
    if held and source is not None:
        source.outcome(message, Outcome.SKIPPED)
    db.session.commit()
    work.stats["skipped"] += held


def _fail(work: _Pass, message_id: int, exc: Exception) -> None:
    """Count a failed attempt: retried with backoff, or failed for good (permanent, or attempts exhausted)."""
    db.session.rollback()  # whatever the error left half-done; the session is usable again
    permanent = is_permanent(exc)
    error = f"{type(exc).__name__}: {exc}"[:2000]
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    if message is None:
        return
    attempts = message.attempts + 1
    final = permanent or attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    values = {"attempts": attempts, "last_error": error, "claimed_until": None, "claim_token": None}
    if final:
        values["status"] = MessageStatus.FAILED.value
    else:
        values.update(status=MessageStatus.QUEUED.value, next_attempt_at=now_utc() + _backoff(attempts))
    if not _write(_held(message_id, work.token).values(**values)):
        db.session.rollback()
        return
    work.stats["failed" if final else "retry"] += 1
    try:
        if final and message.source:
            _final_outcome(message, Outcome.BOUNCED if permanent and is_bounce(exc) else Outcome.FAILED, error)
        db.session.commit()
    except Exception:  # noqa: BLE001 - a source's bug must not undo the failure's record
        log.exception("outbox message %s: the source could not record its failure", message_id)
        db.session.rollback()
        _write(_held(message_id, work.token).values(**values))
        db.session.commit()


def _final_outcome(message: OutboxMessage, outcome: str, error: str) -> None:
    holds_address = get_source(message.source).outcome(message, outcome, error)
    scope = source_scope(message.source)
    if outcome == Outcome.BOUNCED and scope and not holds_address:
        suppression.suppress(message.recipient, scope, SuppressionReason.BOUNCED, detail=error)


def _release(ids: list[int], token: str) -> None:
    """Give back what this worker holds and did not try (the server is down): no attempt counted."""
    if ids:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.claim_token == token)
            .values(status=MessageStatus.QUEUED.value, claimed_until=None, claim_token=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


def run_worker(interval: float = 5.0, max_passes: int | None = None) -> None:
    """Loop over send_pending(); sleeps `interval` seconds when nothing was due. Nothing one pass raises
    (the database gone, a bug) ends the loop: it is logged, the session is reset, the next pass runs."""
    passes = 0
    while max_passes is None or passes < max_passes:
        passes += 1
        try:
            stats = send_pending()
        except Exception:  # noqa: BLE001 - the worker runs unattended: log, reset, go on
            log.exception("outbox pass failed; retrying")
            try:
                db.session.rollback()
            except Exception:  # noqa: BLE001
                db.session.remove()
            stats = {}
        if any(stats.values()):
            log.info("outbox pass: %s", stats)
        else:
            time.sleep(interval)
