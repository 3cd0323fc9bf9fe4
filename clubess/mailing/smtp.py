"""One outbox row as an SMTP message, and what an error while sending it means."""

import base64
import hashlib
import smtplib
from email.message import EmailMessage
from email.mime.text import MIMEText
from email.utils import parseaddr

from flask import current_app
from flask_mail import BadHeaderError, Message

from clubess.core.emails import InvalidEmail, normalize_email
from clubess.mailing.models import OutboxMessage
from clubess.mailing.sources import Rendered


class UndeliverableAddress(Exception):
    """The relay cannot take this address at all (e.g. accents before the @ without SMTPUTF8)."""


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


def message_id(message: OutboxMessage) -> str:
    """The row's Message-ID: the same on every attempt, whichever worker sends it (receivers drop duplicates by it)."""
    created = message.created_at.strftime("%Y%m%d%H%M%S") if message.created_at else ""
    digest = hashlib.sha256(f"{message.id}|{created}".encode()).hexdigest()[:20]
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    return f"<{message.id}.{digest}@{domain}>"


def recipient_address(message: OutboxMessage) -> str:
    """The address as the relay takes it, or UndeliverableAddress (rows queued before the forms refused it)."""
    try:
        return normalize_email(message.recipient)
    except InvalidEmail as exc:
        raise UndeliverableAddress(f"the relay cannot take {message.recipient!r}: {exc}") from None


def build_message(message: OutboxMessage, rendered: Rendered | None = None) -> Message:
    """The SMTP message of a row; for a source's mail, `rendered` gives its subject, bodies and attachments."""
    content = rendered or message
    mail_message = _Message(
        subject=content.subject,
        recipients=[recipient_address(message)],
        body=content.text if rendered else message.body_text,
        html=content.html if rendered else message.body_html,
        sender=current_app.config["MAIL_FROM"],
        reply_to=content.reply_to,
        extra_headers=dict(content.headers or {}),
    )
    mail_message.msgId = message_id(message)
    mail_message.calendars = []
    if rendered is not None:
        attachments = rendered.attachments
    else:
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
    if mail_message.has_bad_headers():
        raise BadHeaderError("a header holds a line break")
    return mail_message


def _param(content_type: str, name: str) -> str | None:
    header = EmailMessage()
    header["Content-Type"] = content_type
    value = header.get_param(name)
    return value.upper() if isinstance(value, str) else None


def is_permanent(exc: Exception) -> bool:
    """True when retrying cannot help: the server refused for good (5xx), or the row itself cannot be sent
    (an address the relay cannot take, text that cannot be encoded, a header with a line break)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return isinstance(exc, UndeliverableAddress | UnicodeError | BadHeaderError)


def is_bounce(exc: Exception) -> bool:
    """The recipient's address is refused for good (not our sender, not the content)."""
    if isinstance(exc, UndeliverableAddress):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return is_permanent(exc)
    return isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code in (550, 551, 553)


def is_connection_error(exc: Exception) -> bool:
    """The connection to the server is gone (not a refusal, not a fault of this message): stop the batch."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)
