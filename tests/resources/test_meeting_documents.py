"""Documents per meeting: uploaded by coordinators, checked by their bytes, kept on disk under a generated name,
served as what they are, each download checked against the document's visibility."""

import pytest
import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from clubess.meetings.models import Registration
from clubess.resources.models import Document
from tests.files import PDF, docx, pdf_with_text, png
from tests.pages import effects_of, get_page
from tests.resources.conftest import upload


def _documents(db) -> list[Document]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Document).order_by(Document.id)))


def test_slides_uploaded_under_an_agenda_item_show_under_it_and_open_as_a_pdf(
    client, coordinator, held_meeting, db, stored_files
):
    client.login(coordinator.email)
    item = held_meeting.items[1]
    response = upload(
        client,
        held_meeting.id,
        "Réemploi à Montreuil (v2).pdf",
        PDF,
        title="La ressourcerie en chiffres",
        agenda_item_id=str(item.id),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    [document] = _documents(db)
    assert document.filename == "Réemploi à Montreuil (v2).pdf"
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    # the file is on disk under a generated name, in the resources folder; the name people gave is not used
    [stored] = stored_files()
    assert stored == document.stored_name and stored.startswith("resources/") and "Montreuil" not in stored

    client.post("/deconnexion", data={"csrf_token": client.csrf_token("/espace")})
    html = get_page(client, f"/rencontres/{held_meeting.id}").get_data(as_text=True)
    item_block = html.split("La ressourcerie de Montreuil</h3>")[1].split("</li>")[0]
    assert "La ressourcerie en chiffres" in item_block and "Support de présentation" in item_block

    file = client.get(f"/ressources/{document.id}/fichier")
    assert file.status_code == 200 and file.data == PDF
    assert file.mimetype == "application/pdf"
    assert file.headers["Content-Disposition"].startswith("inline;")
    # the name it had, accents kept (RFC 6266 filename*), and an ASCII fallback
    assert "filename*=UTF-8''R%C3%A9emploi%20%C3%A0%20Montreuil%20%28v2%29.pdf" in file.headers["Content-Disposition"]
    assert 'filename="Reemploi a Montreuil (v2).pdf"' in file.headers["Content-Disposition"]
    assert file.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in file.headers["Content-Security-Policy"]
    assert "default-src 'none'" in file.headers["Content-Security-Policy"]


def test_an_office_document_downloads_as_an_attachment_with_its_type(client, coordinator, held_meeting, db):
    client.login(coordinator.email)
    assert upload(client, held_meeting.id, "compte-rendu.docx", docx(), kind="compte_rendu").status_code == 302
    [document] = _documents(db)
    file = client.get(f"/ressources/{document.id}/fichier")
    assert file.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert file.headers["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("form", ["meeting", "centre"])
def test_bad_files_are_refused_with_a_clear_message_nothing_stored_and_the_form_kept(
    app, client, coordinator, held_meeting, db, stored_files, form
):
    """On a meeting's documents page and on the centre's own (the same rules, two forms)."""
    meeting_id = held_meeting.id if form == "meeting" else None
    client.login(coordinator.email)
    cases = [
        ("slides.pdf", b"MZ\x90\x00 a program", {}, "Ce fichier n’est pas accepté"),
        ("photo.png", PDF, {"kind": "photo"}, "Une photo est une image PNG, JPEG ou WebP"),
        ("../../etc/support.pdf", PDF, {}, "ne doit pas contenir de chemin"),
        (
            "support.pdf",
            PDF,
            {"kind": "replay", "url": "https://video.example.org/r"},
            "Une vidéo (Replay) est un lien",
        ),
        (None, b"", {"kind": "replay", "url": "javascript:alert(1)"}, "L’adresse doit commencer par https://"),
        (None, b"", {}, "Choisissez le fichier à déposer."),
        ("support.pdf", b"", {}, "Le fichier est vide."),
    ]
    for name, data, fields, message in cases:
        response = upload(client, meeting_id, name, data, title="Titre gardé tel quel", **fields)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, (name, fields)
        assert message in html, (name, message)
        assert 'value="Titre gardé tel quel"' in html
    app.config["RESOURCE_FILE_MAX_MB"] = 1
    try:
        response = upload(client, meeting_id, "gros.pdf", PDF + b"0" * (1024 * 1024))
        assert response.status_code == 400
        assert "Le fichier dépasse 1 Mo" in response.get_data(as_text=True)
    finally:
        app.config["RESOURCE_FILE_MAX_MB"] = 25
    assert _documents(db) == []
    assert stored_files() == set()


@pytest.mark.parametrize("form", ["meeting", "centre"])
def test_a_request_larger_than_the_server_takes_gets_a_clear_page_and_nothing_is_stored(
    app, client, coordinator, held_meeting, db, stored_files, form
):
    url = f"/coordination/rencontres/{held_meeting.id}/documents" if form == "meeting" else "/coordination/ressources"
    client.login(coordinator.email)
    token = client.csrf_token(url)
    previous = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    try:
        import io

        response = client.post(
            url,
            data={
                "csrf_token": token,
                "title": "T",
                "kind": "support",
                "visibility": "public",
                "file": (io.BytesIO(PDF + b"0" * (2 * 1024 * 1024)), "enorme.pdf"),
            },
            content_type="multipart/form-data",
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = previous
    assert response.status_code == 413
    assert "Le fichier dépasse 1 Mo : rien n’a été enregistré." in response.get_data(as_text=True)
    assert _documents(db) == [] and stored_files() == set()


def test_a_replay_is_a_link_and_a_photo_a_picture(client, coordinator, held_meeting, db):
    client.login(coordinator.email)
    assert (
        upload(
            client, held_meeting.id, None, kind="replay", title="Le replay", url="https://video.example.org/r1"
        ).status_code
        == 302
    )
    assert upload(client, held_meeting.id, "salle.png", png(), kind="photo", title="La salle").status_code == 302
    replay, photo = _documents(db)
    assert replay.is_link and replay.stored_name is None and replay.url == "https://video.example.org/r1"
    assert photo.content_type == "image/png"
    html = client.get(f"/rencontres/{held_meeting.id}").get_data(as_text=True)
    assert 'href="https://video.example.org/r1"' in html
    assert client.get(f"/ressources/{replay.id}/fichier").status_code == 404
    assert client.get(f"/ressources/{photo.id}/fichier").headers["Content-Disposition"].startswith("inline;")


def test_each_download_is_checked_against_the_visibility(
    client, coordinator, held_meeting, db, active_collectivity, people
):
    client.login(coordinator.email)
    upload(client, held_meeting.id, "public.pdf", title="Pour tous", visibility="public")
    upload(client, held_meeting.id, "membres.pdf", title="Pour les membres", visibility="members")
    upload(client, held_meeting.id, "inscrits.pdf", title="Pour les inscrits", visibility="registrants")
    public, members, registrants = _documents(db)
    helene = active_collectivity.referent
    db.session.add(
        Registration(meeting_id=held_meeting.id, member_id=helene.id, email=helene.email, name=helene.full_name)
    )
    db.session.commit()
    client.post("/deconnexion", data={"csrf_token": client.csrf_token("/espace")})

    # a visitor: the public one; the others ask to log in; the page says what is reserved
    assert client.get(f"/ressources/{public.id}/fichier").status_code == 200
    for document in (members, registrants):
        response = client.get(f"/ressources/{document.id}/fichier")
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    html = client.get(f"/rencontres/{held_meeting.id}").get_data(as_text=True)
    assert "Pour les membres" not in html and "Pour les inscrits" not in html
    assert "1 document est réservé aux membres du club." in html
    assert "1 document est réservé aux personnes inscrites à la rencontre." in html

    # Karim: a member, not registered
    client.login("karim@montreuil.fr")
    assert client.get(f"/ressources/{members.id}/fichier").status_code == 200
    refused = client.get(f"/ressources/{registrants.id}/fichier")
    assert refused.status_code == 403
    assert "réservé aux personnes inscrites à la rencontre" in refused.get_data(as_text=True)
    client.post("/deconnexion", data={"csrf_token": client.csrf_token("/espace")})

    # Hélène: registered to the meeting
    client.login("helene@montreuil.fr")
    assert client.get(f"/ressources/{registrants.id}/fichier").status_code == 200
    html = client.get(f"/rencontres/{held_meeting.id}").get_data(as_text=True)
    assert "Pour les inscrits" in html and "Pour les membres" in html and "réservé" not in html


def test_the_registrations_page_links_the_documents_of_each_meeting(
    client, coordinator, held_meeting, db, active_collectivity
):
    client.login(coordinator.email)
    upload(client, held_meeting.id, "inscrits.pdf", title="Diaporama des inscrits", visibility="registrants")
    helene = active_collectivity.referent
    db.session.add(
        Registration(meeting_id=held_meeting.id, member_id=helene.id, email=helene.email, name=helene.full_name)
    )
    db.session.commit()
    [document] = _documents(db)
    client.post("/deconnexion", data={"csrf_token": client.csrf_token("/espace")})
    client.login("helene@montreuil.fr")
    html = get_page(client, "/espace/inscriptions").get_data(as_text=True)
    assert "Documents de mes rencontres" in html
    assert f'href="/ressources/{document.id}/fichier"' in html and "Diaporama des inscrits" in html


def test_replacing_the_file_takes_the_old_one_off_the_disk(client, coordinator, held_meeting, db, stored_files):
    client.login(coordinator.email)
    upload(client, held_meeting.id, "v1.pdf", PDF)
    [document] = _documents(db)
    first = document.stored_name
    new = pdf_with_text("Version deux du support")
    response = upload_edit(client, document.id, "v2.pdf", new)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    [document] = _documents(db)
    assert document.filename == "v2.pdf" and document.stored_name != first
    assert stored_files() == {document.stored_name}
    assert client.get(f"/ressources/{document.id}/fichier").data == new
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["resource.created", "resource.file_replaced"]


def upload_edit(client, document_id, name, data, **fields):
    import io

    values = {"title": "Support", "kind": "support", "visibility": "public", "lever": "", **fields}
    if name:
        values["file"] = (io.BytesIO(data), name)
    return client.submit(f"/coordination/ressources/{document_id}", values, content_type="multipart/form-data")


def test_deleting_a_document_asks_first_then_the_file_leaves_the_disk(
    client, coordinator, held_meeting, db, stored_files
):
    client.login(coordinator.email)
    upload(client, held_meeting.id, "support.pdf", PDF, title="Le support")
    [document] = _documents(db)
    document_id = document.id
    url = f"/coordination/ressources/{document_id}/supprimer"
    page = get_page(client, url).get_data(as_text=True)
    assert "Supprimer « Le support » ?" in page
    assert effects_of(page)[0] == "Le fichier « support.pdf » est effacé du serveur : c’est définitif."
    client.submit(url)  # a POST without the confirmation's button changes nothing
    assert len(_documents(db)) == 1 and len(stored_files()) == 1
    client.confirm(url)
    assert _documents(db) == [] and stored_files() == set()
    assert client.get(f"/ressources/{document_id}/fichier").status_code == 404
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "resource.deleted"))
    assert event.details["filename"] == "support.pdf"


def test_a_document_of_a_removed_agenda_item_stays_on_the_meeting(client, coordinator, held_meeting, db):
    client.login(coordinator.email)
    item = held_meeting.items[0]
    upload(client, held_meeting.id, "support.pdf", title="Support du point", agenda_item_id=str(item.id))
    client.confirm(f"/coordination/ordre-du-jour/{item.id}/supprimer")
    [document] = _documents(db)
    assert document.agenda_item_id is None
    assert "Support du point" in client.get(f"/rencontres/{held_meeting.id}").get_data(as_text=True)


def test_a_draft_meetings_documents_stay_hidden(client, coordinator, make_meeting, db):
    draft = make_meeting(status="draft")
    client.login(coordinator.email)
    upload(client, draft.id, "support.pdf", title="Support en préparation")
    [document] = _documents(db)
    client.post("/deconnexion", data={"csrf_token": client.csrf_token("/espace")})
    assert client.get(f"/ressources/{document.id}/fichier").status_code == 404
    assert client.get(f"/ressources/{document.id}").status_code == 404


def test_the_meeting_pages_run_a_bounded_number_of_queries(client, coordinator, held_meeting, db, count_queries):
    client.login(coordinator.email)

    def counts():
        with count_queries() as public:
            client.get(f"/rencontres/{held_meeting.id}")
        with count_queries() as manage:
            client.get(f"/coordination/rencontres/{held_meeting.id}/documents")
        with count_queries() as back_office:
            client.get(f"/coordination/rencontres/{held_meeting.id}")
        return public.count, manage.count, back_office.count

    upload(client, held_meeting.id, "a.pdf", agenda_item_id=str(held_meeting.items[0].id))
    few = counts()
    for i in range(6):
        upload(
            client, held_meeting.id, f"s{i}.pdf", title=f"Support {i}", agenda_item_id=str(held_meeting.items[i % 2].id)
        )
    assert counts() == few
