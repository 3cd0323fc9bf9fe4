"""Outbox messages: every mail is a row first, delivered later by the worker."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clubess.core import versions
from clubess.core.db import Base, UtcDateTime, enum_check, now_utc


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        enum_check("status", MessageStatus),
        sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        sa.Index("ix_outbox_messages_bulk_sent", "bulk", "sent_at"),
        sa.Index("ix_outbox_messages_source", "source", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    #: a coordinator's address goes here, never in From
    reply_to: Mapped[str | None] = mapped_column(sa.String(254))
    headers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: [{"filename", "content_type", "data" (base64)}]
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: what kind of mail this is (e.g. "auth.reset_password"); bulk categories carry unsubscribe headers
    category: Mapped[str] = mapped_column(sa.String(60), index=True)
    template: Mapped[str | None] = mapped_column(sa.String(120))
    status: Mapped[str] = mapped_column(sa.String(20), default=MessageStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    #: while a worker holds the message; after this instant another worker may take it over
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    claim_token: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: bulk mail (it carries List-Unsubscribe) is throttled and goes after transactional mail
    bulk: Mapped[bool] = mapped_column(default=False)
    #: mail rendered when it is sent (see mailing.sources): the source's name and the row it reads
    source: Mapped[str | None] = mapped_column(sa.String(40))
    source_id: Mapped[int | None] = mapped_column()
    #: the same key is never queued (so never sent) twice
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.category} to {self.recipient} {self.status}>"


class Scope(enum.StrEnum):
    """The lists a person can leave on their own; each bulk mail belongs to one."""

    INVITATIONS = "invitations"
    COMMUNIQUES = "communiques"
    DIGEST = "digest"
    #: what follows a meeting the person attended: its minutes and its satisfaction questionnaire
    SUIVI = "suivi"


class SuppressionReason(enum.StrEnum):
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    #: the person had their data erased: only a fingerprint of the address stays, so nothing reaches it again
    ERASED = "erased"


class Suppression(Base):
    """An address that must not receive a list any more: it unsubscribed, or the server refused it for good.

    Every audience builder leaves it out, and the worker checks it again before it sends. Only the
    person themself lifts it (by subscribing again through a form that records their consent).
    """

    __tablename__ = "mail_suppressions"
    __table_args__ = (
        enum_check("scope", Scope),
        enum_check("reason", SuppressionReason),
        sa.UniqueConstraint("email", "scope", name="uq_mail_suppressions_email_scope"),
        sa.Index("ix_mail_suppressions_scope_created", "scope", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: lower case, as `core.emails.lookup_key` writes it; after an erasure, the address's fingerprint
    #: (`suppression.fingerprint`: "sha256:<hex>"), which matches the address without holding it
    email: Mapped[str] = mapped_column(sa.String(254))
    scope: Mapped[str] = mapped_column(sa.String(20))
    reason: Mapped[str] = mapped_column(sa.String(20))
    #: the server's answer for a bounce
    detail: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)

    def __repr__(self) -> str:
        return f"<Suppression {self.email} {self.scope} {self.reason}>"


#: the outbox changes with every mail sent: no cached page part depends on it
versions.ignore("outbox_messages", "mail_suppressions")
