"""Press contacts: the form, the CSV import and its report, statuses, erasure, the export, subscriptions."""

import io

import sqlalchemy as sa

from clubess.press.models import ContactStatus, LegalBasis, PressContact
from tests.pages import get_page, press_confirmation

CSV = (
    "Nom;Média;Email;Thématiques;Département;Téléphone\n"
    "Alice Martin;Le Parisien;alice@parisien.example.org;économie, ESS;93;01 23 45 67 89\n"
    "Sans adresse;Ouest;;emploi;75;\n"
    "Bob Durand;L’Humanité;pas-une-adresse;social;75;\n"
    "Alice M.;Le Parisien 93;ALICE@parisien.example.org;emploi;;\n"
    "Chloé;France Bleu;chloe@francebleu.example.org;;Seine-Saint-Denis;\n"
    "Dan;Radio;dan@radio.example.org;;99;\n"
    "Parti;Ancien;parti@ancien.example.org;;;\n"
)


def _import(client, content: str, name: str = "contacts.csv", encoding: str = "utf-8", basis: str = "interet_legitime"):
    """Upload, then confirm on the check page (when the file can be imported)."""
    response = client.submit(
        "/coordination/presse/contacts/import",
        {"file": (io.BytesIO(content.encode(encoding)), name), "legal_basis": basis},
        content_type="multipart/form-data",
    )
    return press_confirmation(client, response)


def test_import_reports_rejected_rows_merges_duplicates_and_keeps_unsubscribed(
    client, coordinator, make_contact, territories, db
):
    make_contact("parti@ancien.example.org", status=ContactStatus.UNSUBSCRIBED.value)
    client.login(coordinator.email)
    response = _import(client, CSV)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 contacts créés" in page  # alice and chloé; parti exists, three lines are refused
    assert "1 contact mis à jour" in page
    assert "1 doublon fusionné (même adresse)" in page
    assert "3 lignes refusées" in page
    # the report names each refused line and why
    assert (
        "<td>3</td><td>Sans adresse</td><td>Saisissez une adresse électronique valide, par exemple nom@commune.fr.</td>"
        in page
    )
    assert "<td>4</td><td>pas-une-adresse</td>" in page
    assert "<td>7</td><td>dan@radio.example.org</td><td>Département inconnu" in page
    assert "laissés tels quels" in page and "parti@ancien.example.org" in page

    db.session.expire_all()
    alice = db.session.scalar(sa.select(PressContact).where(PressContact.email == "alice@parisien.example.org"))
    assert alice.outlet == "Le Parisien 93"  # the later line wins…
    assert alice.beats == "économie, ess, emploi"  # …and themes add up
    assert alice.departement == "93" and alice.phone == "01 23 45 67 89"
    assert alice.legal_basis == LegalBasis.LEGITIMATE_INTEREST
    chloe = db.session.scalar(sa.select(PressContact).where(PressContact.email == "chloe@francebleu.example.org"))
    assert chloe.departement == "93"  # a département's name is understood
    parti = db.session.scalar(sa.select(PressContact).where(PressContact.email == "parti@ancien.example.org"))
    assert parti.status == ContactStatus.UNSUBSCRIBED  # an import never resubscribes


def test_import_reads_a_comma_separated_windows_file_and_refuses_a_file_without_email_column(client, coordinator, db):
    client.login(coordinator.email)
    page = _import(client, "name,outlet,email\nÉlodie,Télérama,elodie@telerama.example.org\n", encoding="cp1252")
    assert "1 contact créé" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(PressContact.name)) == "Élodie"
    response = _import(client, "nom;média\nX;Y\n")
    assert "Colonne « email » introuvable" in response.get_data(as_text=True)
    response = _import(client, "x", name="contacts.xlsx")
    assert "Seuls les fichiers .csv sont acceptés." in response.get_data(as_text=True)


def test_contact_form_refuses_bad_input_field_by_field_and_keeps_what_was_typed(
    client, coordinator, make_contact, territories
):
    make_contact("alice@parisien.example.org")
    client.login(coordinator.email)
    response = client.submit(
        "/coordination/presse/contacts/nouveau",
        {
            "name": "Zoé <b>",
            "outlet": "Libération",
            "outlet_kind": "nationale",
            "email": "alice@parisien.example.org",
            "departement": "Gironde-sur-Mer",
            "phone": "abc",
            "legal_basis": "interet_legitime",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Les chevrons" in page
    response = client.submit(
        "/coordination/presse/contacts/nouveau",
        {
            "name": "Zoé",
            "outlet": "Libération",
            "outlet_kind": "nationale",
            "email": "alice@parisien.example.org",
            "departement": "Gironde-sur-Mer",
            "phone": "abc",
            "legal_basis": "interet_legitime",
        },
    )
    page = response.get_data(as_text=True)
    assert "Cette adresse est déjà dans la liste" in page
    assert "Département inconnu" in page
    assert "Numéro de téléphone non valide." in page
    assert 'value="Libération"' in page


def test_a_coordinator_creates_edits_reactivates_and_erases_a_contact(
    client, coordinator, make_contact, make_communique, db
):
    client.login(coordinator.email)
    response = client.submit(
        "/coordination/presse/contacts/nouveau",
        {
            "name": "Zoé",
            "outlet": "Libération",
            "outlet_kind": "nationale",
            "email": "Zoe@Liberation.example.org",
            "beats": "Économie ; ESS",
            "departement": "75",
            "legal_basis": "interet_legitime",
        },
    )
    assert response.status_code == 302
    zoe = db.session.scalar(sa.select(PressContact))
    assert (zoe.email, zoe.beats, zoe.status) == ("zoe@liberation.example.org", "économie, ess", "active")

    zoe.status = ContactStatus.BOUNCED.value
    db.session.commit()
    url = f"/coordination/presse/contacts/{zoe.id}"
    assert "Réactiver l’adresse" in get_page(client, url).get_data(as_text=True)
    client.submit(f"{url}/statut", {"status": "active"}, form_url=url)
    assert db.session.scalar(sa.select(PressContact.status)) == "active"

    asked = client.submit(f"{url}/statut", {"status": "unsubscribed"}, form_url=url)
    assert "seule la personne le peut" in asked.get_data(as_text=True)
    assert db.session.scalar(sa.select(PressContact.status)) == "active"  # not before the confirmation
    client.confirm(f"{url}/statut?status=unsubscribed")
    db.session.expire_all()
    assert db.session.scalar(sa.select(PressContact.status)) == "unsubscribed"
    response = client.submit(f"{url}/statut", {"status": "active"}, form_url=url, follow_redirects=True)
    assert "lui seul peut se réabonner" in response.get_data(as_text=True)

    # erasure takes the delivery log with it and withdraws what is still queued
    from clubess.mailing.models import OutboxMessage
    from clubess.press import communiques, contacts
    from clubess.press.models import Delivery

    zoe = db.session.get(PressContact, zoe.id)
    zoe.status = "active"
    communique = make_communique()
    communiques.send(coordinator, communique, contacts.Segment(), expected=1)
    db.session.commit()
    client.confirm(f"{url}/supprimer", expect="droit à l’effacement")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PressContact)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 0
    assert db.session.scalar(sa.select(OutboxMessage.status)) == "cancelled"


def test_export_is_a_formula_safe_csv_of_the_filtered_list(client, coordinator, make_contact):
    make_contact("alice@parisien.example.org", name="=HYPERLINK(1)", departement="93")
    make_contact("bob@lemonde.example.org", departement="75")
    client.login(coordinator.email)
    response = client.get("/coordination/presse/contacts.csv?departement=93")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "'=HYPERLINK(1)" in text and "alice@parisien.example.org" in text
    assert "bob@lemonde.example.org" not in text


def test_members_and_visitors_cannot_reach_the_press_back_office(client, make_user, make_contact):
    member = make_user(email="membre@example.org")
    client.login(member.email)
    assert client.get("/coordination/presse/contacts").status_code == 403
    assert client.get("/coordination/presse/communiques").status_code == 403


def test_contacts_page_runs_a_bounded_number_of_queries(client, coordinator, make_contact, count_queries):
    client.login(coordinator.email)
    for n in range(3):
        make_contact(f"a{n}@example.org", beats="ess", departement="93")
    with count_queries() as few:
        get_page(client, "/coordination/presse/contacts")
    for n in range(30):
        make_contact(f"b{n}@example.org", beats=f"thème {n}", departement="75")
    with count_queries() as many:
        get_page(client, "/coordination/presse/contacts")
    assert many.count == few.count


def test_anyone_subscribes_by_confirming_a_mail_and_then_receives_communiques(
    client, app, coordinator, make_communique, smtp, deliver, db
):
    response = client.submit(
        "/presse/abonnement",
        {"email": "lectrice@example.org", "name": "Lectrice", "outlet": "Blog ESS", "consent": "y"},
    )
    assert "Vérifiez votre messagerie" in response.get_data(as_text=True)
    contact = db.session.scalar(sa.select(PressContact))
    assert contact.status == ContactStatus.PENDING and contact.legal_basis == LegalBasis.CONSENT
    deliver()
    link = smtp.link_path(smtp.to("lectrice@example.org")[0], "/presse/abonnement/")

    # a pending address receives nothing
    client.login(coordinator.email)
    communique = make_communique()
    page = client.submit(f"/coordination/presse/communiques/{communique.id}/envoyer", {"action": "preview"})
    assert "Aucun nouveau destinataire" in page.get_data(as_text=True)

    visitor = app.test_client_class(app, app.response_class, use_cookies=True)
    assert "Confirmer mon abonnement" in get_page(visitor, link).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(PressContact.status)) == "pending"  # a GET changes nothing
    response = visitor.submit(link)
    assert "Abonnement confirmé" in response.get_data(as_text=True)
    db.session.expire_all()
    contact = db.session.scalar(sa.select(PressContact))
    assert contact.status == "active" and contact.confirmed_at is not None

    assert visitor.get("/presse/abonnement/not-a-token").status_code == 400


def test_the_subscription_form_needs_consent_and_a_valid_address(client, db):
    response = client.submit("/presse/abonnement", {"email": "pas-une-adresse", "name": "X"})
    page = response.get_data(as_text=True)
    assert "Cochez la case pour vous abonner." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PressContact)) == 0
    response = client.submit("/presse/abonnement", {"email": "pas-une-adresse", "consent": "y"})
    assert "Saisissez une adresse électronique valide" in response.get_data(as_text=True)


def test_a_logged_in_member_finds_the_form_filled_with_their_address(client, make_user):
    member = make_user(email="elue@montreuil.example.org")
    client.login(member.email)
    page = get_page(client, "/presse/abonnement").get_data(as_text=True)
    assert 'value="elue@montreuil.example.org"' in page


def test_import_queries_do_not_grow_with_its_lines(client, coordinator, territories, count_queries, db):
    client.login(coordinator.email)

    def csv_of(n: int, start: int) -> str:
        lines = [f"Journaliste {i};Média;j{i}@example.org;ess;Seine-Saint-Denis;" for i in range(start, start + n)]
        return "nom;média;email;thématiques;département;téléphone\n" + "\n".join(lines) + "\n"

    with count_queries() as few:
        assert "2 contacts créés" in _import(client, csv_of(2, 0)).get_data(as_text=True)
    with count_queries() as many:
        assert "40 contacts créés" in _import(client, csv_of(40, 100)).get_data(as_text=True)
    assert many.count == few.count
