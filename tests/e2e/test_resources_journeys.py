"""Documents journey: a coordinator uploads slides to a held meeting's agenda item (a file that is not what its
name says is refused first, and nothing is kept of it), the slides show under their item on the meeting page,
a registered member opens them from the resource centre and from her registrations, and a visitor can neither
see nor open them. Every page visited is checked with axe-core."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from clubess.meetings.models import Registration
from clubess.resources.demo_files import make_pdf
from clubess.resources.models import Document


@pytest.fixture
def held_meeting(make_meeting, db):
    meeting = make_meeting(day=(2026, 6, 18), status="held", items=2, title="Rencontre de juin")
    meeting.items[1].kind = "retour_experience"
    meeting.items[1].title = "La ressourcerie de Montreuil"
    db.session.commit()
    return meeting


def _stored(app) -> set[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return {p for p in root.rglob("*") if p.is_file()}


def _log_out(page) -> None:
    """Log out and wait for the home page to say so (a goto started before would cancel the logout)."""
    page.get_by_role("button", name="Déconnexion").click()
    expect(page.get_by_role("status").first).to_contain_text("Vous êtes déconnecté.")


def _opens_as_pdf(page, href: str) -> None:
    """The browser (with this person's cookies) gets the file itself, shown in the browser, never run."""
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    assert "support-ressourcerie.pdf" in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.body().startswith(b"%PDF-")


def test_coordinator_uploads_slides_a_member_opens_them_a_visitor_cannot(
    app, page, live_server, coordinator, held_meeting, active_collectivity, db, axe, login, tmp_path
):
    helene = active_collectivity.referent
    db.session.add(
        Registration(meeting_id=held_meeting.id, member_id=helene.id, email=helene.email, name=helene.full_name)
    )
    db.session.commit()
    slides = tmp_path / "support-ressourcerie.pdf"
    slides.write_bytes(make_pdf(["Tonnes détournées", "Emplois en insertion"], "La ressourcerie de Montreuil"))
    fake = tmp_path / "faux.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    before = _stored(app)

    # the coordinator: a file that is not a PDF is refused, what was typed stays, nothing is kept
    login(coordinator.email)
    page.goto(f"{live_server}/coordination/rencontres/{held_meeting.id}")
    page.get_by_role("link", name="Gérer les documents de la rencontre").click()
    page.wait_for_url(re.compile(r".*/documents$"))
    axe("meeting documents")
    page.get_by_label("Titre").fill("Support de la ressourcerie")
    page.get_by_label("Fichier").set_input_files(str(fake))
    page.get_by_role("button", name="Ajouter le document").click()
    expect(page.locator(".error-summary")).to_contain_text("Ce fichier n’est pas accepté")
    expect(page.get_by_label("Titre")).to_have_value("Support de la ressourcerie")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0
    assert _stored(app) == before
    axe("refused file")

    # the slides, under the « retour d'expérience », for the club's members
    page.get_by_label("Fichier").set_input_files(str(slides))
    page.get_by_label("Point de l’ordre du jour").select_option(label="09:30 — La ressourcerie de Montreuil")
    page.get_by_label("Membres du club").check()
    page.get_by_role("button", name="Ajouter le document").click()
    expect(page.get_by_role("status").first).to_contain_text("Document ajouté")
    expect(page.get_by_role("table", name="Documents de la rencontre")).to_contain_text("Support de la ressourcerie")
    assert len(_stored(app) - before) == 1
    axe("document added")
    page.goto(f"{live_server}/coordination/ressources")
    axe("centre back office")

    # a member registered to the meeting: under the agenda item, in the centre, on her registrations page
    _log_out(page)
    login(helene.email)
    page.goto(f"{live_server}/rencontres/{held_meeting.id}")
    item_documents = page.get_by_role("list", name="Documents de « La ressourcerie de Montreuil »")
    expect(item_documents.get_by_role("link", name="Support de la ressourcerie")).to_have_count(1)
    expect(page.get_by_role("link", name="Support de la ressourcerie")).to_have_count(1)  # under its item only
    axe("meeting page with documents")

    page.goto(f"{live_server}/ressources")
    page.get_by_label("Rechercher un document").fill("ressourcerie")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r".*/ressources\?q=ressourcerie"))
    expect(page.get_by_role("status").first).to_have_text(re.compile(r"^1 document pour « ressourcerie »"))
    axe("resource centre, member")
    page.get_by_role("link", name="Support de la ressourcerie", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support de la ressourcerie")
    axe("document page")
    file_href = page.get_by_role("link", name="Ouvrir le fichier").get_attribute("href")
    _opens_as_pdf(page, file_href)

    page.goto(f"{live_server}/espace/inscriptions")
    from_registrations = page.get_by_role("link", name="Support de la ressourcerie")
    expect(from_registrations).to_have_count(1)
    expect(from_registrations).to_have_attribute("href", file_href)
    _opens_as_pdf(page, from_registrations.get_attribute("href"))
    axe("registrations with documents")

    # a visitor: told the meeting has a members' document, shown no link, and sent to log in for the file
    _log_out(page)
    page.goto(f"{live_server}/rencontres/{held_meeting.id}")
    expect(page.locator("main")).to_contain_text("1 document est réservé aux membres du club.")
    expect(page.get_by_role("link", name="Support de la ressourcerie")).to_have_count(0)
    axe("meeting page, visitor")
    refused = page.request.get(f"{live_server}{file_href}", max_redirects=0)
    assert refused.status == 302 and "/connexion" in refused.headers["location"]
    assert not refused.body().startswith(b"%PDF-")
    page.goto(f"{live_server}{file_href}")
    expect(page).to_have_url(re.compile(r".*/connexion\?next="))
    page.goto(f"{live_server}/ressources?q=ressourcerie")
    expect(page.get_by_role("status").first).to_have_text(re.compile(r"^0 document pour « ressourcerie »"))
    axe("resource centre, visitor")
