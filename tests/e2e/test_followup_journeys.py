"""After the meeting: the coordinator writes the minutes of a held workshop with a decision, previews them without
saving, publishes after the count; the worker mails each attendee; an attendee opens the minutes and the
workshop's contributions on the meeting page, answers the questionnaire from the mail's personal link without
logging in (a second try is refused), and the coordinator reads the result and prepares a communiqué. Every page
is checked with axe-core."""

import sqlalchemy as sa


def test_publish_minutes_answer_the_survey_and_prepare_a_communique(
    page, live_server, db, coordinator, held_meeting, territories, smtp, deliver, axe, login
):
    from clubess.meetings import contributions

    workshop = held_meeting(kind="atelier_territorial", title="Atelier foncier solidaire")
    contributions.add_contribution(
        coordinator,
        workshop,
        contributions.ContributionData("constat", "Des locaux vacants", "Trop chers à rénover.", None, None),
    )
    db.session.commit()
    back_office = f"{live_server}/coordination/rencontres/{workshop.id}"

    login(coordinator.email)
    page.goto(back_office)
    axe("meeting back office, before the minutes")
    page.get_by_role("link", name="Écrire le compte rendu").click()
    axe("minutes form")
    page.get_by_label("Compte rendu", exact=True).fill("## Diagnostic\n\nLes élus ont fait **le point**.")
    page.get_by_label("Décision", exact=True).first.fill("Recenser les locaux vacants")
    page.get_by_role("button", name="Prévisualiser").click()
    assert "le point" in page.locator(".preview").inner_text()
    axe("minutes preview")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("link", name="Publier et envoyer…").click()
    axe("publish confirmation")
    page.get_by_role("button", name="Publier et envoyer à 4 personnes").click()
    assert "4 personnes" in page.get_by_role("status").first.inner_text()

    assert deliver()["sent"] == 4
    [mail] = smtp.to("sofia@saint-ouen.fr")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Recenser les locaux vacants" in smtp.text_of(mail)
    survey = smtp.link_path(mail, "/questionnaire/")

    # the attendee, logged in, reads the minutes and the contributions on the meeting page
    page.context.clear_cookies()
    login("sofia@saint-ouen.fr")
    page.goto(f"{live_server}/rencontres/{workshop.id}")
    minutes = page.locator("#compte-rendu").inner_text()
    assert "Les élus ont fait le point." in minutes and "Recenser les locaux vacants" in minutes
    assert "Des locaux vacants" in page.locator("#contributions").inner_text()
    axe("meeting page with the minutes")

    # ... and answers the questionnaire without an account
    page.context.clear_cookies()
    page.goto(f"{live_server}{survey}")
    axe("survey")
    page.get_by_label("4 — Bonne").check()
    page.get_by_label("Un thème que vous aimeriez", exact=False).fill("Le bail emphytéotique")
    page.get_by_role("button", name="Envoyer mon avis").click()
    assert "Votre réponse est enregistrée" in page.locator("main").inner_text()
    axe("survey thanks")
    page.goto(f"{live_server}{survey}")
    assert "Vous avez déjà répondu" in page.locator("main").inner_text()
    axe("survey refused")

    login(coordinator.email)
    page.goto(back_office)
    assert "Le bail emphytéotique" in page.locator("#apres-la-rencontre").inner_text()
    page.get_by_role("button", name="Préparer un communiqué").click()
    assert page.get_by_label("Titre").input_value() == "Atelier foncier solidaire"
    assert "Recenser les locaux vacants" in page.get_by_label("Texte").input_value()
    axe("communiqué prepared from the meeting")

    from clubess.meetings.followup_models import SurveyAnswer

    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyAnswer)) == 1
