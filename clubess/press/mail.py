"""The communiqué as a mail, rendered by the worker for each delivery, and the subscription confirmation."""

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import undefer

from clubess.extensions import db
from clubess.mailing.models import OutboxMessage, Scope
from clubess.mailing.services import external_url, queue, render_email, unsubscribe_headers
from clubess.mailing.sources import Outcome, Rendered
from clubess.press import communiques as service
from clubess.press.models import Communique, CommuniqueAttachment, ContactStatus, Delivery, DeliveryStatus, PressContact
from clubess.press.subscriptions import mark_bounced, subscription_token

#: the attachments of the communiqués being sent, read once per worker: {(id, updated_at): [(name, type, bytes)]}
_attachment_cache: dict[tuple, list[tuple[str, str, bytes]]] = {}


def _attachments(communique: Communique) -> list[tuple[str, str, bytes]]:
    key = (communique.id, communique.updated_at)
    if key not in _attachment_cache:
        if len(_attachment_cache) > 4:
            _attachment_cache.clear()
        rows = db.session.scalars(
            sa.select(CommuniqueAttachment)
            .where(CommuniqueAttachment.communique_id == communique.id)
            .options(undefer(CommuniqueAttachment.data))
            .order_by(CommuniqueAttachment.id)
        )
        _attachment_cache[key] = [(a.filename, a.content_type, a.data) for a in rows]
    return _attachment_cache[key]


def render_communique(
    communique: Communique, email: str, attachments: list[tuple[str, str, bytes]] | None = None
) -> Rendered:
    """The mail one address receives: the embargo line while it holds, its own unsubscribe link.

    Without `attachments` (the preview), the mail names the communiqué's files but carries none.
    """
    unsubscribe_url, headers = unsubscribe_headers(email, Scope.COMMUNIQUES)
    under_embargo = communique.embargo_until is not None and communique.embargo_until > service.now_utc()
    names = [a[0] for a in attachments] if attachments is not None else [a.filename for a in communique.attachments]
    subject, text, html = render_email(
        "press/communique",
        {
            "communique": communique,
            "attachment_names": names,
            "under_embargo": under_embargo,
            "web_url": external_url("press.show", slug=communique.slug),
            "unsubscribe_url": unsubscribe_url,
        },
    )
    return Rendered(
        subject=subject,
        text=text,
        html=html,
        reply_to=service.club_press_contact()["email"],
        headers=headers,
        attachments=attachments or [],
    )


class DeliverySource:
    """Outbox messages that are deliveries of a communiqué (`source_id` is the Delivery's id)."""

    name = service.SOURCE

    def render(self, message: OutboxMessage) -> Rendered | None:
        # One query per message: the worker commits after each one, so nothing stays loaded.
        row = db.session.execute(
            sa.select(Delivery.email, PressContact.status, Communique)
            .join(PressContact, PressContact.id == Delivery.contact_id)
            .join(Communique, Communique.id == Delivery.communique_id)
            .where(Delivery.id == message.source_id)
        ).first()
        if row is None:
            return None  # the contact was erased
        email, status, communique = row
        if status != ContactStatus.ACTIVE:
            return None  # unsubscribed or bounced since it was queued
        return render_communique(communique, email, _attachments(communique))

    def outcome(self, message: OutboxMessage, outcome: str, error: str = "") -> bool:
        """Log the delivery; a bounce holds the contact (a coordinator may reactivate a fixed address), so the
        address does not go on the suppression list."""
        status = {
            Outcome.SENT: DeliveryStatus.SENT,
            Outcome.FAILED: DeliveryStatus.FAILED,
            Outcome.BOUNCED: DeliveryStatus.BOUNCED,
            Outcome.SKIPPED: DeliveryStatus.SKIPPED,
        }[outcome]
        values = {"status": status.value, "error": (error or "")[:500]}
        if outcome == Outcome.SENT:
            values["sent_at"] = message.sent_at
        contact_id = db.session.scalar(
            sa.update(Delivery).where(Delivery.id == message.source_id).values(**values).returning(Delivery.contact_id)
        )
        if outcome == Outcome.BOUNCED and contact_id is not None:
            mark_bounced(contact_id, error)
            return True
        return False


def preview_mail(communique: Communique, email: str) -> Rendered:
    return render_communique(communique, email)


def queue_subscription_confirmation(contact: PressContact) -> OutboxMessage:
    token = subscription_token(contact)
    return queue(
        contact.email,
        "press/confirm_subscription",
        {
            "confirm_url": external_url("press.confirm_subscription", token=token),
            "contact": contact,
            "link_days": current_app.config["PRESS_SUBSCRIBE_TOKEN_MAX_AGE"] // 86400,
        },
        category="press.subscription",
    )
