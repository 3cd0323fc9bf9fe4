"""The press figures coordinators read: who a send reaches, who already got it, counts per status."""

import re

from tests.fixtures_press import send_all
from tests.pages import get_page


def _contacts(make_contact):
    """Hand-counted: 4 active (2 on « ess », 1 on « emploi », 1 without beat), 1 pending, 2 unsubscribed, 1 bounced."""
    make_contact("a1@example.org", beats="ess")
    make_contact("a2@example.org", beats="ess, emploi")
    make_contact("a3@example.org", beats="emploi")
    make_contact("a4@example.org")
    make_contact("p1@example.org", status="pending")
    make_contact("u1@example.org", status="unsubscribed")
    make_contact("u2@example.org", status="unsubscribed")
    make_contact("b1@example.org", status="bounced")


def _preview(client, communique_id: int, **segment) -> str:
    url = f"/coordination/presse/communiques/{communique_id}/envoyer"
    return client.submit(url, {"action": "preview", **segment}).get_data(as_text=True)


def test_the_send_confirmation_never_counts_a_negative_or_wrong_number_of_people_already_reached(
    client, coordinator, make_contact, make_communique
):
    _contacts(make_contact)
    communique = make_communique()
    client.login(coordinator.email)

    page = _preview(client, communique.id)  # nobody has received it yet
    assert 'id="recipient-count">4 destinataires' in page
    assert "déjà reçu" not in page

    assert send_all(client, communique.id, beats="emploi") == 2  # a2 and a3
    page = _preview(client, communique.id)
    assert 'id="recipient-count">2 destinataires' in page
    assert "2 contacts de ce public l’ont déjà reçu" in page

    assert send_all(client, communique.id, beats="ess") == 1  # a1 (a2 already has it)
    page = _preview(client, communique.id, beats="ess")
    assert "Aucun nouveau destinataire" in page
    assert "2 l’ont déjà reçu" in page
    page = _preview(client, communique.id)
    assert 'id="recipient-count">1 destinataire ' in page
    assert "3 contacts de ce public l’ont déjà reçu" in page
    assert not re.search(r"-\d+ contact", page)


def _deliveries(db, communique, statuses: list[str]):
    from clubess.press.models import Delivery

    for i, status in enumerate(statuses):
        db.session.add(Delivery(communique_id=communique.id, email=f"d{i}@example.org", status=status))
    db.session.commit()


def test_the_delivery_log_and_the_list_count_each_status(client, db, coordinator, make_communique):
    sent = make_communique("Envoyé à 9")
    other = make_communique("Un autre")
    # hand count: 3 sent, 2 queued, 1 failed, 1 bounced, 2 skipped = 9; the other communiqué: 1 sent
    _deliveries(db, sent, ["sent"] * 3 + ["queued"] * 2 + ["failed", "bounced"] + ["skipped"] * 2)
    _deliveries(db, other, ["sent"])
    client.login(coordinator.email)
    page = get_page(client, f"/coordination/presse/communiques/{sent.id}/envois").get_data(as_text=True)
    assert "Tous (9)" in page
    counts = dict(re.findall(r'data-status="(\w+)">(\d+)<', page))
    assert counts == {"queued": "2", "sent": "3", "failed": "1", "bounced": "1", "skipped": "2"}
    listing = get_page(client, "/coordination/presse/communiques").get_data(as_text=True)
    assert "3 envoyés sur 9" in listing and "1 envoyé sur 1" in listing


def test_the_contact_list_counts_each_status_and_what_the_filters_keep(client, coordinator, make_contact):
    _contacts(make_contact)
    client.login(coordinator.email)
    page = get_page(client, "/coordination/presse/contacts").get_data(as_text=True)
    assert "Actif : 4 · À confirmer : 1 · Désabonné : 2 · Adresse en erreur : 1" in page
    assert "8 contacts" in page
    page = get_page(client, "/coordination/presse/contacts?statut=active&thematique=ess").get_data(as_text=True)
    assert "2 contacts" in page
    page = get_page(client, "/coordination/presse/contacts?statut=bounced").get_data(as_text=True)
    assert "1 contact<" in page
