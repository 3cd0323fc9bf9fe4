"""The press contacts import in two steps: the check page states what the import will do (created, updated,
merged, refused lines, unsubscribed addresses left alone) and writes nothing; its button writes exactly that,
for the coordinator who uploaded the file only."""

import io

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from clubess.core.audit import AuditEvent
from clubess.press.models import ContactStatus, PressContact
from tests.pages import check_page, confirmation_form, effects_of
from tests.press.test_contacts import CSV

URL = "/coordination/presse/contacts/import"
EFFECTS = [
    "2 contacts seront créés.",
    "1 contact sera mis à jour (les thématiques s’ajoutent).",
    "1 doublon sera fusionné (même adresse).",
    "3 lignes refusées, qui ne seront pas importées.",
    "1 adresse désabonnée ou en erreur restera telle quelle.",
]


def _state(db) -> list:
    db.session.expire_all()
    contacts = db.session.execute(
        sa.select(PressContact.email, PressContact.name, PressContact.outlet, PressContact.beats).order_by(
            PressContact.email
        )
    ).all()
    return [contacts, db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))]


def _upload(client, content: str = CSV):
    return client.submit(
        URL, {"file": (io.BytesIO(content.encode()), "contacts.csv"), "legal_basis": "interet_legitime"}
    )


def test_the_upload_states_the_counts_and_writes_nothing(client, coordinator, make_contact, territories, db):
    make_contact("parti@ancien.example.org", status=ContactStatus.UNSUBSCRIBED.value)
    make_contact("alice@parisien.example.org", outlet="Ancien média")
    client.login(coordinator.email)
    before = _state(db)
    response = _upload(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    check_page(html)
    assert effects_of(html) == [
        "1 contact sera créé.",
        "2 contacts seront mis à jour (les thématiques s’ajoutent).",
        "1 doublon sera fusionné (même adresse).",
        "3 lignes refusées, qui ne seront pas importées.",
        "1 adresse désabonnée ou en erreur restera telle quelle.",
    ]
    # each refused line, with its number and reason, as the report says it
    assert "<td>4</td><td>pas-une-adresse</td>" in html
    assert "<td>7</td><td>dan@radio.example.org</td><td>Département inconnu" in html
    assert "parti@ancien.example.org" in html
    assert _state(db) == before


def test_confirming_writes_what_the_check_announced(client, coordinator, make_contact, territories, db):
    make_contact("parti@ancien.example.org", status=ContactStatus.UNSUBSCRIBED.value)
    client.login(coordinator.email)
    html = _upload(client).get_data(as_text=True)
    assert effects_of(html) == EFFECTS
    action, fields = confirmation_form(html)
    page = client.post(action, data=MultiDict(fields)).get_data(as_text=True)
    assert "2 contacts créés" in page and "1 contact mis à jour" in page and "3 lignes refusées" in page
    db.session.expire_all()
    emails = set(db.session.scalars(sa.select(PressContact.email)))
    assert emails == {"alice@parisien.example.org", "chloe@francebleu.example.org", "parti@ancien.example.org"}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "press.contacts_imported"))
    assert (event.details["created"], event.details["updated"], event.details["rejected"]) == (2, 1, 3)
    # pressed again: the file is gone, nothing more is written
    again = client.post(action, data=MultiDict(fields))
    assert again.status_code == 400 and "Ce fichier n’est plus disponible" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 1


def test_another_coordinator_cannot_confirm_the_upload(client, app, coordinator, make_user, territories, db):
    make_user(role="coordinator", email="autre@example.org")
    client.login(coordinator.email)
    fields = dict(confirmation_form(_upload(client).get_data(as_text=True))[1])
    other = app.test_client()
    other.login("autre@example.org")
    response = other.submit(URL, {"jeton": fields["jeton"], "confirmed": "yes"})
    assert response.status_code == 400
    assert "déposé par une autre personne" in response.get_data(as_text=True)
    assert _state(db)[0] == []


def test_a_forged_token_is_refused_clearly(client, coordinator, db):
    client.login(coordinator.email)
    for token in ["", "../x", "é" * 40, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]:
        response = client.submit(URL, {"jeton": token, "confirmed": "yes"})
        assert response.status_code == 400
        assert "Ce fichier n’est plus disponible" in response.get_data(as_text=True)


def test_contacts_changed_since_the_check_are_refused_and_checked_again(
    client, coordinator, make_contact, territories, db
):
    client.login(coordinator.email)
    action, fields = confirmation_form(_upload(client).get_data(as_text=True))
    make_contact("chloe@francebleu.example.org", status=ContactStatus.BOUNCED.value)  # added meanwhile
    response = client.post(action, data=MultiDict(fields))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Les contacts ont changé depuis la vérification" in html
    assert effects_of(html)[:2] == [
        "2 contacts seront créés.",
        "1 contact sera mis à jour (les thématiques s’ajoutent).",
    ]
    assert _state(db)[0][0][0] == "chloe@francebleu.example.org" and len(_state(db)[0]) == 1
    action, fields = confirmation_form(html)
    assert "2 contacts créés" in client.post(action, data=MultiDict(fields)).get_data(as_text=True)
