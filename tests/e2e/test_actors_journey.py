"""ESS actors journey: a structure asks to be listed with a solution, a coordinator accepts the request, and a
member's stated problem gets the solution as an answer labelled « Solution d'un acteur de l'ESS »; axe-core on
every page visited."""

import re

from playwright.sync_api import expect


def test_a_structure_is_listed_and_its_solution_answers_a_members_problem(
    page, live_server, corpus, active_collectivity, coordinator, axe, login, logout
):
    page.goto(f"{live_server}/acteurs")
    axe("directory")
    page.get_by_role("link", name="Demandez à être inscrite").click()
    page.wait_for_url(re.compile(r"/acteurs/proposer$"))
    axe("request form")
    page.get_by_label("Nom de la structure").fill("Vélo-Cargo Solidaire")
    page.get_by_label("Type de structure").select_option("scic")
    page.get_by_label("Numéro SIRET (facultatif)").fill("732 829 320 00074")
    page.get_by_label("Territoires où la structure agit").fill("93, Montreuil")
    page.get_by_label("Personne à contacter").fill("Rosa Lambert")
    page.get_by_label("Adresse électronique du contact").fill("rosa@velocargo.example.org")
    page.get_by_label("Je propose aussi une première solution").check()
    page.get_by_label("Titre de la solution").fill("Des livraisons en vélo-cargo pour les petits commerces")
    page.get_by_label("Levier de politique ESS").select_option("soutien_structures")
    page.get_by_label("Résumé").fill(
        "Les camionnettes bouchent les rues du centre-ville : nos coursiers livrent les commerçants à vélo-cargo."
    )
    page.get_by_label("J’accepte que ces informations").check()
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url(re.compile(r"/acteurs/proposer/envoye$"))
    expect(page.locator("main")).to_contain_text("votre demande est transmise")
    axe("request sent")

    login(coordinator.email)
    page.goto(f"{live_server}/coordination/acteurs?statut=pending")
    axe("back office list")
    page.get_by_role("link", name="Vélo-Cargo Solidaire").click()
    page.wait_for_url(re.compile(r"/coordination/acteurs/\d+$"))
    axe("request review")
    page.get_by_role("button", name="Accepter et publier ses solutions proposées").click()
    expect(page.locator("main")).to_contain_text("Sa solution proposée est publiée")
    axe("accept: what it does")
    page.get_by_role("button", name="Accepter la structure").click()
    expect(page.get_by_role("status").first).to_contain_text("La structure est dans l’annuaire")
    axe("accepted")
    logout()

    login("helene@montreuil.fr")
    page.goto(f"{live_server}/problematiques")
    page.get_by_label("Votre problématique").fill(
        "les camionnettes de livraison bloquent les rues de notre centre-ville, les commercants sont embetes"
    )
    page.get_by_role("button", name="Trouver des pratiques").click()
    page.wait_for_url(re.compile(r"/problematiques/\d+$"))
    answer = page.locator("li.card", has_text="Des livraisons en vélo-cargo pour les petits commerces")
    expect(answer).to_contain_text("Solution d’un acteur de l’ESS")
    expect(answer).to_contain_text("rosa@velocargo.example.org")
    axe("answers")
    answer.get_by_role("link", name="Des livraisons en vélo-cargo pour les petits commerces").click()
    page.wait_for_url(re.compile(r"/acteurs/solutions/\d+$"))
    expect(page.locator("main")).to_contain_text("Vélo-Cargo Solidaire")
    axe("solution page")
