"""Meetings journeys: a coordinator plans the 2027 series; a visitor finds a meeting and downloads its .ics."""

import re

from playwright.sync_api import expect

from tests.meetings.test_public_and_calendar import ical_js


def test_coordinator_plans_the_2027_series_and_a_visitor_downloads_the_ics(
    page, live_server, coordinator, speakers, axe, login, logout, db
):
    login(coordinator.email)
    page.goto(f"{live_server}/coordination/rencontres")
    axe("meetings back office")
    page.get_by_role("link", name="Nouvelle série").click()
    page.wait_for_url("**/coordination/series/nouvelle")
    axe("new series")
    page.get_by_label("Titre de la série").fill("Rencontres trimestrielles 2027")
    page.get_by_label("Année").fill("2027")
    page.get_by_label("Mois du trimestre").select_option("3")
    page.get_by_label("Semaine").select_option("3")
    page.get_by_label("Jour", exact=True).select_option("3")
    page.get_by_label("Lieu", exact=True).fill("Maison de l'ESS")
    page.get_by_label("Ordre du jour type").fill(
        "09:30-10:00 | Accueil café | accueil\n10:00-12:00 | Échange de pratiques | echange_bonnes_pratiques"
    )
    page.get_by_role("button", name="Créer la série").click()
    expect(page.get_by_role("status").first).to_contain_text("4 rencontres en brouillon")
    axe("series detail")

    page.get_by_role("link", name=re.compile("n° 2")).click()
    page.wait_for_url(re.compile(r"/coordination/rencontres/\d+$"))
    axe("meeting edit")
    page.get_by_label("Intitulé").fill("Table ronde : les achats responsables")
    page.get_by_label("Type de point").select_option("table_ronde")
    page.locator("#item-start").fill("12:00")
    page.locator("#item-end").fill("12:30")
    page.get_by_label("Claire Fontaine").check()
    page.get_by_label("Marc Rousseau").check()
    page.get_by_role("button", name="Ajouter le point").click()
    expect(page.get_by_role("status").first).to_contain_text("L’ordre du jour est enregistré.")
    expect(page.get_by_role("button", name="Marquer comme tenue")).to_have_count(0)  # not before it starts
    page.get_by_role("link", name="Publier…").click()
    expect(page.locator("#confirm-effects")).to_contain_text("Personne n’est prévenu par courriel")
    axe("publish confirmation")
    page.get_by_role("button", name="Publier la rencontre").click()
    expect(page.get_by_role("status").first).to_contain_text("Publiée")
    page.get_by_role("link", name="Annuler la rencontre…").click()
    expect(page.locator("#confirm-effects")).to_contain_text("Personne n’est inscrit ni invité")
    axe("cancel confirmation")
    page.get_by_role("link", name="Ne rien changer").click()
    page.wait_for_url(re.compile(r"/coordination/rencontres/\d+$"))  # back from the confirmation page
    expect(page.locator("main")).to_contain_text("Publiée")
    logout()

    page.goto(f"{live_server}/rencontres")
    axe("public agenda")
    page.get_by_role("link", name=re.compile("Rencontres trimestrielles 2027 — n° 2")).click()
    page.wait_for_url(re.compile(r"/rencontres/\d+$"))
    expect(page.locator("main")).to_contain_text("Claire Fontaine")
    expect(page.locator("main")).to_contain_text("Marc Rousseau")
    axe("meeting page")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Télécharger le fichier .ics")).click()
    body = open(info.value.path(), "rb").read()
    [event] = ical_js(body)["events"]
    assert event["summary"] == "Rencontres trimestrielles 2027 — n° 2"
    assert event["start_utc"].startswith("2027-06-17T07:30")  # 09:30 in Paris, summer time


def test_other_meeting_pages_are_accessible(page, live_server, coordinator, make_meeting, speakers, axe, login, db):
    meeting = make_meeting(items=1, format="hybride", online_url="https://visio.example.org/x")
    page.goto(f"{live_server}/rencontres?periode=passees")
    axe("past meetings")
    login(coordinator.email)
    for url in [
        "/coordination/rencontres/nouvelle",
        "/coordination/intervenants",
        f"/coordination/intervenants/{speakers[0].id}",
        f"/coordination/rencontres/{meeting.id}/ordre-du-jour/{meeting.items[0].id}",
        "/espace/agenda",
    ]:
        page.goto(f"{live_server}{url}")
        axe(url)
    page.goto(f"{live_server}/coordination/rencontres/nouvelle")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    axe("new meeting with errors")
    page.goto(f"{live_server}/espace/agenda")
    page.get_by_role("button", name="Créer mon lien d’agenda").click()
    expect(page.locator("#feed-url")).to_have_value(re.compile("/agenda/"))
    axe("personal feed")
