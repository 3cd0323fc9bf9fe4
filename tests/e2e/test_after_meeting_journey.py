"""The whole after-meeting cycle in one browser journey, as the club runs it: the coordinator uploads the slides,
prints the sign-in sheet, records attendance, marks the meeting held and publishes the minutes; an attendee
receives them (local SMTP) and opens the slides from the mail; the référent of her collectivity records a
commitment made at the meeting and marks it done the next quarter. axe-core checks every page met."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from clubess.resources.demo_files import make_pdf
from tests.e2e.test_commitments_journeys import _a_quarter_later
from tests.meetings.test_attendance import PAST, register
from tests.meetings.test_signin_sheet import pdftotext


def test_the_after_meeting_cycle_from_the_slides_to_a_commitment_done(
    page, live_server, db, people, coordinator, make_meeting, smtp, deliver, axe, login, logout, tmp_path
):
    from clubess.commitments import quarters
    from clubess.commitments.models import Commitment

    meeting = make_meeting(day=PAST, title="Rencontre « Achats responsables »")
    for name in ("helene", "karim", "sofia", "paul"):
        register(db, meeting, people[name])
    slides = tmp_path / "spaser-est-ensemble.pdf"
    slides.write_bytes(make_pdf(["Un SPASER en dix étapes", "Clauses sociales"], "Le SPASER d’Est Ensemble"))
    back_office = f"{live_server}/coordination/rencontres/{meeting.id}"

    # the coordinator uploads the slides, for the people registered
    login(coordinator.email)
    page.goto(back_office)
    page.get_by_role("link", name="Gérer les documents de la rencontre").click()
    page.wait_for_url(re.compile(r".*/documents$"))
    page.get_by_label("Titre").fill("Support : le SPASER d’Est Ensemble")
    page.get_by_label("Fichier").set_input_files(str(slides))
    page.get_by_label("Personnes inscrites à la rencontre").check()
    page.get_by_role("button", name="Ajouter le document").click()
    expect(page.get_by_role("status").first).to_contain_text("Document ajouté")
    axe("documents of the meeting")

    # ... prints the sign-in sheet: the four registrants, accents intact
    page.goto(back_office)
    sheet = page.get_by_role("link", name="Feuille d’émargement (PDF)")
    pdf = page.context.request.get(live_server + sheet.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = pdftotext(pdf.body())
    for name in ("Hélène Durand", "Karim Benali", "Sofia Martin", "Paul Roux"):
        assert name in text
    assert "Total : 4 personnes inscrites" in text

    # ... records attendance in one screen (Paul did not come) and marks the meeting held
    page.get_by_role("link", name="Présences et personnes venues sans inscription").click()
    page.wait_for_url(re.compile(r"/presences$"))
    page.get_by_role("link", name="Tout cocher « présent·e »").click()
    expect(page.get_by_role("status").first).to_contain_text("Tout le monde est coché présent·e")
    page.get_by_role("group", name="Présence de Paul Roux").get_by_label("Absent·e").check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "1 personne marquée absente, 3 personnes marquées présentes"
    )
    axe("attendance recorded")
    page.get_by_role("button", name="Marquer comme tenue").click()
    expect(page.get_by_role("status").first).to_contain_text("Tenue")

    # ... writes and publishes the minutes, after the page that says who gets them
    page.goto(back_office)
    page.get_by_role("link", name="Écrire le compte rendu").click()
    page.get_by_label("Compte rendu", exact=True).fill("## Échanges\n\nEst Ensemble a présenté **son SPASER**.")
    page.get_by_label("Décision", exact=True).first.fill("Créer un groupe de travail sur les SPASER")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("status").first).to_contain_text("Le brouillon du compte rendu est enregistré.")
    page.get_by_role("link", name="Publier et envoyer…").click()
    expect(page.locator("main")).to_contain_text("3 personnes recevront le compte rendu par courriel")
    axe("publish the minutes: who is told")
    page.get_by_role("button", name="Publier et envoyer à 3 personnes").click()
    expect(page.get_by_role("status").first).to_contain_text("3 personnes")
    logout()

    # the worker mails the three people present, not Paul
    assert deliver()["sent"] == 3
    assert smtp.to(people["paul"].email) == []
    [mail] = smtp.to(people["helene"].email)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Créer un groupe de travail sur les SPASER" in smtp.text_of(mail)
    document = smtp.link_path(mail, "/ressources/")

    # Hélène opens the slides from her mail
    login(people["helene"].email)
    page.goto(live_server + document)
    expect(page.get_by_role("heading", level=1)).to_have_text("Support : le SPASER d’Est Ensemble")
    axe("document page, from the minutes mail")
    opened = page.request.get(live_server + page.get_by_role("link", name="Ouvrir le fichier").get_attribute("href"))
    assert opened.status == 200 and opened.headers["content-type"] == "application/pdf"
    assert "SPASER en dix" in pdftotext(opened.body())
    page.goto(f"{live_server}/rencontres/{meeting.id}")
    expect(page.locator("#compte-rendu")).to_contain_text("Créer un groupe de travail sur les SPASER")
    axe("meeting page with its minutes")

    # ... and, as référent of Montreuil, records what Montreuil commits to at this meeting
    page.goto(f"{live_server}/espace/engagements")
    page.get_by_role("link", name="Enregistrer un engagement").click()
    page.get_by_label("Engagement", exact=True).fill("Adopter un SPASER avec 10 % d’achats auprès de l’ESS")
    page.get_by_label("Levier").select_option("achats_responsables")
    page.get_by_label("À quoi verra-t-on que c’est réussi ?").fill("Le schéma est voté en conseil municipal.")
    page.get_by_label("Personne en charge").select_option(str(people["karim"].id))
    page.get_by_label("Trimestre visé").select_option(quarters.code(*quarters.of_day(quarters.today())))
    page.get_by_label("Rencontre où l’engagement a été pris").select_option(str(meeting.id))
    page.get_by_role("button", name="Enregistrer l’engagement").click()
    expect(page.get_by_role("status").first).to_contain_text("est enregistré")
    axe("commitment recorded")
    commitment_id = db.session.scalar(sa.select(Commitment.id))

    # the next quarter: late, then done, with its history
    _a_quarter_later(db, commitment_id)
    page.goto(f"{live_server}/espace/engagements")
    expect(page.locator("main")).to_contain_text("En retard")
    page.get_by_role("link", name=re.compile("Adopter un SPASER")).click()
    page.get_by_label("Réalisé").check()
    page.get_by_label("Note", exact=True).fill("Voté au conseil municipal du 12 mars.")
    page.get_by_role("button", name="Enregistrer la mise à jour").click()
    expect(page.get_by_role("status").first).to_contain_text("L’engagement est mis à jour.")
    expect(page.locator(".history")).to_contain_text("Statut : Prévu → Réalisé")
    axe("commitment done")
    db.session.remove()
    assert db.session.get(Commitment, commitment_id).status == "done"
