"""Library journey: a member submits, a coordinator asks for a change, the member edits, the coordinator
publishes, and the practice is found at once by a synonym."""

import re

from playwright.sync_api import expect


def test_submission_moderation_and_immediate_search(
    page, live_server, corpus, active_collectivity, coordinator, axe, login, logout
):
    login("helene@montreuil.fr")
    page.goto(f"{live_server}/bonnes-pratiques")
    axe("library")
    page.get_by_label("Rechercher une pratique").fill("resourcerie")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"/bonnes-pratiques\?q=resourcerie"))  # the library lists practices before too
    expect(page.locator(".results")).to_contain_text("Une ressourcerie municipale")
    axe("library results")
    page.get_by_role("link", name=re.compile("ressourcerie municipale")).click()
    page.wait_for_url(re.compile(r"/bonnes-pratiques/\d+$"))
    axe("practice page")

    page.goto(f"{live_server}/bonnes-pratiques/proposer")
    axe("submit form")
    page.get_by_label("Titre").fill("Friperie solidaire du centre-ville")
    page.get_by_label("Levier").select_option("soutien_structures")
    page.get_by_label("Résumé").fill("Une friperie associative qui emploie des femmes en insertion.")
    page.get_by_label("Description").fill("**Ouverte en 2025**, elle revend des vêtements donnés.")
    page.get_by_role("button", name="Prévisualiser").click()
    expect(page.locator(".preview strong")).to_have_text("Ouverte en 2025")
    axe("submit form with preview")
    page.get_by_label("Thèmes").fill("réemploi, textile")
    page.get_by_role("button", name="Envoyer à l’équipe du club").click()
    expect(page.get_by_role("status").first).to_contain_text("envoyée à l’équipe du club")
    axe("my practices")
    logout()

    login(coordinator.email)
    page.goto(f"{live_server}/coordination/pratiques")
    axe("moderation queue")
    page.get_by_role("link", name="Friperie solidaire du centre-ville").click()
    page.wait_for_url(re.compile(r"/coordination/pratiques/\d+$"))
    axe("review page")
    page.get_by_label("Commentaire pour l’auteur").fill("Précisez le nombre d'emplois créés.")
    page.get_by_role("button", name="Demander des modifications").click()
    expect(page.get_by_role("status").first).to_contain_text("La demande de modification est envoyée à l’auteur.")
    logout()

    login("helene@montreuil.fr")
    page.goto(f"{live_server}/espace/pratiques")
    page.get_by_role("link", name="Friperie solidaire du centre-ville").click()
    page.wait_for_url("**/modifier")  # my practices list shows the comment too
    expect(page.locator("main")).to_contain_text("Précisez le nombre d'emplois créés.")
    page.get_by_label("Résumé").fill("Une friperie associative : 6 emplois en insertion pour des femmes.")
    page.get_by_role("button", name="Envoyer à l’équipe du club").click()
    expect(page.locator("main")).to_contain_text("La pratique est enregistrée.")
    logout()

    login(coordinator.email)
    page.goto(f"{live_server}/coordination/pratiques")
    page.get_by_role("link", name="Friperie solidaire du centre-ville").click()
    page.wait_for_url(re.compile(r"/coordination/pratiques/\d+$"))
    page.get_by_role("button", name="Publier…").click()
    expect(page.locator("#confirm-effects")).to_contain_text("visible tout de suite")
    axe("publish practice confirmation")
    page.get_by_role("button", name="Publier la pratique").click()
    expect(page.get_by_role("status").first).to_contain_text("trouvable dès maintenant")
    page.goto(f"{live_server}/bonnes-pratiques?q=recyclerie")  # a synonym of réemploi in the thesaurus
    expect(page.locator(".results")).to_contain_text("Friperie solidaire du centre-ville")
    for url in [
        "/coordination/thesaurus",
        "/coordination/pratiques/import",
        "/coordination/pratiques?statut=published",
    ]:
        page.goto(f"{live_server}{url}")
        axe(url)


def test_visitor_overview_is_accessible(page, live_server, corpus, axe):
    page.goto(f"{live_server}/bonnes-pratiques")
    expect(page.locator("main")).to_contain_text("les contacts sont réservés aux membres")
    axe("library for visitors")


def test_the_import_is_checked_before_anything_is_written(page, live_server, corpus, coordinator, axe, login, tmp_path):
    """Upload: the check page says what will be created, updated and refused; its button imports just that."""
    import json

    existing = sorted(corpus)[0]
    records = [
        {"ref": "NOUV1", "title": "Une conserverie solidaire", "lever": "achats_responsables", "summary": "Résumé"},
        {"ref": existing, "title": "Titre revu par l’import", "lever": "achats_responsables", "summary": "Résumé"},
        {"ref": "MAUV", "title": "Levier inconnu", "lever": "inconnu", "summary": "Résumé"},
    ]
    upload = tmp_path / "pratiques.json"
    upload.write_text(json.dumps({"practices": records}), encoding="utf-8")
    login(coordinator.email)
    page.goto(f"{live_server}/coordination/pratiques/import")
    page.get_by_label("Fichier JSON ou CSV").set_input_files(str(upload))
    page.get_by_label("Importer les enregistrements valides même si d’autres sont rejetés").check()
    page.get_by_role("button", name="Vérifier le fichier").click()
    effects = page.locator("#confirm-effects")
    expect(effects).to_contain_text("1 pratique sera créée.")
    expect(effects).to_contain_text("1 pratique sera mise à jour.")
    expect(effects).to_contain_text("1 enregistrement refusé, qui ne sera pas importé.")
    axe("practices import check")
    page.get_by_role("button", name="Importer les pratiques").click()
    expect(page.get_by_role("status").first).to_contain_text("1 créée(s), 1 mise(s) à jour, 1 rejetée(s).")
    axe("practices import report")
