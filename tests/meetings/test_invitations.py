"""Invitations: audience, preview, iMIP REQUEST mails, one-click answers, follow-up, reminders, unsubscribe."""

from datetime import timedelta

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.mailing.models import OutboxMessage
from clubess.meetings.models import Invitation, Registration
from tests.calendar_checks import calendar_part, ical_js


def _preview(client, meeting, **data):
    form = {"use_members": "y", "people": "all", "action": "preview", **data}
    return client.submit(f"/coordination/rencontres/{meeting.id}/inviter", form)


def test_coordinator_previews_then_invites_the_elus_of_a_department(
    client, db, people, open_meeting, coordinator, smtp, deliver
):
    meeting = open_meeting()
    client.login("coordination@example.org")
    preview = _preview(client, meeting, people="elus", departments="93").get_data(as_text=True)
    # Élus of Seine-Saint-Denis: Hélène (Montreuil) and Sofia (Saint-Ouen); not Paul (94), not the agents.
    assert "2 destinataires" in preview and "Exemple de courriel" in preview
    assert "Hélène Durand" in preview and "Sofia Martin" in preview and "Paul Roux" not in preview
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0  # a preview sends nothing

    changed = client.submit(
        f"/coordination/rencontres/{meeting.id}/inviter",
        {"use_members": "y", "people": "elus", "action": "send", "expected": "5"},
    )
    assert "Le public a changé depuis l’aperçu" in changed.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0

    sent = client.submit(
        f"/coordination/rencontres/{meeting.id}/inviter",
        {"use_members": "y", "people": "elus", "departments": "93", "action": "send", "expected": "2"},
    )
    assert sent.status_code == 302
    deliver()
    [mail] = smtp.to("sofia@saint-ouen.fr")
    assert "ne-pas-repondre@club-ess.example.org" in mail["From"]
    assert mail["Reply-To"] == "coordination@example.org"
    assert (
        mail["List-Unsubscribe"].startswith("<http") and mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    part = calendar_part(mail)
    assert part.get_param("method") == "REQUEST"
    parsed = ical_js(part.get_payload(decode=True))
    assert parsed["method"] == "REQUEST"
    [event] = parsed["events"]
    assert event["attendee_list"] == [
        {"value": "mailto:sofia@saint-ouen.fr", "partstat": "NEEDS-ACTION", "rsvp": "TRUE"}
    ]
    assert event["organizer"] == "mailto:ne-pas-repondre@club-ess.example.org"
    assert not smtp.to("paul@lhay.fr") and not smtp.to("karim@montreuil.fr")

    again = _preview(client, meeting, people="elus", departments="93").get_data(as_text=True)
    assert "Aucun nouveau destinataire" in again and "2 personnes déjà invitées" in again


def test_an_invitee_answers_from_the_mail_and_the_coordinator_follows_up(
    client, db, people, open_meeting, coordinator, smtp, deliver
):
    meeting = open_meeting(capacity=1)
    client.login("coordination@example.org")
    client.submit(
        f"/coordination/rencontres/{meeting.id}/inviter",
        {"use_members": "y", "people": "elus", "action": "send", "expected": "3"},
    )
    deliver()
    visitor = client.application.test_client()

    def answer(address, which):
        path = smtp.link_path(smtp.to(address)[0], f"answer={which}")
        assert "Confirmer" in visitor.get(path).get_data(as_text=True)  # a scanner stops here
        return visitor.submit(path)

    page = answer("helene@montreuil.fr", "oui").get_data(as_text=True)
    assert "vous êtes inscrit·e" in page
    page = answer("sofia@saint-ouen.fr", "oui").get_data(as_text=True)
    assert "liste d’attente, en position 1" in page
    answer("paul@lhay.fr", "non")
    statuses = {r.email: r.status for r in db.session.scalars(sa.select(Registration))}
    assert statuses == {"helene@montreuil.fr": "registered", "sofia@saint-ouen.fr": "waitlisted"}

    follow = client.get(f"/coordination/rencontres/{meeting.id}/invitations").get_data(as_text=True)
    assert "Invités : 3" in follow and "Inscrit·e : 1" in follow and "Liste d’attente : 1" in follow
    assert "Ne vient pas : 1" in follow

    # Helene changes her mind from the same mail: her seat goes to Sofia.
    answer("helene@montreuil.fr", "non")
    db.session.expire_all()
    statuses = {r.email: r.status for r in db.session.scalars(sa.select(Registration))}
    assert statuses == {"helene@montreuil.fr": "cancelled", "sofia@saint-ouen.fr": "offered"}


def test_reminders_go_to_those_who_did_not_answer_only(client, db, people, open_meeting, coordinator, smtp, deliver):
    meeting = open_meeting()
    client.login("coordination@example.org")
    client.submit(
        f"/coordination/rencontres/{meeting.id}/inviter",
        {"use_members": "y", "people": "agents", "action": "send", "expected": "2"},
    )
    karim = db.session.scalar(sa.select(Invitation).where(Invitation.email == "karim@montreuil.fr"))
    karim.response = "declined"
    for invitation in db.session.scalars(sa.select(Invitation)):
        invitation.invited_at = now_utc() - timedelta(days=2)
    db.session.commit()
    client.confirm(f"/coordination/rencontres/{meeting.id}/invitations", {}, expect="Relancer 1 personne")
    deliver()
    reminders = [m for m in smtp.messages if m["Subject"].startswith("Relance")]
    assert [m["To"] for m in reminders] == ["leo@saint-ouen.fr"]
    again = client.submit(f"/coordination/rencontres/{meeting.id}/invitations", follow_redirects=True)
    assert "Personne à relancer maintenant." in again.get_data(as_text=True)  # a second click the same day
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.subject.like("Relance%"))) == 1


def test_pasted_lists_validate_addresses_and_keep_non_members_out_of_members_meetings(
    client, db, people, open_meeting, coordinator
):
    meeting = open_meeting()
    client.login("coordination@example.org")
    text = "Paul <paul@lhay.fr>; pas-une-adresse\ninconnue@example.org, paul@lhay.fr"
    page = _preview(client, meeting, use_members="", pasted=text).get_data(as_text=True)
    assert "1 destinataire" in page and "pas-une-adresse" in page
    assert "Pas membres du club" in page and "inconnue@example.org" in page
    public = open_meeting(title="Ouverte", audience="public")
    page = _preview(client, public, use_members="", pasted=text).get_data(as_text=True)
    assert "2 destinataires" in page


def test_one_click_unsubscribe_needs_no_login_and_stops_the_next_invitations(
    client, db, people, open_meeting, coordinator, smtp, deliver
):
    meeting = open_meeting()
    client.login("coordination@example.org")
    client.submit(
        f"/coordination/rencontres/{meeting.id}/inviter",
        {"use_members": "y", "people": "elus", "departments": "94", "action": "send", "expected": "1"},
    )
    deliver()
    [mail] = smtp.to("paul@lhay.fr")
    url = mail["List-Unsubscribe"].strip("<>")
    stranger = client.application.test_client()
    assert "Confirmer le désabonnement" in stranger.get(smtp.local_path(url)).get_data(as_text=True)
    assert people["paul"].wants_invitations is True
    response = stranger.post(
        smtp.local_path(url), data={"List-Unsubscribe": "One-Click"}
    )  # what Gmail sends (RFC 8058)
    assert response.status_code == 204
    db.session.expire_all()
    from clubess.members.models import Member

    assert db.session.get(Member, people["paul"].id).wants_invitations is False
    other = open_meeting(title="Suivante")
    page = _preview(client, other, people="elus", departments="94").get_data(as_text=True)
    assert "Aucun nouveau destinataire" in page
    assert stranger.post("/desabonnement/faux-jeton").status_code == 400


def test_an_invitee_who_unsubscribes_before_the_worker_runs_gets_nothing(
    client, db, people, open_meeting, coordinator, smtp, deliver
):
    """Invitations are written when the worker sends them: the unsubscribe is checked at that moment."""
    from clubess.members.services import stop_invitations

    meeting = open_meeting()
    client.login("coordination@example.org")
    client.submit(
        f"/coordination/rencontres/{meeting.id}/inviter",
        {"use_members": "y", "people": "elus", "action": "send", "expected": "3"},
    )
    stop_invitations("paul@lhay.fr")
    db.session.commit()
    stats = deliver()
    assert stats["sent"] == 2 and stats["skipped"] == 1
    assert smtp.to("paul@lhay.fr") == []
    mail = smtp.to("helene@montreuil.fr")[0]
    assert mail["Reply-To"] == "coordination@example.org"
    assert "invitation" in mail["Subject"].lower()
