"""Press contacts past their retention period (`flask retention run`, see core.retention and /confidentialite).

- a subscription never confirmed: deleted once its confirmation link has expired;
- a contact that received no communiqué (and was neither added nor confirmed) for the period, or that
  unsubscribed or bounced that long ago: deleted with its delivery log, like an erasure.
"""

from datetime import datetime

import sqlalchemy as sa

from clubess.core.retention import cutoff
from clubess.extensions import db
from clubess.press.models import ContactStatus, Delivery, DeliveryStatus, PressContact
from clubess.press.privacy import forget_contact


def purge_expired(now: datetime) -> dict[str, int]:
    pending = db.session.scalars(
        sa.select(PressContact).where(
            PressContact.status == ContactStatus.PENDING, PressContact.created_at < cutoff("press_pending", now)
        )
    ).all()
    limit = cutoff("press", now)
    last_sent = (
        sa.select(sa.func.max(Delivery.sent_at))
        .where(Delivery.contact_id == PressContact.id, Delivery.status == DeliveryStatus.SENT)
        .scalar_subquery()
    )
    stale = db.session.scalars(
        sa.select(PressContact).where(
            sa.or_(
                sa.and_(
                    PressContact.status == ContactStatus.ACTIVE,
                    PressContact.created_at < limit,
                    sa.or_(PressContact.confirmed_at.is_(None), PressContact.confirmed_at < limit),
                    sa.or_(last_sent.is_(None), last_sent < limit),
                ),
                sa.and_(
                    PressContact.status.in_((ContactStatus.UNSUBSCRIBED, ContactStatus.BOUNCED)),
                    sa.func.coalesce(PressContact.status_changed_at, PressContact.created_at) < limit,
                ),
            )
        )
    ).all()
    for contact in [*pending, *stale]:
        forget_contact(contact)
    return {"pending_press_subscriptions": len(pending), "press_contacts": len(stale)}
