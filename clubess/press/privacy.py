"""A person's press data (a contact with their address, its delivery log, communiqués they wrote): the RGPD
export, and the erasure of an address from the press list."""

import sqlalchemy as sa

from clubess.core.privacy import erased_label, needles_of, scrub_everywhere
from clubess.extensions import db
from clubess.mailing.services import forget_recipient
from clubess.mailing.suppression import forget_addresses
from clubess.press.communiques import cancel_queued_for
from clubess.press.models import Communique, Delivery, PressContact


def _iso(value):
    return value.isoformat() if value else None


def export(emails: list[str], user_id: int) -> dict:
    contacts = db.session.scalars(
        sa.select(PressContact).where(PressContact.email.in_(emails or [""])).order_by(PressContact.id)
    ).all()
    deliveries = db.session.execute(
        sa.select(Delivery, Communique.title)
        .join(Communique, Communique.id == Delivery.communique_id)
        .where(sa.func.lower(Delivery.email).in_(emails or [""]))
        .order_by(Delivery.id)
    ).all()
    created = db.session.scalars(
        sa.select(Communique).where(Communique.created_by_id == user_id).order_by(Communique.id)
    ).all()
    return {
        "press_contact": [
            {
                "email": c.email,
                "name": c.name,
                "outlet": c.outlet,
                "beats": c.beats,
                "departement": c.departement,
                "phone": c.phone,
                "legal_basis": c.legal_basis,
                "source": c.source,
                "status": c.status,
                "confirmed_at": _iso(c.confirmed_at),
                "created_at": _iso(c.created_at),
                "deliveries": [
                    {
                        "communique": title,
                        "status": d.status,
                        "queued_at": _iso(d.queued_at),
                        "sent_at": _iso(d.sent_at),
                    }
                    for d, title in deliveries
                    if d.email.lower() == c.email
                ],
            }
            for c in contacts
        ],
        "communiques_created": [
            {"title": c.title, "status": c.status, "created_at": _iso(c.created_at)} for c in created
        ],
    }


def erase_addresses(emails: list[str]) -> int:
    """The contacts with these addresses, and every delivery to them, are deleted; communiqués still queued
    for them are withdrawn. Returns how many contacts went. The caller checked who may do it."""
    emails = [e.lower() for e in emails]
    ids = list(db.session.scalars(sa.select(PressContact.id).where(PressContact.email.in_(emails or [""]))))
    for contact_id in ids:
        cancel_queued_for(contact_id)
    db.session.execute(
        sa.delete(Delivery).where(
            sa.or_(Delivery.contact_id.in_(ids or [-1]), sa.func.lower(Delivery.email).in_(emails or [""]))
        )
    )
    db.session.execute(
        sa.delete(PressContact).where(PressContact.id.in_(ids or [-1])).execution_options(synchronize_session="fetch")
    )
    return len(ids)


def forget_contact(contact: PressContact) -> None:
    """A coordinator erases a press contact: the contact and its deliveries go, the mail to the address is
    cancelled and emptied, and the address leaves the audit log and any other copy."""
    email, label = contact.email, erased_label(f"presse-{contact.id}")
    erase_addresses([email])
    forget_recipient([email], f"anonyme-presse-{contact.id}@invalid")
    forget_addresses([email], keep_objection=False)  # an unsubscribe outlives the erasure, the address does not
    db.session.flush()
    scrub_everywhere(db.session, needles_of([email]), label)
    db.session.expire_all()
