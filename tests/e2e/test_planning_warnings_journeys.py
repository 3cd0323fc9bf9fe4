"""A coordinator lands on the back office, is warned before a series clashes with published meetings or a
speaker is entered twice, and goes on; a member finds the personal calendar feed from their space."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from clubess.meetings.models import MeetingSeries, Speaker


def test_coordinator_is_warned_of_clashes_and_duplicates_and_goes_on(
    page, live_server, coordinator, make_meeting, speakers, axe, login, db
):
    make_meeting(title="Rencontre de juin déjà publiée")  # 17 June 2027, 09:30-12:30
    login(coordinator.email)
    expect(page).to_have_url(re.compile(r"/coordination$"))
    page.goto(f"{live_server}/coordination/series/nouvelle")
    page.get_by_label("Titre de la série").fill("Rencontres trimestrielles 2027")
    page.get_by_label("Année").fill("2027")
    page.get_by_label("Lieu", exact=True).fill("Maison de l'ESS")
    page.get_by_label("Ordre du jour type").fill(
        "09:30-10:00 | Accueil café | Accueil\n10:00-12:00 | REX | retour d'expérience"
    )
    page.get_by_role("button", name="Créer la série", exact=True).click()
    warning = page.get_by_role("region", name="Une rencontre a lieu au même moment")
    expect(warning).to_contain_text("Rencontre de juin déjà publiée")
    axe("series clash warning")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingSeries)) == 0
    page.get_by_role("button", name="Créer la série quand même").click()
    expect(page.get_by_role("status").first).to_contain_text("4 rencontres en brouillon")

    page.goto(f"{live_server}/coordination/intervenants")
    page.get_by_label("Nom").fill("claire fontaine")
    page.get_by_label("Organisation").fill("cress")
    page.get_by_role("button", name="Enregistrer l’intervenant").click()
    expect(page.get_by_role("region", name=re.compile("déjà dans l’annuaire"))).to_be_visible()
    axe("speaker duplicate warning")
    page.get_by_role("link", name="Revenir sans enregistrer").click()
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Speaker)) == 2


def test_member_finds_the_personal_calendar_feed_from_their_space(page, live_server, people, axe, login):
    login("helene@montreuil.fr")
    expect(page).to_have_url(re.compile(r"/espace$"))
    page.get_by_role("link", name="Mon agenda personnel").click()
    page.get_by_role("button", name="Créer mon lien d’agenda").click()
    expect(page.locator("#feed-url")).to_have_value(re.compile("/agenda/"))
    page.goto(f"{live_server}/espace/inscriptions")
    axe("my registrations with the feed link")
    page.get_by_role("link", name="Mon agenda personnel").click()
    expect(page).to_have_url(re.compile(r"/espace/agenda$"))
