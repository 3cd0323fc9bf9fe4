"""The press figures coordinators read: who a send reaches, who already got it, counts per status."""

import re

from tests.fixtures_press import send_all


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
