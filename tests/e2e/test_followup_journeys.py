"""After the meeting: the coordinator writes the minutes of a held workshop with a decision, previews them without
saving, publishes after the count; the worker mails each attendee; an attendee opens the minutes and the
workshop's contributions on the meeting page, answers the questionnaire from the mail's personal link without
logging in (a second try is refused), and the coordinator reads the result and prepares a communiqué. Every page
is checked with axe-core."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect


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
    expect(page.get_by_label("Compte rendu", exact=True)).to_be_visible()
    axe("minutes form")
    page.get_by_label("Compte rendu", exact=True).fill("## Diagnostic\n\nLes élus ont fait **le point**.")
    page.get_by_label("Décision", exact=True).first.fill("Recenser les locaux vacants")
    page.get_by_role("button", name="Prévisualiser").click()
    expect(page.locator(".preview")).to_contain_text("le point")
    axe("minutes preview")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("status").first).to_contain_text("Le brouillon du compte rendu est enregistré.")
    page.get_by_role("link", name="Publier et envoyer…").click()
    expect(page.get_by_role("button", name="Publier et envoyer à 4 personnes")).to_be_visible()
    axe("publish confirmation")
    page.get_by_role("button", name="Publier et envoyer à 4 personnes").click()
    expect(page.get_by_role("status").first).to_contain_text("4 personnes")

    assert deliver()["sent"] == 4
    [mail] = smtp.to("sofia@saint-ouen.fr")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Recenser les locaux vacants" in smtp.text_of(mail)
    survey = smtp.link_path(mail, "/questionnaire/")

    # the attendee, logged in, reads the minutes and the contributions on the meeting page
    page.context.clear_cookies()
    login("sofia@saint-ouen.fr")
    page.goto(f"{live_server}/rencontres/{workshop.id}")
    expect(page.locator("#compte-rendu")).to_contain_text("Les élus ont fait le point.")
    expect(page.locator("#compte-rendu")).to_contain_text("Recenser les locaux vacants")
    expect(page.locator("#contributions")).to_contain_text("Des locaux vacants")
    axe("meeting page with the minutes")

    # ... and answers the questionnaire without an account
    page.context.clear_cookies()
    page.goto(f"{live_server}{survey}")
    expect(page.get_by_role("button", name="Envoyer mon avis")).to_be_visible()
    axe("survey")
    page.get_by_label("4 — Bonne").check()
    page.get_by_label("Un thème que vous aimeriez", exact=False).fill("Le bail emphytéotique")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.locator("main")).to_contain_text("Votre réponse est enregistrée")
    axe("survey thanks")
    page.goto(f"{live_server}{survey}")
    expect(page.locator("main")).to_contain_text("Vous avez déjà répondu")
    axe("survey refused")

    login(coordinator.email)
    page.goto(back_office)
    expect(page.locator("#apres-la-rencontre")).to_contain_text("Le bail emphytéotique")
    page.get_by_role("button", name="Préparer un communiqué").click()
    expect(page.get_by_label("Titre")).to_have_value("Atelier foncier solidaire")
    expect(page.get_by_label("Texte")).to_have_value(re.compile("Recenser les locaux vacants"))
    axe("communiqué prepared from the meeting")

    from clubess.meetings.followup_models import SurveyAnswer

    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyAnswer)) == 1
