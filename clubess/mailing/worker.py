"""Delivery of the outbox through SMTP: claim, send, retry with backoff, mark permanent failures."""

import base64
import logging
import secrets
import smtplib
import socket
import time
from datetime import timedelta
from email.message import EmailMessage
from email.mime.text import MIMEText

import sqlalchemy as sa
from flask import current_app
from flask_mail import Message

from clubess.core.db import now_utc
from clubess.extensions import db, mail
from clubess.mailing.models import MessageStatus, OutboxMessage
from clubess.mailing.sources import Outcome, Rendered, get_source

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying would not help."""


def claim_batch(limit: int) -> list[OutboxMessage]:
    """Take up to `limit` due messages for this worker and commit the claim.

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
    return list(
        db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.claim_token == token).order_by(OutboxMessage.id)
        )
    )


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


class _Message(Message):
    """Flask-Mail's message, with iMIP calendar parts placed the way Outlook and Gmail expect.

    An invitation is multipart/mixed: a multipart/alternative of text/plain, text/html and
    `text/calendar; method=...` (what Outlook and Gmail turn into Accept/Decline buttons), then the
    same calendar as an `application/ics` file for clients that only look at attachments.
    """

    calendars: list[tuple[str, bytes]] = []

    def _message(self):
        msg = super()._message()
        if self.calendars:
            alternative = msg.get_payload()[0]
            for method, data in self.calendars:
                part = MIMEText(data.decode("utf-8"), "calendar", "utf-8")
                part.set_param("method", method)
                alternative.attach(part)
        return msg


def render_source(message: OutboxMessage) -> Rendered | None:
    """Fill a source message's subject, bodies and headers now; None when it must not be sent."""
    rendered = get_source(message.source).render(message)
    if rendered is not None:
        message.subject = rendered.subject
        message.body_text = rendered.text
        message.body_html = rendered.html
        message.reply_to = rendered.reply_to
        message.headers = rendered.headers
    return rendered


def build_message(message: OutboxMessage, attachments: list[tuple[str, str, bytes]] | None = None) -> Message:
    """The SMTP message; `attachments` (filename, type, bytes) replace the stored ones for a source's mail."""
    mail_message = _Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.body_text,
        html=message.body_html,
        sender=current_app.config["MAIL_FROM"],
        reply_to=message.reply_to,
        extra_headers=dict(message.headers or {}),
    )
    mail_message.calendars = []
    if attachments is None:
        # bytes: Flask-Mail would encode a str as latin-1
        attachments = [
            (a["filename"], a["content_type"], base64.b64decode(a["data"])) for a in message.attachments or []
        ]
    for filename, content_type, data in attachments:
        if content_type.startswith("text/calendar") and mail_message.html:
            method = _param(content_type, "method") or "PUBLISH"
            mail_message.calendars.append((method, data))
            content_type = "application/ics"
        mail_message.attach(filename=filename, content_type=content_type, data=data)
    return mail_message


def _param(content_type: str, name: str) -> str | None:
    header = EmailMessage()
    header["Content-Type"] = content_type
    value = header.get_param(name)
    return value.upper() if isinstance(value, str) else None


def _classify(exc: Exception) -> bool:
    """True when the error is permanent (5xx), False when a retry may succeed."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _is_bounce(exc: Exception) -> bool:
    """The server refused the recipient's address for good (not our sender, not the content)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return _classify(exc)
    return isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code in (550, 551, 553)


def _is_connection_error(exc: Exception) -> bool:
    # SMTPException derives from OSError: only a lost connection (not a refusal) stops the batch.
    return isinstance(exc, smtplib.SMTPServerDisconnected) or not isinstance(exc, smtplib.SMTPException)


def _backoff(attempts: int) -> timedelta:
    base = current_app.config["OUTBOX_BACKOFF_SECONDS"]
    return min(timedelta(seconds=base * 2 ** max(0, attempts - 1)), MAX_BACKOFF)


def _mark_failed_attempt(message: OutboxMessage, exc: Exception, permanent: bool) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.claimed_until = None
    message.claim_token = None
    if permanent or message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        message.status = MessageStatus.FAILED.value
        if message.source:
            outcome = Outcome.BOUNCED if permanent and _is_bounce(exc) else Outcome.FAILED
            get_source(message.source).outcome(message, outcome, message.last_error)
    else:
        message.status = MessageStatus.QUEUED.value
        message.next_attempt_at = now_utc() + _backoff(message.attempts)


def _release(messages: list[OutboxMessage]) -> None:
    for message in messages:
        message.status = MessageStatus.QUEUED.value
        message.claimed_until = None
        message.claim_token = None


def _skip(message: OutboxMessage) -> None:
    message.status = MessageStatus.CANCELLED.value
    message.claimed_until = None
    message.claim_token = None
    message.last_error = "not sent: the address no longer receives this mail"
    get_source(message.source).outcome(message, Outcome.SKIPPED)
    db.session.commit()


def send_pending(limit: int | None = None) -> dict[str, int]:
    """One pass: claim due messages and deliver them. Returns counts by outcome."""
    limit = limit or current_app.config["OUTBOX_BATCH_SIZE"]
    stats = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    batch = claim_batch(limit)
    if not batch:
        return stats
    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(current_app.config["MAIL_TIMEOUT"])
    try:
        try:
            connection = mail.connect()
            connection.__enter__()
        except (OSError, smtplib.SMTPException) as exc:
            # The server is down: the first message pays one attempt, the others wait untouched.
            log.warning("SMTP server unreachable: %s", exc)
            _mark_failed_attempt(batch[0], exc, permanent=False)
            _release(batch[1:])
            db.session.commit()
            stats["retry"] += 1
            return stats
        try:
            for index, message in enumerate(batch):
                attachments = None
                if message.source:
                    rendered = render_source(message)
                    if rendered is None:
                        _skip(message)
                        stats["skipped"] += 1
                        continue
                    attachments = rendered.attachments
                try:
                    connection.send(build_message(message, attachments))
                except (OSError, smtplib.SMTPException) as exc:
                    permanent = _classify(exc)
                    _mark_failed_attempt(message, exc, permanent)
                    stats["failed" if message.status == MessageStatus.FAILED else "retry"] += 1
                    db.session.commit()
                    if _is_connection_error(exc):
                        _release(batch[index + 1 :])
                        db.session.commit()
                        break
                    continue
                message.status = MessageStatus.SENT.value
                message.sent_at = now_utc()
                message.attempts += 1
                message.claimed_until = None
                message.last_error = None
                if message.source:
                    get_source(message.source).outcome(message, Outcome.SENT)
                db.session.commit()
                stats["sent"] += 1
        finally:
            try:
                connection.__exit__(None, None, None)
            except (OSError, smtplib.SMTPException):
                pass
    finally:
        socket.setdefaulttimeout(previous_timeout)
    return stats


def run_worker(interval: float = 5.0, max_passes: int | None = None) -> None:
    """Loop over send_pending(); sleeps `interval` seconds when nothing was due."""
    passes = 0
    while max_passes is None or passes < max_passes:
        passes += 1
        try:
            stats = send_pending()
        except sa.exc.OperationalError:
            log.exception("database unavailable; retrying")
            db.session.rollback()
            stats = {}
        if any(stats.values()):
            log.info("outbox pass: %s", stats)
        else:
            time.sleep(interval)
