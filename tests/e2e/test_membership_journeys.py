"""Membership journeys: apply with and without JavaScript, confirm, approve, first login, member area."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from clubess.mailing.worker import send_pending
from clubess.members.models import Collectivity


def _deliver(app):
    with app.app_context():
        send_pending()


def test_montreuil_applies_is_approved_and_its_referent_manages_people(
    page, live_server, app, smtp, territories, coordinator, axe, login, logout, db
):
    page.goto(f"{live_server}/adherer")
    axe("apply form")
    search = page.get_by_role("combobox", name="Rechercher votre collectivité")
    search.fill("montreuil")
    page.get_by_role("option", name=re.compile("^Montreuil")).wait_for()
    axe("apply form with suggestions")
    search.press("ArrowDown")
    search.press("Enter")
    expect(search).to_have_value("Montreuil")
    # the référent, an agent
    page.locator("#kind-1").check()
    page.locator("#first_name").fill("Thomas")
    page.locator("#last_name").fill("Nguyen")
    page.locator("#function").fill("Chargé de mission ESS")
    page.locator("#email").fill("thomas@montreuil.fr")
    page.locator("#phone").fill("01 48 70 60 00")
    # an élu in the first extra row, then one more row for an agent
    page.locator("#others-0-kind-0").check()
    page.locator("#others-0-first_name").fill("Hélène")
    page.locator("#others-0-last_name").fill("Durand")
    page.locator("#others-0-function").fill("Maire adjointe")
    page.locator("#others-0-email").fill("helene@montreuil.fr")
    with page.expect_navigation():  # the form comes back from the server with one more row
        page.get_by_role("button", name="Ajouter une personne").click()
    expect(page.locator("#others-0-first_name")).to_have_value("Hélène")  # nothing typed is lost
    page.locator("#others-1-kind-1").check()
    page.locator("#others-1-first_name").fill("Karim")
    page.locator("#others-1-last_name").fill("Benali")
    page.locator("#others-1-email").fill("karim@montreuil.fr")
    page.get_by_label(re.compile("J’accepte")).check()
    page.get_by_role("button", name="Envoyer la demande d’adhésion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande envoyée")
    axe("application sent")

    _deliver(app)
    confirm = smtp.link_path(smtp.to("thomas@montreuil.fr")[0], "/adherer/confirmer/")
    page.goto(f"{live_server}{confirm}")
    axe("confirm application")
    page.get_by_role("button", name="Je confirme la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande confirmée")

    login(coordinator.email)
    page.goto(f"{live_server}/coordination/adhesions")
    axe("review queue")
    page.get_by_role("link", name="Montreuil").click()
    page.wait_for_url(re.compile(r"/coordination/adhesions/\d+$"))
    axe("review detail")
    page.get_by_role("link", name="Approuver l’adhésion…").click()
    expect(page.locator("#confirm-effects")).to_contain_text("3 personnes reçoivent un compte")
    axe("approve confirmation")
    page.get_by_role("button", name="Approuver et écrire à 3 personnes").click()
    expect(page.get_by_role("status").first).to_contain_text("3 personnes ont reçu un courriel")
    logout()

    smtp.clear()
    _deliver(app)
    assert {"thomas@montreuil.fr", "helene@montreuil.fr", "karim@montreuil.fr"} <= {m["To"] for m in smtp.messages}
    welcome = smtp.link_path(smtp.to("thomas@montreuil.fr")[0], "/bienvenue/")
    page.goto(f"{live_server}{welcome}")
    axe("welcome: choose a password")
    page.get_by_label("Nouveau mot de passe").fill("une phrase de bienvenue")
    page.get_by_label("Confirmez le mot de passe").fill("une phrase de bienvenue")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_role("status").first).to_contain_text("Votre mot de passe a été changé")
    login("thomas@montreuil.fr", "une phrase de bienvenue")
    page.get_by_role("link", name=re.compile("La page de ma collectivité")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Montreuil")
    axe("collectivity page")

    page.get_by_role("link", name="Ajouter ou inviter une personne").click()
    page.wait_for_url("**/espace/collectivite/personnes/nouvelle")
    page.locator("#kind-1").check()
    page.locator("#first_name").fill("Léa")
    page.locator("#last_name").fill("Martin")
    page.locator("#email").fill("lea@montreuil.fr")
    page.get_by_role("button", name="Ajouter et inviter").click()
    expect(page.get_by_role("status").first).to_contain_text("Léa Martin a été ajouté(e)")

    expect(page.locator("main")).to_contain_text("le rôle ne peut pas être transmis pour l’instant")  # nobody activated

    page.get_by_role("link", name="Fin de mandat de Hélène Durand").click()
    page.wait_for_url("**/fin-de-mandat")
    axe("end of mandate")
    page.get_by_label("Date de fin du mandat").fill("2026-11-20")
    page.get_by_role("button", name="Confirmer la fin du mandat").click()
    row = page.get_by_role("row", name=re.compile("Hélène Durand"))
    expect(row).to_contain_text("terminé le 20 novembre 2026")
    assert db.session.scalar(sa.select(Collectivity)).status == "active"


def test_application_works_without_javascript(browser, live_server, territories, db):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server}/adherer")
    page.get_by_label("Rechercher votre collectivité").fill("montreuil")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_label(re.compile("^Montreuil — Commune")).check()
    page.get_by_label("Agent ou agente").first.check()
    page.locator("#first_name").fill("Karim")
    page.locator("#last_name").fill("Benali")
    page.locator("#email").fill("karim@montreuil.fr")
    page.get_by_label(re.compile("J’accepte")).check()
    page.get_by_role("button", name="Envoyer la demande d’adhésion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande envoyée")
    assert db.session.scalar(sa.select(Collectivity)).territory.name == "Montreuil"
    context.close()


def test_member_area_pages_are_accessible(page, live_server, active_collectivity, axe, login, db):
    page.goto(f"{live_server}/annuaire")
    axe("public directory")
    # a territory and everything inside it: Est Ensemble holds Montreuil, the member
    page.get_by_label("Territoire, avec ce qu’il contient").select_option(
        label="Est Ensemble (Établissement public territorial (EPT))"
    )
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"perimetre=200057875"))
    expect(page.get_by_role("heading", name="Montreuil")).to_be_visible()
    axe("directory within Est Ensemble")
    login("helene@montreuil.fr")
    for url in [
        "/espace",
        "/espace/collectivite",
        "/espace/collectivite/personnes/nouvelle",
        "/espace/profil",
        "/espace/effacement",
        "/espace/collectivite/quitter",
        "/annuaire",
    ]:
        page.goto(f"{live_server}{url}")
        axe(url)
    page.goto(f"{live_server}/espace/collectivite")
    page.get_by_role("link", name=re.compile("Fin de mandat de Karim")).click()
    page.wait_for_url("**/fin-de-mandat")
    axe("end of mandate")
    page.goto(f"{live_server}/espace/collectivite")
    page.get_by_role("link", name="Modifier Karim Benali").click()
    page.wait_for_url("**/modifier")
    axe("edit person")
    page.goto(f"{live_server}/espace/collectivite/personnes/nouvelle")
    page.get_by_role("button", name="Ajouter et inviter").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    axe("add person with errors")


def test_the_referent_hands_the_role_over_after_a_confirmation(page, live_server, active_collectivity, axe, login, db):
    login("helene@montreuil.fr")
    page.goto(f"{live_server}/espace/collectivite")
    page.get_by_role("button", name="Continuer…").click()  # nothing chosen: the list starts blank
    expect(page.get_by_role("alert")).to_contain_text("Choisissez la personne à qui transmettre le rôle.")
    axe("hand-over without a choice")
    page.get_by_label("Nouveau ou nouvelle référent·e").select_option(label="Karim Benali — Chargé de mission ESS")
    page.get_by_role("button", name="Continuer…").click()
    effects = page.locator("#confirm-effects")
    expect(effects).to_contain_text("Karim Benali devient référent·e de Montreuil")
    expect(effects).to_contain_text("Vous (Hélène Durand) restez membre")
    axe("hand-over confirmation")
    page.get_by_role("button", name="Transmettre le rôle à Karim Benali").click()
    expect(page.get_by_role("status").first).to_contain_text("Karim Benali est maintenant référent·e")


def test_already_member_page_is_accessible(page, live_server, territories, active_collectivity, axe):
    page.goto(f"{live_server}/adherer?q=montreuil")
    page.get_by_label(re.compile("^Montreuil — Commune")).check()
    page.get_by_label("Élu ou élue").first.check()
    page.locator("#first_name").fill("Léa")
    page.locator("#last_name").fill("Martin")
    page.locator("#email").fill("lea@montreuil.fr")
    page.get_by_label(re.compile("J’accepte")).check()
    page.get_by_role("button", name="Envoyer la demande d’adhésion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("déjà inscrite")
    axe("already member")
