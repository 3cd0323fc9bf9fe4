"""Writing a communiqué, its attachments, the previews, the embargo and the public press room."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.press import communiques
from clubess.press.models import Communique, CommuniqueAttachment
from tests.fixtures_press import PDF, attach, png, send_all
from tests.pages import get_page

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def move_clock(monkeypatch):
    """Move the clock the press room reads (`communiques.now_utc`) by some hours."""

    def move(hours: float):
        real = communiques.now_utc
        monkeypatch.setattr(communiques, "now_utc", lambda: real() + timedelta(hours=hours))

    return move


def test_a_coordinator_writes_a_communique_with_an_embargo_in_paris_time(client, coordinator, db):
    client.login(coordinator.email)
    form = get_page(client, "/coordination/presse/communiques/nouveau").get_data(as_text=True)
    assert "presse@club-ess.example.org" in form  # the club's press contact is prefilled
    response = client.submit(
        "/coordination/presse/communiques/nouveau",
        {
            "title": "Le club fête ses 2 ans !",
            "standfirst": "Deux ans d’échanges.",
            "body": "Texte **important**.",
            "contact_block": "Service presse",
            "embargo_date": "2027-01-15",
            "embargo_time": "10:00",
        },
    )
    assert response.status_code == 302
    communique = db.session.scalar(sa.select(Communique))
    assert communique.slug == "le-club-fete-ses-2-ans"
    assert communique.embargo_until.isoformat() == "2027-01-15T09:00:00+00:00"  # 10:00 in Paris, winter
    page = get_page(client, f"/coordination/presse/communiques/{communique.id}").get_data(as_text=True)
    assert 'value="10:00"' in page and 'value="2027-01-15"' in page


def test_bad_input_is_shown_field_by_field_and_nothing_is_lost(client, coordinator, db):
    client.login(coordinator.email)
    response = client.submit(
        "/coordination/presse/communiques/nouveau",
        {"title": "", "body": "Mon texte à garder", "embargo_date": "2020-01-01", "embargo_time": "10:00"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Donnez un titre au communiqué." in page
    assert "Mon texte à garder" in page
    response = client.submit(
        "/coordination/presse/communiques/nouveau",
        {"title": "Titre", "body": "Mon texte à garder", "embargo_date": "2020-01-01", "embargo_time": "10:00"},
    )
    assert "L’embargo doit finir dans le futur." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Communique)) == 0


def test_attachments_are_checked_by_content_and_size(client, app, coordinator, make_communique, db):
    communique = make_communique()
    client.login(coordinator.email)
    response = attach(client, communique.id, "virus.pdf", b"MZ\x90\x00 this is an exe")
    assert response.status_code == 400
    assert "Seuls les fichiers PDF, PNG, JPEG et WebP sont acceptés." in response.get_data(as_text=True)
    response = attach(client, communique.id, "image.png", PDF)  # a PDF that says it is a PNG
    assert response.status_code == 400
    app.config["PRESS_ATTACHMENT_MAX_MB"] = 1
    try:
        response = attach(client, communique.id, "gros.pdf", PDF + b"0" * (1024 * 1024))
        assert "Le fichier dépasse 1 Mo." in response.get_data(as_text=True)
    finally:
        app.config["PRESS_ATTACHMENT_MAX_MB"] = 8
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommuniqueAttachment)) == 0
    assert attach(client, communique.id, "photo.png", png()).status_code == 302
    assert db.session.scalar(sa.select(CommuniqueAttachment.content_type)) == "image/png"


def test_an_attachment_whose_name_holds_a_path_is_refused_and_nothing_is_stored(
    client, coordinator, make_communique, db
):
    communique = make_communique()
    client.login(coordinator.email)
    for name in ("../../etc/dossier.pdf", "presse/dossier.pdf"):
        response = attach(client, communique.id, name, PDF)
        assert response.status_code == 400
        assert "ne doit pas contenir de chemin" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommuniqueAttachment)) == 0


def test_removing_an_attachment_asks_first(client, coordinator, make_communique, db):
    communique = make_communique()
    client.login(coordinator.email)
    attach(client, communique.id, "dossier.pdf", PDF)
    attachment_id = db.session.scalar(sa.select(CommuniqueAttachment.id))
    url = f"/coordination/presse/communiques/{communique.id}/pieces-jointes/{attachment_id}/supprimer"
    assert "Retirer « dossier.pdf » ?" in get_page(client, url).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommuniqueAttachment)) == 1
    client.submit(url)  # a POST without the confirmation's button changes nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommuniqueAttachment)) == 1
    client.confirm(url)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommuniqueAttachment)) == 0


def test_preview_shows_the_mail_and_the_web_page_before_anything_is_sent(client, coordinator, make_communique):
    communique = make_communique(embargo_hours=24)
    client.login(coordinator.email)
    page = get_page(client, f"/coordination/presse/communiques/{communique.id}/apercu").get_data(as_text=True)
    assert "[Sous embargo] Communiqué : Le club accueille 20 nouvelles communes" in page
    assert "SOUS EMBARGO JUSQU’AU" in page
    assert "<strong>120 collectivités</strong>" in page  # the web version, rendered
    assert "Visible dans la salle de presse à partir du" in page
    html = client.get(f"/coordination/presse/communiques/{communique.id}/apercu-courriel")
    assert "sandbox" in html.headers["Content-Security-Policy"]
    assert "Sous embargo jusqu’au" in html.get_data(as_text=True)


def test_the_press_room_shows_a_communique_only_once_sent_and_past_its_embargo(
    client, app, coordinator, make_contact, make_communique, move_clock
):
    make_contact("alice@parisien.example.org")
    communique = make_communique(embargo_hours=48)
    draft = make_communique("Brouillon jamais envoyé")
    client.login(coordinator.email)
    attach(client, communique.id, "dossier.pdf", PDF)
    send_all(client, communique.id)

    visitor = app.test_client()
    assert communique.title not in get_page(visitor, "/presse").get_data(as_text=True)
    assert visitor.get(f"/presse/{communique.slug}").status_code == 404
    assert visitor.get(f"/presse/{draft.slug}").status_code == 404
    before = visitor.get("/presse/atom.xml")
    assert ET.fromstring(before.data).find(f"{ATOM}entry") is None  # noqa: S314 - our own feed
    etag = before.headers["ETag"]
    assert visitor.get("/presse/atom.xml", headers={"If-None-Match": etag}).status_code == 304

    move_clock(49)  # the embargo ends: no write, yet the feed changes and a reader's copy is stale
    assert visitor.get("/presse/atom.xml", headers={"If-None-Match": etag}).status_code == 200
    room = get_page(visitor, "/presse").get_data(as_text=True)
    assert communique.title in room and draft.title not in room
    assert "presse@club-ess.example.org" in room  # the club's press contact
    page = get_page(visitor, f"/presse/{communique.slug}").get_data(as_text=True)
    assert "<strong>120 collectivités</strong>" in page
    link = f"/presse/{communique.slug}/fichiers/"
    assert link in page
    href = page[page.index(link) :].split('"')[0]
    download = visitor.get(href)
    assert download.data == PDF and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")

    feed = visitor.get("/presse/atom.xml")
    assert feed.mimetype == "application/atom+xml"
    root = ET.fromstring(feed.data)  # noqa: S314 - our own feed
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [communique.title]
    assert "<strong>120 collectivités</strong>" in entries[0].find(f"{ATOM}content").text


def test_a_sent_communique_cannot_be_deleted_but_a_draft_can_after_confirmation(
    client, coordinator, make_contact, make_communique, db
):
    make_contact("alice@parisien.example.org")
    sent = make_communique("Envoyé")
    draft = make_communique("Brouillon")
    client.login(coordinator.email)
    send_all(client, sent.id)
    response = client.get(f"/coordination/presse/communiques/{sent.id}/supprimer", follow_redirects=True)
    assert "ne peut plus être supprimé" in response.get_data(as_text=True)  # no confirmation is even offered
    response = client.submit(
        f"/coordination/presse/communiques/{sent.id}/supprimer",
        {"confirmed": "yes"},
        form_url=f"/coordination/presse/communiques/{sent.id}",
        follow_redirects=True,
    )
    assert "ne peut plus être supprimé" in response.get_data(as_text=True)
    client.confirm(f"/coordination/presse/communiques/{draft.id}/supprimer", expect="Le texte est effacé")
    assert db.session.scalars(sa.select(Communique.title)).all() == ["Envoyé"]


def test_back_office_and_press_room_pages_are_well_formed(client, app, coordinator, make_contact, make_communique):
    contact = make_contact("alice@parisien.example.org")
    communique = make_communique()
    client.login(coordinator.email)
    send_all(client, communique.id)
    for url in (
        "/coordination/presse/communiques",
        f"/coordination/presse/communiques/{communique.id}",
        f"/coordination/presse/communiques/{communique.id}/envoyer",
        f"/coordination/presse/communiques/{communique.id}/envois",
        "/coordination/presse/contacts",
        "/coordination/presse/contacts/nouveau",
        f"/coordination/presse/contacts/{contact.id}",
        "/coordination/presse/contacts/import",
    ):
        get_page(client, url)
    visitor = app.test_client()
    for url in ("/presse", f"/presse/{communique.slug}", "/presse/abonnement"):
        get_page(visitor, url)


def test_press_room_and_delivery_log_run_a_bounded_number_of_queries(
    client, app, coordinator, make_contact, make_communique, count_queries, db
):
    client.login(coordinator.email)
    for n in range(2):
        make_contact(f"a{n}@example.org")
    first = make_communique("Premier")
    send_all(client, first.id)
    visitor = app.test_client()
    with count_queries() as few:
        visitor.get("/presse")
    with count_queries() as log_few:
        client.get(f"/coordination/presse/communiques/{first.id}/envois")
    for n in range(20):
        make_contact(f"b{n}@example.org")
    for n in range(5):
        c = make_communique(f"Communiqué {n}")
        c.status, c.published_at = "published", now_utc()
        db.session.add(
            communiques.CommuniqueAttachment(
                communique_id=c.id, filename="a.pdf", content_type="application/pdf", size=3, data=b"%PDF"
            )
        )
    db.session.commit()
    send_all(client, first.id)
    with count_queries() as many:
        visitor.get("/presse")
    with count_queries() as log_many:
        client.get(f"/coordination/presse/communiques/{first.id}/envois")
    assert many.count == few.count
    assert log_many.count == log_few.count
