"""Invitation journey: a coordinator invites the élus of Seine-Saint-Denis after checking the preview; an
invitee answers yes from the mail; the meeting being full, the next one waits; a cancellation promotes
them, they get the mail and confirm their seat. Every page is checked with axe-core."""

import sqlalchemy as sa


def test_invite_answer_wait_and_promotion(
    page, live_server, people, open_meeting, coordinator, smtp, deliver, axe, login, db
):
    from clubess.meetings.models import Registration

    meeting = open_meeting(capacity=1, title="Rencontre de printemps")
    login(coordinator.email)
    page.goto(f"{live_server}/coordination/rencontres/{meeting.id}/inviter")
    axe("invite form")
    page.get_by_label("Élus seulement").check()
    page.get_by_label("93 — Seine-Saint-Denis").check()
    page.get_by_role("button", name="Voir l’aperçu").click()
    assert page.locator("#recipient-count").inner_text() == "2 destinataires"
    assert "Invitation : Rencontre de printemps" in page.locator("main").inner_text()
    axe("preview")
    page.get_by_role("button", name="Envoyer 2 invitations").click()
    assert "2 invitations mises en file d’envoi" in page.get_by_role("status").first.inner_text()
    axe("invitations follow-up")
    page.get_by_role("button", name="Déconnexion").click()

    deliver()
    assert smtp.to("paul@lhay.fr") == []  # Val-de-Marne is not invited

    def mail_to(address, subject):
        [mail] = [m for m in smtp.to(address) if subject in m["Subject"]]
        return mail

    yes = live_server + smtp.link_path(mail_to("helene@montreuil.fr", "Invitation"), "answer=oui")
    page.goto(yes)
    axe("answer page")
    page.get_by_role("button", name="Confirmer : je viens").click()
    assert "vous êtes inscrit·e" in page.locator("main").inner_text()
    axe("answer recorded")

    yes = live_server + smtp.link_path(mail_to("sofia@saint-ouen.fr", "Invitation"), "answer=oui")
    page.goto(yes)
    page.get_by_role("button", name="Confirmer : je viens").click()
    assert "liste d’attente, en position 1" in page.locator("main").inner_text()

    deliver()
    manage = live_server + smtp.link_path(
        mail_to("helene@montreuil.fr", "Inscription confirmée"), "/inscriptions/gerer/"
    )
    page.goto(manage)
    axe("manage registration")
    page.get_by_role("button", name="Annuler mon inscription").click()
    assert "Votre inscription est annulée" in page.get_by_role("status").first.inner_text()

    deliver()
    accept = live_server + smtp.link_path(mail_to("sofia@saint-ouen.fr", "Une place s’est libérée"), "answer=oui")
    page.goto(accept)
    axe("offer")
    page.get_by_role("button", name="Je confirme ma place").click()
    assert "Votre place est confirmée" in page.get_by_role("status").first.inner_text()
    db.session.expire_all()
    statuses = dict(db.session.execute(sa.select(Registration.email, Registration.status)).all())
    assert statuses == {"helene@montreuil.fr": "cancelled", "sofia@saint-ouen.fr": "registered"}

    login(coordinator.email)
    page.goto(f"{live_server}/coordination/rencontres/{meeting.id}/inscrits")
    assert "Sofia Martin" in page.locator("tbody").inner_text()
    axe("registrants")
    page.goto(f"{live_server}/rencontres/{meeting.id}")
    axe("meeting page as coordinator")


def test_member_registration_form_and_guest_form_are_accessible(page, live_server, people, open_meeting, axe, login):
    public = open_meeting(audience="public", format="hybride", online_url="https://visio.example.org/x", capacity=30)
    page.goto(f"{live_server}/rencontres/{public.id}/inscription-publique")
    axe("guest form")
    page.get_by_role("button", name="Demander mon inscription").click()
    assert "Le formulaire contient des erreurs" in page.locator("main").inner_text()
    axe("guest form with errors")
    login("karim@montreuil.fr")
    page.goto(f"{live_server}/rencontres/{public.id}")
    axe("meeting page with the registration form")
    page.get_by_label("En ligne").check()
    page.get_by_role("button", name="S’inscrire").click()
    assert "Inscription enregistrée : Karim Benali" in page.get_by_role("status").first.inner_text()
    axe("meeting page once registered")
    page.goto(f"{live_server}/espace/inscriptions")
    assert "Rencontre de juin" in page.locator("main").inner_text()
    axe("my registrations")
