"""Invitation journey: a coordinator invites the élus of Seine-Saint-Denis after checking the preview; an
invitee answers yes from the mail; the meeting being full, the next one waits; a cancellation promotes
them, they get the mail and confirm their seat. Every page is checked with axe-core."""

import sqlalchemy as sa
from playwright.sync_api import expect


def test_invite_answer_wait_and_promotion(
    page, live_server, people, open_meeting, coordinator, smtp, deliver, axe, login, logout, db
):
    from clubess.meetings.models import Registration

    meeting = open_meeting(capacity=1, title="Rencontre de printemps")
    login(coordinator.email)
    page.goto(f"{live_server}/coordination/rencontres/{meeting.id}/inviter")
    axe("invite form")
    page.get_by_label("Élus seulement").check()
    page.get_by_label("93 — Seine-Saint-Denis").check()
    page.get_by_role("button", name="Voir l’aperçu").click()
    expect(page.locator("#recipient-count")).to_have_text("2 destinataires dans 2 collectivités membres")
    expect(page.locator("main")).to_contain_text("Invitation : Rencontre de printemps")
    axe("preview")
    page.get_by_role("button", name="Envoyer 2 invitations").click()
    expect(page.get_by_role("status").first).to_contain_text("2 invitations mises en file d’envoi")
    axe("invitations follow-up")
    logout()

    deliver()
    assert smtp.to("paul@lhay.fr") == []  # Val-de-Marne is not invited

    def mail_to(address, subject):
        [mail] = [m for m in smtp.to(address) if subject in m["Subject"]]
        return mail

    yes = live_server + smtp.link_path(mail_to("helene@montreuil.fr", "Invitation"), "answer=oui")
    page.goto(yes)
    axe("answer page")
    page.get_by_role("button", name="Confirmer : je viens").click()
    expect(page.locator("main")).to_contain_text("vous êtes inscrit·e")
    axe("answer recorded")

    yes = live_server + smtp.link_path(mail_to("sofia@saint-ouen.fr", "Invitation"), "answer=oui")
    page.goto(yes)
    page.get_by_role("button", name="Confirmer : je viens").click()
    expect(page.locator("main")).to_contain_text("liste d’attente, en position 1")

    deliver()
    manage = live_server + smtp.link_path(
        mail_to("helene@montreuil.fr", "Inscription confirmée"), "/inscriptions/gerer/"
    )
    page.goto(manage)
    axe("manage registration")
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.get_by_role("status").first).to_contain_text("Votre inscription est annulée")

    deliver()
    accept = live_server + smtp.link_path(mail_to("sofia@saint-ouen.fr", "Une place s’est libérée"), "answer=oui")
    page.goto(accept)
    axe("offer")
    page.get_by_role("button", name="Je confirme ma place").click()
    expect(page.get_by_role("status").first).to_contain_text("Votre place est confirmée")
    db.session.expire_all()
    statuses = dict(db.session.execute(sa.select(Registration.email, Registration.status)).all())
    assert statuses == {"helene@montreuil.fr": "cancelled", "sofia@saint-ouen.fr": "registered"}

    login(coordinator.email)
    page.goto(f"{live_server}/coordination/rencontres/{meeting.id}/inscrits")
    expect(page.locator("tbody")).to_contain_text("Sofia Martin")
    axe("registrants")
    page.goto(f"{live_server}/rencontres/{meeting.id}")
    axe("meeting page as coordinator")


def test_member_registration_form_and_guest_form_are_accessible(page, live_server, people, open_meeting, axe, login):
    public = open_meeting(audience="public", format="hybride", online_url="https://visio.example.org/x", capacity=30)
    page.goto(f"{live_server}/rencontres/{public.id}/inscription-publique")
    axe("guest form")
    page.get_by_role("button", name="Demander mon inscription").click()
    expect(page.locator("main")).to_contain_text("Le formulaire contient des erreurs")
    axe("guest form with errors")
    login("karim@montreuil.fr")
    page.goto(f"{live_server}/rencontres/{public.id}")
    axe("meeting page with the registration form")
    page.get_by_label("En ligne").check()
    page.get_by_role("button", name="S’inscrire").click()
    expect(page.get_by_role("status").first).to_contain_text("Inscription enregistrée : Karim Benali")
    axe("meeting page once registered")
    page.goto(f"{live_server}/espace/inscriptions")
    expect(page.locator("main")).to_contain_text("Rencontre de juin")
    axe("my registrations")
