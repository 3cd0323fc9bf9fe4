"""Press journey: a coordinator imports a CSV of journalists (bad rows reported), writes a communiqué under
embargo with a PDF, previews it as mail and web page, sends it after the count; the worker delivers it; the
press room shows it only once the embargo has passed (the press room's clock is moved); a journalist
unsubscribes from the mail's link and the coordinator finds her on the suppression list. Every page is
checked with axe-core."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.fixtures_press import PDF

CSV = (
    "nom;média;email;thématiques;département;téléphone\n"
    "Claire Dubois;Le Parisien;claire@parisien.example.org;économie, ESS;93;01 23 45 67 89\n"
    "Marc Lefèvre;Les Échos;marc@echos.example.org;économie;;\n"
    "Sans adresse;Ouest;;emploi;75;\n"
    "Nadia;France Bleu;nadia@francebleu.example.org;société;99;\n"
)


def test_import_write_under_embargo_preview_send_and_publish(
    page, live_server, coordinator, smtp, deliver, axe, login, logout, tmp_path, monkeypatch
):
    from clubess.press import communiques

    csv_file = tmp_path / "journalistes.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    pdf_file = tmp_path / "dossier-de-presse.pdf"
    pdf_file.write_bytes(PDF)

    login(coordinator.email)
    page.goto(f"{live_server}/coordination/presse/contacts/import")
    axe("import form")
    page.get_by_label("Fichier CSV").set_input_files(str(csv_file))
    page.get_by_role("button", name="Vérifier le fichier").click()
    effects = page.locator("#confirm-effects")  # the check page: nothing written yet
    expect(effects).to_contain_text("2 contacts seront créés.")
    expect(effects).to_contain_text("2 lignes refusées, qui ne seront pas importées.")
    expect(page.get_by_role("table", name="Lignes refusées")).to_contain_text("Département inconnu")
    axe("import check")
    page.get_by_role("button", name="Importer les contacts").click()
    summary = page.locator("#import-summary")
    expect(summary).to_contain_text("2 contacts créés")
    expect(summary).to_contain_text("2 lignes refusées")
    refused = page.get_by_role("table", name="Lignes refusées")
    expect(refused).to_contain_text("Saisissez une adresse électronique valide")
    expect(refused).to_contain_text("Département inconnu")
    axe("import report")

    page.goto(f"{live_server}/coordination/presse/contacts")
    expect(page.locator("main")).to_contain_text("claire@parisien.example.org")
    axe("contacts")

    page.goto(f"{live_server}/coordination/presse/communiques")
    axe("communiqués list")
    page.get_by_role("link", name="Nouveau communiqué").click()
    page.wait_for_url("**/communiques/nouveau")
    axe("communiqué form")
    page.get_by_label("Titre").fill("Vingt communes rejoignent le club")
    page.get_by_label("Chapô").fill("Le club compte désormais 120 collectivités.")
    page.get_by_label("Texte").fill("Les nouvelles adhérentes seront **accueillies** le 12 décembre.")
    embargo_day = date.today() + timedelta(days=2)
    page.get_by_label("Embargo jusqu’au (date)").fill(embargo_day.isoformat())
    page.get_by_label("Embargo jusqu’à (heure)").fill("10:00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").first).to_contain_text("Communiqué enregistré en brouillon")
    page.get_by_label("Ajouter une pièce jointe").set_input_files(str(pdf_file))
    page.get_by_role("button", name="Joindre le fichier").click()
    expect(page.get_by_role("link", name="dossier-de-presse.pdf", exact=True)).to_have_count(1)
    axe("communiqué with attachment")

    page.get_by_role("link", name="Prévisualiser").click()
    page.wait_for_url("**/apercu")
    expect(page.locator("#mail-subject")).to_contain_text(
        "[Sous embargo] Communiqué : Vingt communes rejoignent le club"
    )
    expect(page.locator("#mail-text")).to_contain_text("SOUS EMBARGO JUSQU’AU")
    expect(page.locator("main")).to_contain_text("Visible dans la salle de presse à partir du")
    axe("preview")

    page.get_by_role("link", name="Envoyer…").first.click()
    page.wait_for_url("**/envoyer")
    axe("send form")
    page.get_by_role("button", name="Compter les destinataires").click()
    expect(page.locator("#recipient-count")).to_have_text(re.compile(r"^2 destinataires"))
    axe("send confirmation")
    page.get_by_role("button", name="Envoyer à 2 contacts").click()
    expect(page.get_by_role("status").first).to_contain_text("2 envois mis en file")
    axe("delivery log")

    deliver()
    page.reload()
    expect(page.locator('[data-status="sent"]')).to_have_text("2")
    [mail] = smtp.to("claire@parisien.example.org")
    assert smtp.text_of(mail).startswith("SOUS EMBARGO JUSQU’AU")
    assert [p.get_filename() for p in mail.iter_attachments()] == ["dossier-de-presse.pdf"]

    logout()
    page.goto(f"{live_server}/presse")
    expect(page.locator("main")).not_to_contain_text("Vingt communes rejoignent le club")
    axe("press room before the embargo")

    real = communiques.now_utc
    monkeypatch.setattr(communiques, "now_utc", lambda: real() + timedelta(days=3))
    page.goto(f"{live_server}/presse")
    page.get_by_role("link", name="Vingt communes rejoignent le club").click()
    page.wait_for_url(re.compile(r"/presse/.+"))
    expect(page.locator("main")).to_contain_text("accueillies")
    expect(page.get_by_role("link", name="dossier-de-presse.pdf", exact=True)).to_have_count(1)
    axe("communiqué page after the embargo")

    page.goto(live_server + smtp.link_path(mail, "/desabonnement/"))
    axe("unsubscribe page")
    with page.expect_navigation():  # the page before says "communiqués de presse du club" too
        page.get_by_role("button", name="Confirmer le désabonnement").click()
    expect(page.locator("main")).to_contain_text("communiqués de presse du club")
    axe("unsubscribed")

    page.goto(f"{live_server}/presse/abonnement")
    axe("subscription form")

    # The coordinator sees the address on the suppression list (and has no way to put it back).
    login(coordinator.email)
    page.goto(f"{live_server}/coordination/courriels/")
    page.get_by_role("link", name="Liste de suppression : les adresses désabonnées ou refusées").click()
    page.get_by_label("Liste").select_option(label="Communiqués de presse")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"[?&]liste="))  # the list before the filter shows the address too
    rows = page.get_by_role("table", name="Adresses, les plus récentes en premier")
    expect(rows).to_contain_text("claire@parisien.example.org")
    expect(rows).to_contain_text("Désabonnement")
    expect(page.locator("main form[method=post]")).to_have_count(0)
    axe("suppression list")
