"""A structure asks to be listed; coordinators accept, refuse or archive it."""

import sqlalchemy as sa

from clubess.actors.models import Organisation, Solution
from clubess.core.audit import AuditEvent
from clubess.mailing.models import OutboxMessage
from tests.pages import get_page

REQUEST = {
    "name": "Les Jardins de Rosny",
    "kind": "siae",
    "siret": "732 829 320 00074",
    "territories": "93, Montreuil",
    "website": "https://jardins.example.org",
    "description": "Chantier d’insertion en maraîchage.",
    "contact_name": "Léa Petit",
    "contact_email": "lea@jardins.example.org",
    "with_solution": "y",
    "solution_title": "Des légumes bio pour la restauration collective",
    "solution_lever": "achats_responsables",
    "solution_summary": "Nos salariés en insertion cultivent et livrent les cantines.",
    "solution_themes": "insertion, alimentation",
    "consent": "y",
}


def test_a_structure_asks_to_be_listed_with_a_solution_and_a_coordinator_accepts(client, db, territories, coordinator):
    get_page(client, "/acteurs/proposer")
    response = client.submit("/acteurs/proposer", REQUEST)
    assert response.status_code == 302 and response.location.endswith("/acteurs/proposer/envoye")
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.status == "pending" and organisation.siret == "73282932000074"
    assert organisation.consent_at is not None and "annuaire des acteurs de l’ESS" in organisation.consent_text
    assert sorted(t.code for t in organisation.territories) == ["93", "93048"]
    solution = organisation.solutions[0]
    assert solution.status == "submitted" and solution.themes == ["insertion", "alimentation"]
    assert "Les Jardins de Rosny" not in get_page(client, "/acteurs").get_data(as_text=True)
    assert client.get(f"/acteurs/solutions/{solution.id}").status_code == 404

    client.login(coordinator.email)
    listing = get_page(client, "/coordination/acteurs").get_data(as_text=True)
    assert "1 demande d’inscription à examiner" in listing
    page = get_page(client, f"/coordination/acteurs/{organisation.id}").get_data(as_text=True)
    assert "Accord donné le" in page
    client.confirm(
        f"/coordination/acteurs/{organisation.id}/accepter",
        {},
        form_url=f"/coordination/acteurs/{organisation.id}",
        expect="Sa solution proposée est publiée",
    )
    db.session.expire_all()
    assert organisation.status == "active" and solution.status == "published"
    assert "approuvée" not in get_page(client, f"/acteurs/solutions/{solution.id}").get_data(as_text=True)
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "organisation.approved"))


def test_a_refused_request_is_mailed_its_reason(client, db, territories, coordinator):
    client.submit("/acteurs/proposer", REQUEST)
    organisation = db.session.scalar(sa.select(Organisation))
    client.login(coordinator.email)
    url = f"/coordination/acteurs/{organisation.id}"
    empty = client.submit(f"{url}/refuser", {"reason": ""}, form_url=url)
    assert empty.status_code == 200 and "Indiquez la raison du refus" in empty.get_data(as_text=True)
    client.submit(f"{url}/refuser", {"reason": "Votre structure n’est pas en Île-de-France."}, form_url=url)
    db.session.expire_all()
    assert organisation.status == "rejected" and organisation.solutions[0].status == "archived"
    mail = db.session.scalar(sa.select(OutboxMessage))
    assert mail.recipient == "lea@jardins.example.org" and "pas en Île-de-France" in mail.body_text


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(client, db, territories):
    wrong = dict(REQUEST, siret="73282932000075", website="javascript:alert(1)", territories="Atlantide", consent="")
    html = client.submit("/acteurs/proposer", wrong).get_data(as_text=True)
    assert "Votre accord est nécessaire" in html
    assert "Les Jardins de Rosny" in html and "Des légumes bio pour la restauration collective" in html
    html = client.submit("/acteurs/proposer", dict(wrong, consent="y")).get_data(as_text=True)
    assert "SIRET n’est pas valide" in html or "Territoire inconnu" in html
    html = client.submit("/acteurs/proposer", dict(REQUEST, website="javascript:alert(1)")).get_data(as_text=True)
    assert "http:// ou https://" in html
    html = client.submit("/acteurs/proposer", dict(REQUEST, siret="73282932000075")).get_data(as_text=True)
    assert "SIRET n’est pas valide" in html
    html = client.submit("/acteurs/proposer", dict(REQUEST, with_solution="y", solution_title="")).get_data(
        as_text=True
    )
    assert "Indiquez le titre de la solution" in html
    huge = dict(REQUEST, name="x" * 5000, solution_summary="\x00" * 10, contact_email="é@x.fr")
    assert client.submit("/acteurs/proposer", huge).status_code in (200, 400)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_the_honeypot_and_the_csrf_token_keep_bots_out(client, db, territories):
    assert client.submit("/acteurs/proposer", dict(REQUEST, homepage="http://spam.example")).status_code == 302
    assert client.post("/acteurs/proposer", data=REQUEST).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_requests_are_rate_limited(client, db, territories):
    for n in range(10):
        assert client.submit("/acteurs/proposer", dict(REQUEST, name=f"Structure {n}")).status_code == 302
    assert client.submit("/acteurs/proposer", dict(REQUEST, name="Une de trop")).status_code == 429


def test_archiving_asks_first_and_takes_the_solutions_out(client, db, actors, coordinator):
    client.login(coordinator.email)
    listed = actors["listed"]
    response = client.confirm(
        f"/coordination/acteurs/{listed.id}/archiver", expect="Sa solution publiée ne sera plus proposée"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert listed.status == "archived" and actors["published"].status == "archived"
    assert client.get(f"/acteurs/{listed.id}").status_code == 200  # the coordinator still sees it
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "organisation.archived"))


def test_coordinators_add_a_structure_and_a_solution(client, db, territories, coordinator):
    client.login(coordinator.email)
    get_page(client, "/coordination/acteurs/nouveau")
    response = client.submit(
        "/coordination/acteurs/nouveau", {"name": "CRESS Île-de-France", "kind": "reseau", "territories": "11"}
    )
    assert response.status_code == 302
    organisation = db.session.scalar(sa.select(Organisation))
    url = f"/coordination/acteurs/{organisation.id}/solutions/nouvelle"
    get_page(client, url)
    bad = client.submit(url, {"solution_title": "", "solution_lever": "nope"})
    assert "Le titre est obligatoire" in bad.get_data(as_text=True) or "Levier inconnu" in bad.get_data(as_text=True)
    asked = client.submit(
        url, {"solution_title": "Former les élus à l’ESS", "solution_lever": "animation_sensibilisation"}
    )
    solution = db.session.scalar(sa.select(Solution))
    assert asked.status_code == 302 and solution.status == "submitted"  # saved, published once confirmed
    client.confirm(asked.location, expect="Publier « Former les élus à l’ESS » ?")
    db.session.expire_all()
    assert solution.status == "published" and [t.code for t in solution.territories] == ["11"]
    get_page(client, f"/coordination/acteurs/solutions/{solution.id}")
    get_page(client, "/coordination/acteurs/solutions?statut=published")
    client.confirm(
        f"/coordination/acteurs/solutions/{solution.id}/archiver",
        {},
        form_url=f"/coordination/acteurs/solutions/{solution.id}",
        expect="La solution sort de l’annuaire des acteurs",
    )
    db.session.expire_all()
    assert solution.status == "archived"
    assert client.get("/coordination/acteurs").status_code == 200


def test_the_back_office_is_for_coordinators(client, actors, active_collectivity):
    assert client.get("/coordination/acteurs").status_code == 302
    client.login("helene@montreuil.fr")
    for url in (
        "/coordination/acteurs",
        f"/coordination/acteurs/{actors['listed'].id}",
        "/coordination/acteurs/solutions",
    ):
        assert client.get(url).status_code == 403, url
