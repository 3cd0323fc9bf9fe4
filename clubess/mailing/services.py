"""Queueing mail: the one entry point every domain uses to send a message."""

import base64

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError, NotFound
from clubess.core.permissions import Role, require_role
from clubess.core.tokens import make_token
from clubess.extensions import db
from clubess.mailing.models import MessageStatus, OutboxMessage, Scope
from clubess.mailing.sources import discreet_sources, get_source, source_scope
from clubess.mailing.suppression import is_suppressed


def external_url(endpoint: str, **values) -> str:
    """An absolute URL under BASE_URL, usable in mail whether or not a request is running."""
    adapter = current_app.url_map.bind("localhost")
    return current_app.config["BASE_URL"].rstrip("/") + adapter.build(endpoint, values)


def unsubscribe_headers(email: str, scope: Scope) -> tuple[str, dict]:
    """RFC 8058 one-click unsubscribe: the URL to show, and the two headers bulk mail carries."""
    token = make_token("unsubscribe", {"s": Scope(scope).value, "e": email.strip().lower()})
    url = external_url("unsubscribe.confirm", token=token)
    return url, {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def sandboxed_html(html: str):
    """A mail's HTML as its own document, sandboxed: it must not run inside the back office."""
    return (
        html,
        200,
        {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        },
    )


def render_email(template: str, context: dict, locale: str | None = None) -> tuple[str, str, str]:
    """Render `emails/<template>.txt` and `.html`; the subject is the text file's `subject` block."""
    locale = locale or current_app.config["DEFAULT_LOCALE"]
    context = {"base_url": current_app.config["BASE_URL"].rstrip("/"), **context}
    with force_locale(locale):
        env = current_app.jinja_env
        text_template = env.get_template(f"emails/{template}.txt")
        block_context = text_template.new_context(_template_vars(context))
        subject = "".join(text_template.blocks["subject"](block_context)).strip()
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
    return " ".join(subject.split()), text, html


def _template_vars(context: dict) -> dict:
    # The subject block is rendered outside render_template: give it the context processors' values too.
    values = {}
    current_app.update_template_context(values)
    values.update(context)
    return values


def queue(
    recipient: str,
    template: str,
    context: dict | None = None,
    *,
    category: str,
    dedupe_key: str | None = None,
    reply_to: str | None = None,
    headers: dict | None = None,
    attachments: list[tuple[str, str, bytes]] | None = None,
    locale: str | None = None,
) -> OutboxMessage:
    """Add a rendered message to the outbox in the caller's transaction; the worker sends it after commit.

    With a `dedupe_key` already in the outbox, nothing new is queued and the existing message is returned.
    """
    if dedupe_key:
        existing = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    subject, text, html = render_email(template, context or {}, locale)
    message = OutboxMessage(
        recipient=recipient.strip(),
        subject=subject,
        body_text=text,
        body_html=html,
        reply_to=reply_to,
        headers=headers or {},
        attachments=[
            {"filename": name, "content_type": ctype, "data": base64.b64encode(data).decode("ascii")}
            for name, ctype, data in (attachments or [])
        ],
        category=category,
        template=template,
        dedupe_key=dedupe_key,
        bulk="List-Unsubscribe" in (headers or {}),
        next_attempt_at=now_utc(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def queue_from_source(
    source: str,
    items: list[tuple[int, str, str]],
    *,
    category: str,
    subject: str,
    template: str | None = None,
    reply_to: str | None = None,
) -> int:
    """Queue mail the worker renders when it sends it (see mailing.sources), in one bulk INSERT.

    `items` are (source_id, recipient, dedupe_key); keys already in the outbox are left out. `subject`
    is what the outbox page shows until the worker writes the real one; `template` tells the source
    which mail to render. Bulk mail: it carries List-Unsubscribe, so it is throttled.
    """
    keys = [key for _id, _to, key in items]
    taken: set[str] = set()
    for start in range(0, len(keys), 500):
        taken.update(
            db.session.scalars(
                sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys[start : start + 500]))
            )
        )
    now = now_utc()
    rows = [
        {
            "created_at": now,
            "recipient": recipient.strip(),
            "subject": subject[:300],
            "body_text": "",
            "headers": {},
            "attachments": [],
            "category": category,
            "template": template,
            "reply_to": reply_to,
            "status": MessageStatus.QUEUED.value,
            "attempts": 0,
            "next_attempt_at": now,
            "bulk": True,
            "source": source,
            "source_id": source_id,
            "dedupe_key": key,
        }
        for source_id, recipient, key in items
        if key not in taken
    ]
    if rows:
        db.session.execute(sa.insert(OutboxMessage), rows)
    return len(rows)


def queue_request(source: str, recipient: str, *, category: str, subject: str) -> None:
    """Queue one transactional message that `source` renders (or declines) when the worker sends it.

    One INSERT and nothing else, whatever the address: a request that must not say whether an account
    exists (password reset) does the same work, in the same time, either way.
    """
    now = now_utc()
    db.session.execute(
        sa.insert(OutboxMessage),
        [
            {
                "created_at": now,
                "recipient": recipient.strip()[:254],
                "subject": subject[:300],
                "body_text": "",
                "headers": {},
                "attachments": [],
                "category": category,
                "status": MessageStatus.QUEUED.value,
                "attempts": 0,
                "next_attempt_at": now,
                "bulk": False,
                "source": source,
            }
        ],
    )


def _listed():
    """Rows the outbox page shows: not a discreet source's request before it is rendered (it may be declined
    without a trace; listing it would tell which addresses have an account)."""
    discreet = discreet_sources()
    if not discreet:
        return sa.true()
    return ~sa.and_(OutboxMessage.source.in_(discreet), OutboxMessage.body_text == "")


def list_messages(actor, status: str | None = None, page: int = 1, per_page: int = 50):
    """The outbox, newest first, for coordinators."""
    require_role(actor, Role.COORDINATOR)
    stmt = sa.select(OutboxMessage).where(_listed()).order_by(OutboxMessage.id.desc())
    if status in set(MessageStatus):
        stmt = stmt.where(OutboxMessage.status == status)
    return db.paginate(stmt, page=max(1, page), per_page=per_page, max_per_page=100, error_out=False)


def count_by_status(actor) -> dict[str, int]:
    require_role(actor, Role.COORDINATOR)
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).where(_listed()).group_by(OutboxMessage.status)
    ).all()
    return {status: count for status, count in rows}


def get_message(actor, message_id: int) -> OutboxMessage:
    require_role(actor, Role.COORDINATOR)
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.id == message_id, _listed()))
    if message is None:
        raise NotFound("message")
    return message


def shown_message(actor, message: OutboxMessage) -> tuple[str, str | None] | None:
    """The text and HTML a coordinator reads for a message; a source's mail not yet sent is rendered now
    (without saving it). None when the worker will not send it (the address unsubscribed or bounced)."""
    require_role(actor, Role.COORDINATOR)
    if not message.source or message.body_text:
        return message.body_text, message.body_html
    scope = source_scope(message.source)
    if scope and is_suppressed(message.recipient, scope):
        return None
    rendered = get_source(message.source).render(message)
    return (rendered.text, rendered.html) if rendered else None


def retry_message(actor, message: OutboxMessage) -> None:
    """Put a failed message back in the queue (a coordinator fixed the address or the server)."""
    require_role(actor, Role.COORDINATOR)
    if message.status != MessageStatus.FAILED:
        raise DomainError(_("Seul un message en échec peut être renvoyé."))
    message.status = MessageStatus.QUEUED.value
    message.attempts = 0
    message.next_attempt_at = now_utc()
    message.last_error = None
    record(actor, "outbox.retried", message, recipient=message.recipient)


def forget_recipient(emails: list[str], replacement: str) -> int:
    """RGPD erasure: mail not yet sent to these addresses is cancelled, and every row to them keeps only
    its category, subject and dates (address, bodies, headers and attachments go). Returns the rows changed."""
    emails = [e.lower() for e in emails]
    to_them = sa.func.lower(OutboxMessage.recipient).in_(emails)
    waiting = (MessageStatus.QUEUED.value, MessageStatus.FAILED.value)
    db.session.execute(
        sa.update(OutboxMessage)
        .where(to_them, OutboxMessage.status.in_(waiting))
        .values(status=MessageStatus.CANCELLED.value)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(OutboxMessage)
        .where(sa.func.lower(OutboxMessage.reply_to).in_(emails))
        .values(reply_to=None)
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(to_them)
        .values(recipient=replacement, body_text="", body_html=None, headers={}, attachments=[], last_error=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


#: what a mail past its retention period keeps in place of its address
PURGED_RECIPIENT = "anonyme@invalid"


def purge_sent(before) -> int:
    """Mail sent, failed or cancelled before `before` keeps its category, subject and dates only; a dedupe
    key naming an address is replaced (the key of an old mail no longer matters). Returns the rows purged."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.status.in_((MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.CANCELLED)),
            OutboxMessage.created_at < before,
            sa.or_(OutboxMessage.recipient != PURGED_RECIPIENT, OutboxMessage.body_text != ""),
        )
        .values(
            recipient=PURGED_RECIPIENT,
            body_text="",
            body_html=None,
            reply_to=None,
            headers={},
            attachments=[],
            last_error=None,
            dedupe_key=sa.case(
                (OutboxMessage.dedupe_key.contains("@"), sa.literal("purged:") + sa.cast(OutboxMessage.id, sa.String)),
                else_=OutboxMessage.dedupe_key,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
