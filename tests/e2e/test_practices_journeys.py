"""Library journey: a member submits, a coordinator asks for a change, the member edits, the coordinator
publishes, and the practice is found at once by a synonym."""

import re


def test_submission_moderation_and_immediate_search(
    page, live_server, corpus, active_collectivity, coordinator, axe, login
):
    login("helene@montreuil.fr")
    page.goto(f"{live_server}/bonnes-pratiques")
    axe("library")
    page.get_by_label("Rechercher une pratique").fill("resourcerie")
    page.get_by_role("button", name="Rechercher").click()
    assert "Une ressourcerie municipale" in page.locator(".results").inner_text()
    axe("library results")
    page.get_by_role("link", name=re.compile("ressourcerie municipale")).click()
    axe("practice page")

    page.goto(f"{live_server}/bonnes-pratiques/proposer")
    axe("submit form")
    page.get_by_label("Titre").fill("Friperie solidaire du centre-ville")
    page.get_by_label("Levier").select_option("soutien_structures")
    page.get_by_label("Résumé").fill("Une friperie associative qui emploie des femmes en insertion.")
    page.get_by_label("Description").fill("**Ouverte en 2025**, elle revend des vêtements donnés.")
    page.get_by_role("button", name="Prévisualiser").click()
    assert page.locator(".preview strong").inner_text() == "Ouverte en 2025"
    axe("submit form with preview")
    page.get_by_label("Thèmes").fill("réemploi, textile")
    page.get_by_role("button", name="Envoyer à l’équipe du club").click()
    assert "envoyée à l’équipe du club" in page.get_by_role("status").first.inner_text()
    axe("my practices")
    page.get_by_role("button", name="Déconnexion").click()

    login(coordinator.email)
    page.goto(f"{live_server}/coordination/pratiques")
    axe("moderation queue")
    page.get_by_role("link", name="Friperie solidaire du centre-ville").click()
    axe("review page")
    page.get_by_label("Commentaire pour l’auteur").fill("Précisez le nombre d'emplois créés.")
    page.get_by_role("button", name="Demander des modifications").click()
    page.get_by_role("button", name="Déconnexion").click()

    login("helene@montreuil.fr")
    page.goto(f"{live_server}/espace/pratiques")
    page.get_by_role("link", name="Friperie solidaire du centre-ville").click()
    assert (
        "Précisez le nombre d'emplois créés." in page.content() or "Précisez le nombre d&#39;emplois" in page.content()
    )
    page.get_by_label("Résumé").fill("Une friperie associative : 6 emplois en insertion pour des femmes.")
    page.get_by_role("button", name="Envoyer à l’équipe du club").click()
    assert "La pratique est enregistrée." in page.locator("main").inner_text(), page.locator("main").inner_text()[:1500]
    page.get_by_role("button", name="Déconnexion").click()

    login(coordinator.email)
    page.goto(f"{live_server}/coordination/pratiques")
    page.get_by_role("link", name="Friperie solidaire du centre-ville").click()
    page.get_by_role("button", name="Publier…").click()
    assert "visible tout de suite" in page.locator("#confirm-effects").inner_text()
    axe("publish practice confirmation")
    page.get_by_role("button", name="Publier la pratique").click()
    assert "trouvable dès maintenant" in page.get_by_role("status").first.inner_text()
    page.goto(f"{live_server}/bonnes-pratiques?q=recyclerie")  # a synonym of réemploi in the thesaurus
    assert "Friperie solidaire du centre-ville" in page.locator(".results").inner_text()
    for url in [
        "/coordination/thesaurus",
        "/coordination/pratiques/import",
        "/coordination/pratiques?statut=published",
    ]:
        page.goto(f"{live_server}{url}")
        axe(url)


def test_visitor_overview_is_accessible(page, live_server, corpus, axe):
    page.goto(f"{live_server}/bonnes-pratiques")
    assert "réservée aux membres" in page.content()
    axe("library for visitors")
