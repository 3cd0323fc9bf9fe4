"""What an address decides for itself: subscribing to the communiqués (confirmed by mail), unsubscribing; bounces."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError, NotFound
from clubess.core.tokens import InvalidToken, make_token, read_token
from clubess.extensions import db
from clubess.mailing.models import Scope
from clubess.mailing.suppression import lift
from clubess.press.contacts import contact_by_email, normalize_email
from clubess.press.models import ContactStatus, LegalBasis, OutletKind, PressContact

#: the confirmation link mailed to someone who subscribes (valid PRESS_SUBSCRIBE_TOKEN_MAX_AGE seconds)
SUBSCRIBE_PURPOSE = "press-subscribe"


def stop_communiques(email: str) -> int:
    """Unsubscribe handler: the address gets no more communiqués; returns how many contacts changed."""
    result = db.session.execute(
        sa.update(PressContact)
        .where(
            PressContact.email == email.lower(),
            PressContact.status.in_([ContactStatus.ACTIVE, ContactStatus.PENDING]),
        )
        .values(status=ContactStatus.UNSUBSCRIBED.value, status_changed_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def mark_bounced(contact_id: int, reason: str) -> None:
    """The mail server refused the address for good: hold it until a coordinator reactivates it."""
    db.session.execute(
        sa.update(PressContact)
        .where(PressContact.id == contact_id, PressContact.status != ContactStatus.UNSUBSCRIBED)
        .values(status=ContactStatus.BOUNCED.value, status_changed_at=now_utc(), bounce_reason=reason[:500])
        .execution_options(synchronize_session=False)
    )
    record(None, "press.contact_bounced", None, contact_id=contact_id, reason=reason[:200])


def request_subscription(email: str, name: str, outlet: str, member: bool) -> PressContact:
    """Someone asks for the communiqués: a pending contact (or the existing one) and a confirmation mail.

    The answer is the same whether or not the address is known: the form reveals nothing.
    """
    from clubess.press.mail import queue_subscription_confirmation

    email = normalize_email(email)
    contact = contact_by_email(email)
    if contact is None:
        contact = PressContact(
            email=email,
            name=" ".join(name.split())[:200],
            outlet=" ".join(outlet.split())[:200],
            outlet_kind=(OutletKind.MEMBER if member else OutletKind.OTHER).value,
            legal_basis=LegalBasis.CONSENT.value,
            source=_("abonnement"),
            status=ContactStatus.PENDING.value,
            status_changed_at=now_utc(),
        )
        db.session.add(contact)
        db.session.flush()
    queue_subscription_confirmation(contact)
    record(None, "press.subscription_requested", contact, email=email)
    return contact


def subscription_token(contact: PressContact) -> str:
    return make_token(SUBSCRIBE_PURPOSE, {"c": contact.id, "e": contact.email})


def read_subscription_token(token: str) -> tuple[int, str]:
    """(contact id, email) of a confirmation link, or DomainError when it is forged or older than 7 days."""
    try:
        data = read_token(SUBSCRIBE_PURPOSE, token, current_app.config["PRESS_SUBSCRIBE_TOKEN_MAX_AGE"])
        return int(data["c"]), str(data["e"])
    except (InvalidToken, KeyError, TypeError, ValueError):
        raise DomainError(
            _("Ce lien de confirmation n’est pas valide ou a expiré : abonnez-vous de nouveau.")
        ) from None


def confirm_subscription(contact_id: int, email: str) -> PressContact:
    """The link in the confirmation mail was followed: the address receives communiqués from now on."""
    contact = db.session.get(PressContact, contact_id)
    if contact is None or contact.email != email:
        raise NotFound(_("Ce lien ne correspond à aucun abonnement."))
    if contact.status != ContactStatus.ACTIVE:
        contact.status = ContactStatus.ACTIVE.value
        contact.status_changed_at = now_utc()
        contact.bounce_reason = ""
    contact.confirmed_at = now_utc()
    contact.legal_basis = LegalBasis.CONSENT.value
    lift(email, Scope.COMMUNIQUES)  # the person themself subscribed again and confirmed from the mail
    record(None, "press.subscription_confirmed", contact, email=email)
    return contact
