"""A coordinator erases a press contact (RGPD): nothing in the database keeps the address afterwards."""

import sqlalchemy as sa

from clubess.mailing.models import OutboxMessage
from clubess.press.models import PressContact
from tests.members.conftest import grep_database


def test_erasing_a_press_contact_leaves_no_copy_of_the_address(client, coordinator, make_communique, db, deliver, smtp):
    from clubess.press import communiques, contacts, subscriptions

    subscriptions.request_subscription("zoe@liberation.example.org", "Zoé Lambert", "Libération", member=False)
    contact = db.session.scalar(sa.select(PressContact))
    subscriptions.confirm_subscription(contact.id, contact.email)
    first = make_communique(title="Premier communiqué")
    communiques.send(coordinator, first, contacts.Segment(), expected=1)
    db.session.commit()
    deliver()  # the confirmation and the first communiqué are sent: their bodies are in the outbox
    second = make_communique(title="Second communiqué")
    communiques.send(coordinator, second, contacts.Segment(), expected=1)
    db.session.commit()
    assert grep_database(db, ["zoe@liberation.example.org"])

    client.login(coordinator.email)
    url = f"/coordination/presse/contacts/{contact.id}"
    client.confirm(f"{url}/supprimer", expect="droit à l’effacement")
    assert grep_database(db, ["zoe@liberation.example.org"]) == []
    smtp.clear()
    deliver()
    assert smtp.messages == []  # the second communiqué, still queued, is withdrawn
    db.session.expire_all()
    statuses = sorted(db.session.scalars(sa.select(OutboxMessage.status)))
    assert statuses == ["cancelled", "sent", "sent"]
