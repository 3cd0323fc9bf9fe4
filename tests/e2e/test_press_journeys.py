"""Press journey: a coordinator imports a CSV of journalists (bad rows reported), writes a communiqué under
embargo with a PDF, previews it as mail and web page, sends it after the count; the worker delivers it; the
press room shows it only once the embargo has passed (the press room's clock is moved); a journalist
unsubscribes from the mail's link and the coordinator finds her on the suppression list. Every page is
checked with axe-core."""

from datetime import date, timedelta

from tests.fixtures_press import PDF

CSV = (
    "nom;média;email;thématiques;département;téléphone\n"
    "Claire Dubois;Le Parisien;claire@parisien.example.org;économie, ESS;93;01 23 45 67 89\n"
    "Marc Lefèvre;Les Échos;marc@echos.example.org;économie;;\n"
    "Sans adresse;Ouest;;emploi;75;\n"
    "Nadia;France Bleu;nadia@francebleu.example.org;société;99;\n"
)


def test_import_write_under_embargo_preview_send_and_publish(
    page, live_server, coordinator, smtp, deliver, axe, login, tmp_path, monkeypatch
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
    page.get_by_role("button", name="Importer").click()
    summary = page.locator("#import-summary").inner_text()
    assert "2 contacts créés" in summary and "2 lignes refusées" in summary
    refused = page.get_by_role("table", name="Lignes refusées").inner_text()
    assert "Saisissez une adresse électronique valide" in refused and "Département inconnu" in refused
    axe("import report")

    page.goto(f"{live_server}/coordination/presse/contacts")
    assert "claire@parisien.example.org" in page.locator("main").inner_text()
    axe("contacts")

    page.goto(f"{live_server}/coordination/presse/communiques")
    axe("communiqués list")
    page.get_by_role("link", name="Nouveau communiqué").click()
    axe("communiqué form")
    page.get_by_label("Titre").fill("Vingt communes rejoignent le club")
    page.get_by_label("Chapô").fill("Le club compte désormais 120 collectivités.")
    page.get_by_label("Texte").fill("Les nouvelles adhérentes seront **accueillies** le 12 décembre.")
    embargo_day = date.today() + timedelta(days=2)
    page.get_by_label("Embargo jusqu’au (date)").fill(embargo_day.isoformat())
    page.get_by_label("Embargo jusqu’à (heure)").fill("10:00")
    page.get_by_role("button", name="Enregistrer").click()
    assert "Communiqué enregistré en brouillon" in page.get_by_role("status").first.inner_text()
    page.get_by_label("Ajouter une pièce jointe").set_input_files(str(pdf_file))
    page.get_by_role("button", name="Joindre le fichier").click()
    assert page.get_by_role("link", name="dossier-de-presse.pdf", exact=True).count() == 1
    axe("communiqué with attachment")

    page.get_by_role("link", name="Prévisualiser").click()
    assert "[Sous embargo] Communiqué : Vingt communes rejoignent le club" in page.locator("#mail-subject").inner_text()
    assert "SOUS EMBARGO JUSQU’AU" in page.locator("#mail-text").inner_text()
    assert "Visible dans la salle de presse à partir du" in page.locator("main").inner_text()
    axe("preview")

    page.get_by_role("link", name="Envoyer…").first.click()
    axe("send form")
    page.get_by_role("button", name="Compter les destinataires").click()
    assert page.locator("#recipient-count").inner_text().startswith("2 destinataires")
    axe("send confirmation")
    page.get_by_role("button", name="Envoyer à 2 contacts").click()
    assert "2 envois mis en file" in page.get_by_role("status").first.inner_text()
    axe("delivery log")

    deliver()
    page.reload()
    assert page.locator('[data-status="sent"]').inner_text() == "2"
    [mail] = smtp.to("claire@parisien.example.org")
    assert smtp.text_of(mail).startswith("SOUS EMBARGO JUSQU’AU")
    assert [p.get_filename() for p in mail.iter_attachments()] == ["dossier-de-presse.pdf"]

    page.get_by_role("button", name="Déconnexion").click()
    page.goto(f"{live_server}/presse")
    assert "Vingt communes rejoignent le club" not in page.locator("main").inner_text()
    axe("press room before the embargo")

    real = communiques.now_utc
    monkeypatch.setattr(communiques, "now_utc", lambda: real() + timedelta(days=3))
    page.goto(f"{live_server}/presse")
    page.get_by_role("link", name="Vingt communes rejoignent le club").click()
    assert "accueillies" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="dossier-de-presse.pdf", exact=True).count() == 1
    axe("communiqué page after the embargo")

    page.goto(live_server + smtp.link_path(mail, "/desabonnement/"))
    axe("unsubscribe page")
    page.get_by_role("button", name="Confirmer le désabonnement").click()
    assert "communiqués de presse du club" in page.locator("main").inner_text()
    axe("unsubscribed")

    page.goto(f"{live_server}/presse/abonnement")
    axe("subscription form")

    # The coordinator sees the address on the suppression list (and has no way to put it back).
    login(coordinator.email)
    page.goto(f"{live_server}/coordination/courriels/")
    page.get_by_role("link", name="Liste de suppression : les adresses désabonnées ou refusées").click()
    page.get_by_label("Liste").select_option(label="Communiqués de presse")
    page.get_by_role("button", name="Filtrer").click()
    rows = page.get_by_role("table", name="Adresses, les plus récentes en premier").inner_text()
    assert "claire@parisien.example.org" in rows and "Désabonnement" in rows
    assert page.locator("main form[method=post]").count() == 0
    axe("suppression list")
