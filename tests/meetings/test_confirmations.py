"""No click on a meeting does irreversible harm: cancelling, publishing, changes that mail people, deleting
an agenda item and reminders are confirmed on a page that says who is told; « tenue » is reversible."""

from datetime import timedelta

import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from clubess.core.db import now_utc
from clubess.mailing.models import OutboxMessage
from clubess.meetings.models import Invitation, Meeting, Registration
from tests.calendar_checks import calendar_part
from tests.pages import effects_of, get_page


def _status(db, meeting) -> str:
    db.session.expire_all()
    return db.session.get(Meeting, meeting.id).status


def _outbox(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.recipient)))


def _people_around(db, meeting, people):
    """Hand-made: registered Hélène (member) and Ana (public); waiting: Willy (also invited) and Olga (offered a
    seat); Gus never confirmed his address; Chloé cancelled (though invited); invited without refusal: Xavier
    (no answer) and Yasmine (said yes, not yet registered); Denis declined. Told: 2 registered, 2 waiting,
    2 invited = 6; their calendars hold it for 5 (not Olga's)."""
    rows = [
        ("helene@montreuil.fr", "Hélène Durand", "registered"),
        ("ana@asso.example.org", "Ana Lopez", "registered"),
        ("willy@example.org", "Willy", "waitlisted"),
        ("olga@example.org", "Olga", "offered"),
        ("gus@example.org", "Gus", "pending"),
        ("chloe@example.org", "Chloé", "cancelled"),
    ]
    for email, name, status in rows:
        db.session.add(Registration(meeting=meeting, email=email, name=name, status=status))
    for email, name, response in [
        ("willy@example.org", "Willy", "none"),
        ("chloe@example.org", "Chloé", "none"),
        ("xavier@example.org", "Xavier", "none"),
        ("yasmine@example.org", "Yasmine", "accepted"),
        ("denis@example.org", "Denis", "declined"),
        ("helene@montreuil.fr", "Hélène Durand", "accepted"),
    ]:
        db.session.add(Invitation(meeting=meeting, email=email, name=name, response=response))
    db.session.commit()


def test_cancelling_a_published_meeting_says_who_will_be_told_and_tells_exactly_them(
    client, db, people, open_meeting, coordinator, smtp, deliver
):
    meeting = open_meeting()
    _people_around(db, meeting, people)
    client.login(coordinator.email)
    edit = get_page(client, f"/coordination/rencontres/{meeting.id}").get_data(as_text=True)
    assert f'href="/coordination/rencontres/{meeting.id}/statut?status=cancelled"' in edit  # a link, not a POST

    page = get_page(client, f"/coordination/rencontres/{meeting.id}/statut?status=cancelled").get_data(as_text=True)
    assert effects_of(page)[:2] == [
        "6 personnes recevront l’annulation par courriel : 2 inscrit·es, 2 en liste d’attente et 2 invité·es sans "
        "refus.",
        "Pour 5 d’entre elles, le courriel retire la rencontre de leur agenda.",
    ]
    assert "Annuler la rencontre et prévenir 6 personnes" in page
    listed = {"Hélène Durand", "Ana Lopez", "Willy", "Olga", "Xavier", "Yasmine"}
    assert all(f"{name} &lt;" in page for name in listed)
    assert "Gus" not in page and "Chloé" not in page and "Denis" not in page
    assert _status(db, meeting) == "published" and _outbox(db) == []  # asking changed nothing

    client.confirm(f"/coordination/rencontres/{meeting.id}/statut?status=cancelled")
    assert _status(db, meeting) == "cancelled"
    sent = {m.recipient for m in _outbox(db) if m.category == "meetings.meeting_cancelled"}
    assert sent == {
        "helene@montreuil.fr",
        "ana@asso.example.org",
        "willy@example.org",
        "olga@example.org",
        "xavier@example.org",
        "yasmine@example.org",
    }
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "meeting.status_changed"))
    assert event.details == {"before": "published", "after": "cancelled", "notified": 6}
    assert event.actor_id == coordinator.id

    deliver()
    assert calendar_part(smtp.to("helene@montreuil.fr")[0]).get_param("method") == "CANCEL"
    assert calendar_part(smtp.to("willy@example.org")[0]).get_param("method") == "CANCEL"
    [olga] = smtp.to("olga@example.org")
    assert calendar_part(olga) is None  # her calendar never held it
    assert "vous étiez sur la liste d’attente" in smtp.text_of(olga)


def test_a_post_without_the_confirmation_shows_the_page_and_changes_nothing(
    client, db, people, open_meeting, coordinator
):
    meeting = open_meeting()
    _people_around(db, meeting, people)
    client.login(coordinator.email)
    response = client.submit(
        f"/coordination/rencontres/{meeting.id}/statut",
        {"status": "cancelled"},
        form_url=f"/coordination/rencontres/{meeting.id}/statut?status=cancelled",
    )
    assert response.status_code == 200 and "Ce qui va se passer" in response.get_data(as_text=True)
    assert _status(db, meeting) == "published" and _outbox(db) == []


def test_cancelling_a_draft_or_a_meeting_nobody_follows_says_nobody_is_told(client, db, open_meeting, coordinator):
    draft = open_meeting(status="draft")
    empty = open_meeting(title="Personne")
    client.login(coordinator.email)
    page = get_page(client, f"/coordination/rencontres/{draft.id}/statut?status=cancelled").get_data(as_text=True)
    assert effects_of(page)[0] == "La rencontre n’est pas publiée : personne n’est prévenu."
    page = get_page(client, f"/coordination/rencontres/{empty.id}/statut?status=cancelled").get_data(as_text=True)
    assert effects_of(page)[0] == "Personne n’est inscrit ni invité : personne n’est prévenu."
    client.confirm(f"/coordination/rencontres/{empty.id}/statut?status=cancelled")
    assert _status(db, empty) == "cancelled" and _outbox(db) == []


def test_a_meeting_is_marked_held_only_once_started_and_can_be_reopened(client, db, open_meeting, coordinator):
    future = open_meeting()
    client.login(coordinator.email)
    page = get_page(client, f"/coordination/rencontres/{future.id}").get_data(as_text=True)
    assert 'value="held"' not in page  # the button is not offered
    assert (
        "La rencontre n&#39;a pas encore commencé : elle pourra être marquée tenue à partir du jeudi 17 juin 2027"
        in page
    )
    refused = client.submit(
        f"/coordination/rencontres/{future.id}/statut",
        {"status": "held"},
        form_url=f"/coordination/rencontres/{future.id}",
        follow_redirects=True,
    )
    assert "pas encore commencé" in refused.get_data(as_text=True)
    assert _status(db, future) == "published"

    today = now_utc().astimezone().date()
    started = open_meeting(day=(today.year, today.month, today.day), title="Ce matin")
    started.starts_at = now_utc() - timedelta(minutes=30)
    started.ends_at = now_utc() + timedelta(hours=2)
    db.session.commit()
    page = get_page(client, f"/coordination/rencontres/{started.id}").get_data(as_text=True)
    assert 'value="held"' in page
    url = f"/coordination/rencontres/{started.id}/statut"
    client.submit(url, {"status": "held"}, form_url=f"/coordination/rencontres/{started.id}")  # one click
    assert _status(db, started) == "held"
    page = get_page(client, f"/coordination/rencontres/{started.id}").get_data(as_text=True)
    assert "Rouvrir (remettre en « publiée »)" in page
    client.submit(url, {"status": "published"}, form_url=f"/coordination/rencontres/{started.id}")
    assert _status(db, started) == "published"
    changes = [
        (e.details["before"], e.details["after"])
        for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "meeting.status_changed").order_by(AuditEvent.id)
        )
    ]
    assert changes == [("published", "held"), ("held", "published")]


def test_publishing_and_unpublishing_say_what_becomes_public_and_who_is_not_told(
    client, db, people, open_meeting, coordinator
):
    draft = open_meeting(status="draft", audience="public")
    client.login(coordinator.email)
    page = get_page(client, f"/coordination/rencontres/{draft.id}/statut?status=published").get_data(as_text=True)
    assert "Les inscriptions s’ouvrent à tous les visiteurs." in effects_of(page)
    client.confirm(f"/coordination/rencontres/{draft.id}/statut?status=published")
    assert _status(db, draft) == "published"

    _people_around(db, draft, people)
    page = get_page(client, f"/coordination/rencontres/{draft.id}/statut?status=draft").get_data(as_text=True)
    assert effects_of(page)[1].startswith("6 personnes inscrites, en attente ou invitées ne sont pas prévenues")
    client.confirm(f"/coordination/rencontres/{draft.id}/statut?status=draft")
    assert _status(db, draft) == "draft" and _outbox(db) == []


def test_a_change_of_place_that_mails_people_is_confirmed_with_their_number(
    client, db, people, open_meeting, coordinator
):
    from tests.fixtures_meetings import meeting_form

    meeting = open_meeting()
    db.session.add(Registration(meeting=meeting, email="helene@montreuil.fr", name="Hélène Durand"))
    db.session.add(Invitation(meeting=meeting, email="xavier@example.org", name="Xavier"))
    db.session.commit()
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}"
    asked = client.submit(url, meeting_form(meeting, venue="Hôtel de ville"))
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert effects_of(page)[:2] == [
        "Ce qui change : le lieu.",
        "2 personnes recevront la mise à jour dans leur agenda : 1 inscrit·e et 1 invité·e sans refus.",
    ]
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).venue == "Maison de l'ESS" and _outbox(db) == []

    client.confirm(url, meeting_form(meeting, venue="Hôtel de ville"))
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).venue == "Hôtel de ville"
    assert {m.recipient for m in _outbox(db)} == {"helene@montreuil.fr", "xavier@example.org"}

    saved = client.submit(url, meeting_form(meeting, venue="Hôtel de ville", title="Un autre titre"))
    assert saved.status_code == 302  # not material: one click, nobody mailed


def test_removing_an_agenda_item_asks_first(client, db, open_meeting, coordinator, speakers):
    meeting = open_meeting(items=2)
    item = meeting.items[0]
    item.speakers = speakers
    db.session.commit()
    client.login(coordinator.email)
    edit = get_page(client, f"/coordination/rencontres/{meeting.id}").get_data(as_text=True)
    assert f'href="/coordination/ordre-du-jour/{item.id}/supprimer"' in edit
    page = get_page(client, f"/coordination/ordre-du-jour/{item.id}/supprimer").get_data(as_text=True)
    assert "Retirer « Point 1 » de l’ordre du jour ?" in page and "Claire Fontaine" in page
    db.session.expire_all()
    assert len(db.session.get(Meeting, meeting.id).items) == 2
    client.confirm(f"/coordination/ordre-du-jour/{item.id}/supprimer")
    db.session.expire_all()
    assert [i.title for i in db.session.get(Meeting, meeting.id).items] == ["Point 2"]


def test_reminders_are_confirmed_with_the_people_they_go_to(client, db, open_meeting, coordinator):
    meeting = open_meeting()
    old = now_utc() - timedelta(days=3)
    for email, response, reminders in [
        ("a@example.org", "none", 0),
        ("b@example.org", "none", 1),
        ("c@example.org", "none", 2),  # reminded twice already
        ("d@example.org", "declined", 0),
    ]:
        db.session.add(Invitation(meeting=meeting, email=email, response=response, invited_at=old, reminders=reminders))
    db.session.commit()
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}/invitations"
    assert "Relancer 2 personnes sans réponse…" in get_page(client, url).get_data(as_text=True)
    page = client.submit(url).get_data(as_text=True)
    assert effects_of(page)[0] == "2 personnes sans réponse reçoivent l’invitation une nouvelle fois."
    assert "a@example.org" in page and "b@example.org" in page and "c@example.org" not in page
    assert _outbox(db) == []
    client.confirm(url, {})
    assert {m.recipient for m in _outbox(db)} == {"a@example.org", "b@example.org"}


def test_replacing_the_personal_calendar_link_asks_first_creating_it_does_not(client, make_user, db):
    user = make_user(email="membre@example.org")
    client.login(user.email)
    assert client.submit("/espace/agenda", {"action": "renew"}).status_code == 302  # the first link: one click
    db.session.expire_all()
    first = db.session.get(type(user), user.id).calendar_token
    page = client.submit("/espace/agenda", {"action": "revoke"}).get_data(as_text=True)
    assert "Désactiver votre lien d’agenda ?" in page
    db.session.expire_all()
    assert db.session.get(type(user), user.id).calendar_token == first
    client.confirm("/espace/agenda", {"action": "revoke"})
    db.session.expire_all()
    assert db.session.get(type(user), user.id).calendar_token is None


def test_the_cancel_confirmation_runs_a_bounded_number_of_queries(
    client, db, people, open_meeting, coordinator, count_queries
):
    meeting = open_meeting()
    _people_around(db, meeting, people)
    for i in range(40):
        db.session.add(Invitation(meeting=meeting, email=f"n{i}@example.org", name=f"N{i}"))
    db.session.commit()
    client.login(coordinator.email)
    with count_queries() as counter:
        page = client.get(f"/coordination/rencontres/{meeting.id}/statut?status=cancelled").get_data(as_text=True)
    assert "46 personnes recevront l’annulation" in page
    assert counter.count <= 8, counter.statements
