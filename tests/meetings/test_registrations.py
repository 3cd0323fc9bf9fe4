"""Registrations: capacity, deadline, waiting list and offers, delegation, colleagues, guests, mail links."""

from datetime import timedelta

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.meetings.models import Registration
from tests.calendar_checks import calendar_part, ical_js


def _registrations(db, meeting):
    db.session.expire_all()
    return {
        r.email: r.status
        for r in db.session.scalars(sa.select(Registration).where(Registration.meeting_id == meeting.id))
    }


def test_a_member_registers_and_gets_an_imip_request_that_ical_js_reads(
    client, db, people, open_meeting, smtp, deliver, app
):
    meeting = open_meeting(capacity=20)
    client.login("helene@montreuil.fr")
    page = client.get(f"/rencontres/{meeting.id}").get_data(as_text=True)
    assert "S’inscrire" in page and "20 places disponibles" in page
    response = client.submit(
        f"/rencontres/{meeting.id}/inscription",
        {"reg-person": people["helene"].id, "reg-on_behalf_of": 0, "reg-share_presence": "y"},
        form_url=f"/rencontres/{meeting.id}",
    )
    assert response.status_code == 302
    assert _registrations(db, meeting) == {"helene@montreuil.fr": "registered"}
    assert "19 places disponibles" in client.get(f"/rencontres/{meeting.id}").get_data(as_text=True)

    deliver()
    [mail] = smtp.to("helene@montreuil.fr")
    assert "ne-pas-repondre@club-ess.example.org" in mail["From"]
    assert mail.get_content_type() == "multipart/mixed"
    part = calendar_part(mail)
    assert part is not None and part.get_param("method") == "REQUEST"
    assert mail.get_payload()[0].get_content_type() == "multipart/alternative"  # where Outlook and Gmail look
    body = part.get_payload(decode=True)
    assert b"METHOD:REQUEST" in body
    parsed = ical_js(body)
    assert parsed["method"] == "REQUEST"
    [event] = parsed["events"]
    assert event["uid"] == meeting.uid
    assert [a["value"].lower() for a in event["attendee_list"]] == ["mailto:helene@montreuil.fr"]
    assert event["attendee_list"][0]["rsvp"] == "TRUE"
    assert event["organizer"] == "mailto:ne-pas-repondre@club-ess.example.org"


def test_double_registration_and_registration_after_the_deadline_are_refused_clearly(client, db, people, open_meeting):
    meeting = open_meeting()
    client.login("helene@montreuil.fr")
    data = {"reg-person": people["helene"].id, "reg-on_behalf_of": 0}
    client.submit(f"/rencontres/{meeting.id}/inscription", data, form_url=f"/rencontres/{meeting.id}")
    again = client.submit(f"/rencontres/{meeting.id}/inscription", data)
    assert again.status_code == 200
    assert "Hélène Durand est déjà inscrit·e à cette rencontre." in again.get_data(as_text=True)
    assert len(_registrations(db, meeting)) == 1

    late = open_meeting(title="Close", registration_deadline=now_utc() - timedelta(hours=1))
    page = client.get(f"/rencontres/{late.id}").get_data(as_text=True)
    assert "Les inscriptions sont closes depuis la date limite." in page
    refused = client.submit(f"/rencontres/{late.id}/inscription", data)
    assert "Les inscriptions sont closes depuis la date limite." in refused.get_data(as_text=True)
    assert _registrations(db, late) == {}


def test_the_waiting_list_is_offered_a_freed_seat_which_expires_to_the_next_person(
    client, db, app, people, open_meeting, coordinator, smtp, deliver
):
    from clubess.meetings import registrations

    meeting = open_meeting(capacity=1)
    coord = db.session.get(type(coordinator), coordinator.id)
    for key in ("helene", "sofia", "paul"):
        registrations.register_member(coord, meeting, people[key])
    db.session.commit()
    assert _registrations(db, meeting) == {
        "helene@montreuil.fr": "registered",
        "sofia@saint-ouen.fr": "waitlisted",
        "paul@lhay.fr": "waitlisted",
    }
    deliver()
    assert "position 2 sur la liste d’attente" in smtp.text_of(smtp.to("paul@lhay.fr")[0])
    assert calendar_part(smtp.to("paul@lhay.fr")[0]) is None  # no seat, nothing in the calendar yet
    smtp.clear()

    client.login("helene@montreuil.fr")
    [mine] = [r for r in db.session.scalars(sa.select(Registration)) if r.email == "helene@montreuil.fr"]
    client.confirm(f"/inscriptions/{mine.id}/annuler", expect="Annuler l’inscription")
    assert _registrations(db, meeting)["sofia@saint-ouen.fr"] == "offered"
    deliver()
    cancel = calendar_part(smtp.to("helene@montreuil.fr")[0])
    assert cancel.get_param("method") == "CANCEL" and b"STATUS:CANCELLED" in cancel.get_payload(decode=True)
    offer_mail = smtp.to("sofia@saint-ouen.fr")[0]
    assert "Une place s’est libérée" in offer_mail["Subject"]

    # Sofia does not answer in time: the cron job hands the seat to Paul.
    sofia = db.session.scalar(sa.select(Registration).where(Registration.email == "sofia@saint-ouen.fr"))
    sofia.offer_expires_at = now_utc() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["meetings", "remind"])
    assert "1 offre(s) expirée(s)" in result.output
    assert _registrations(db, meeting) == {
        "helene@montreuil.fr": "cancelled",
        "sofia@saint-ouen.fr": "cancelled",
        "paul@lhay.fr": "offered",
    }
    smtp.clear()
    deliver()
    assert "Place non confirmée" in smtp.to("sofia@saint-ouen.fr")[0]["Subject"]
    [paul_mail] = smtp.to("paul@lhay.fr")
    path = smtp.link_path(paul_mail, "answer=oui")

    # A mail scanner follows the link: a page, nothing more.
    assert client.get(path).status_code == 200
    assert _registrations(db, meeting)["paul@lhay.fr"] == "offered"
    client.submit(path)
    assert _registrations(db, meeting)["paul@lhay.fr"] == "registered"
    smtp.clear()
    deliver()
    assert calendar_part(smtp.to("paul@lhay.fr")[0]).get_param("method") == "REQUEST"


def test_an_agent_stands_in_for_an_elu_and_the_collectivity_counts_once(
    client, db, people, open_meeting, smtp, deliver
):
    meeting = open_meeting(capacity=2)
    client.login("helene@montreuil.fr")
    client.submit(
        f"/rencontres/{meeting.id}/inscription",
        {"reg-person": people["helene"].id, "reg-on_behalf_of": 0},
        form_url=f"/rencontres/{meeting.id}",
    )
    client.get("/deconnexion")
    client = client.application.test_client()
    client.login("karim@montreuil.fr")
    response = client.submit(
        f"/rencontres/{meeting.id}/inscription",
        {"reg-person": people["karim"].id, "reg-on_behalf_of": people["helene"].id},
        form_url=f"/rencontres/{meeting.id}",
    )
    assert response.status_code == 302
    assert _registrations(db, meeting) == {"helene@montreuil.fr": "cancelled", "karim@montreuil.fr": "registered"}
    assert "1 place disponible" in client.get(f"/rencontres/{meeting.id}").get_data(as_text=True)
    deliver()
    [to_helene] = [m for m in smtp.to("helene@montreuil.fr") if "représenté" in m["Subject"]]
    assert calendar_part(to_helene).get_param("method") == "CANCEL"


def test_a_member_registers_a_colleague_but_nobody_from_another_collectivity(
    client, db, people, open_meeting, smtp, deliver
):
    meeting = open_meeting()
    client.login("karim@montreuil.fr")
    client.submit(
        f"/rencontres/{meeting.id}/inscription",
        {"reg-person": people["helene"].id, "reg-on_behalf_of": 0},
        form_url=f"/rencontres/{meeting.id}",
    )
    assert _registrations(db, meeting) == {"helene@montreuil.fr": "registered"}
    deliver()
    assert "Karim Benali vous a inscrit·e" in smtp.text_of(smtp.to("helene@montreuil.fr")[0])
    other = client.submit(f"/rencontres/{meeting.id}/inscription", {"reg-person": people["paul"].id})
    assert other.status_code == 200 and "pas un choix valide" in other.get_data(as_text=True)
    assert "paul@lhay.fr" not in _registrations(db, meeting)


def test_guests_register_to_public_meetings_once_their_address_is_confirmed(client, db, open_meeting, smtp, deliver):
    meeting = open_meeting(audience="public", capacity=5)
    url = f"/rencontres/{meeting.id}/inscription-publique"
    bad = client.submit(url, {"name": "Ana Lopes", "organisation": "Coopérative", "email": "ana@@example"})
    assert bad.status_code == 200
    text = bad.get_data(as_text=True)
    assert "Saisissez une adresse électronique valide" in text and 'value="Ana Lopes"' in text
    assert _registrations(db, meeting) == {}

    sent = client.submit(url, {"name": "Ana Lopes", "organisation": "Coopérative", "email": "ana@example.org"})
    assert "Un courriel vient d’être envoyé" in sent.get_data(as_text=True)
    assert _registrations(db, meeting) == {"ana@example.org": "pending"}
    deliver()
    [mail] = smtp.to("ana@example.org")
    path = smtp.link_path(mail, "/inscriptions/confirmer/")
    assert client.get(path).status_code == 200
    assert _registrations(db, meeting) == {"ana@example.org": "pending"}
    assert client.submit(path).status_code == 302
    assert _registrations(db, meeting) == {"ana@example.org": "registered"}

    members_only = open_meeting(title="Réservée")
    assert client.get(f"/rencontres/{members_only.id}/inscription-publique").status_code == 404


def test_forged_and_expired_links_change_nothing(client, db, app, people, open_meeting, coordinator):
    from clubess.core.tokens import make_token
    from clubess.meetings import registrations

    meeting = open_meeting(capacity=1)
    coord = db.session.get(type(coordinator), coordinator.id)
    registrations.register_member(coord, meeting, people["helene"])
    waiting = registrations.register_member(coord, meeting, people["sofia"])
    db.session.commit()
    forged = client.get("/inscriptions/place/bm90LWEtdG9rZW4.abc.def?answer=oui")
    assert forged.status_code == 400 and "Ce lien n’est pas valide ou a expiré" in forged.get_data(as_text=True)
    token = make_token("meeting-offer", {"r": waiting.id})
    app.config["MEETING_TOKEN_MAX_AGE"] = -1
    try:
        expired = client.post(f"/inscriptions/place/{token}", data={"answer": "oui"})
        assert expired.status_code == 400
    finally:
        app.config["MEETING_TOKEN_MAX_AGE"] = 120 * 24 * 3600
    # A valid token, but the person has no offer: a clear refusal, the queue untouched.
    refused = client.submit(f"/inscriptions/place/{token}?answer=oui")
    assert refused.status_code == 400 and "n’est plus disponible" in refused.get_data(as_text=True)
    assert _registrations(db, meeting)["sofia@saint-ouen.fr"] == "waitlisted"


def test_registered_members_see_the_collectivities_that_agreed_never_addresses(
    client, db, people, open_meeting, coordinator
):
    from clubess.meetings import registrations

    meeting = open_meeting()
    coord = db.session.get(type(coordinator), coordinator.id)
    registrations.register_member(coord, meeting, people["sofia"], share_presence=True)
    registrations.register_member(coord, meeting, people["paul"], share_presence=False)
    db.session.commit()
    client.login("helene@montreuil.fr")
    before = client.get(f"/rencontres/{meeting.id}").get_data(as_text=True)
    assert "Collectivités inscrites" not in before
    client.submit(
        f"/rencontres/{meeting.id}/inscription",
        {"reg-person": people["helene"].id, "reg-on_behalf_of": 0},
        form_url=f"/rencontres/{meeting.id}",
    )
    page = client.get(f"/rencontres/{meeting.id}").get_data(as_text=True)
    assert "Collectivités inscrites" in page and "Saint-Ouen-sur-Seine" in page
    assert "L&#39;Haÿ-les-Roses" not in page and "L'Haÿ-les-Roses" not in page
    assert "sofia@saint-ouen.fr" not in page


def test_coordinators_filter_export_and_remove_registrants(
    client, db, people, open_meeting, coordinator, count_queries, smtp, deliver
):
    from clubess.meetings import registrations

    meeting = open_meeting(capacity=2, format="hybride", online_url="https://visio.example.org/club")
    coord = db.session.get(type(coordinator), coordinator.id)
    for key in ("helene", "sofia", "paul"):
        registrations.register_member(coord, meeting, people[key], mode="presentiel")
    registrations.register_member(coord, meeting, people["leo"], mode="en_ligne")
    db.session.commit()
    client.login("coordination@example.org")
    url = f"/coordination/rencontres/{meeting.id}/inscrits"
    with count_queries() as counter:
        page = client.get(url).get_data(as_text=True)
    assert counter.count <= 16
    assert "Liste d’attente : 1" in page and "Inscrits : 3" in page  # online takes no seat of the room
    waiting = client.get(url + "?statut=waitlisted").get_data(as_text=True)
    assert "Paul Roux" in waiting and "Sofia Martin" not in waiting
    csv = client.get(url + "?format=csv")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("nom;organisation;adresse") and len(lines) == 5

    sofia = db.session.scalar(sa.select(Registration).where(Registration.email == "sofia@saint-ouen.fr"))
    client.submit(f"/coordination/inscriptions/{sofia.id}/retirer")  # without the confirmation: nothing
    assert _registrations(db, meeting)["sofia@saint-ouen.fr"] == "registered"
    client.confirm(
        f"/coordination/inscriptions/{sofia.id}/retirer",
        expect="La place est proposée à la personne en liste d’attente.",
    )
    assert _registrations(db, meeting)["sofia@saint-ouen.fr"] == "cancelled"
    assert _registrations(db, meeting)["paul@lhay.fr"] == "offered"
    deliver()
    [removed] = [m for m in smtp.to("sofia@saint-ouen.fr") if "annulée" in m["Subject"]]
    assert "L’équipe de coordination a annulé votre inscription" in smtp.text_of(removed)
    assert calendar_part(removed).get_param("method") == "CANCEL"
    assert not [m for m in smtp.to("helene@montreuil.fr") if "annulée" in m["Subject"]]  # the others get nothing

    client.get("/deconnexion")
    member = client.application.test_client()
    member.login("helene@montreuil.fr")
    assert member.get(url).status_code == 403


def test_raising_the_capacity_offers_the_new_seat_to_the_waiting_list(
    client, db, people, open_meeting, coordinator, smtp, deliver
):
    from clubess.meetings import registrations
    from tests.fixtures_meetings import meeting_form

    meeting = open_meeting(capacity=1)
    coord = db.session.get(type(coordinator), coordinator.id)
    for key in ("helene", "sofia", "paul"):
        registrations.register_member(coord, meeting, people[key])
    db.session.commit()
    deliver()
    smtp.clear()
    client.login("coordination@example.org")
    client.submit(f"/coordination/rencontres/{meeting.id}", meeting_form(meeting, capacity="2"))
    assert _registrations(db, meeting) == {
        "helene@montreuil.fr": "registered",
        "sofia@saint-ouen.fr": "offered",
        "paul@lhay.fr": "waitlisted",
    }
    deliver()
    assert [m["Subject"] for m in smtp.to("sofia@saint-ouen.fr")] == ["Une place s’est libérée : Rencontre de juin"]


def test_the_meeting_page_runs_the_same_queries_whatever_the_registrations(
    client, db, people, open_meeting, coordinator, count_queries
):
    from clubess.meetings import registrations

    meeting = open_meeting(capacity=3)
    coord = db.session.get(type(coordinator), coordinator.id)
    registrations.register_member(coord, meeting, people["helene"], share_presence=True)
    db.session.commit()
    client.login("helene@montreuil.fr")
    with count_queries() as few:
        client.get(f"/rencontres/{meeting.id}")
    for key in ("sofia", "paul", "leo", "karim"):  # two seated more, two waiting
        registrations.register_member(coord, meeting, people[key], share_presence=True)
    db.session.commit()
    with count_queries() as many:
        page = client.get(f"/rencontres/{meeting.id}").get_data(as_text=True)
    assert "Saint-Ouen-sur-Seine" in page and "L&#39;Haÿ-les-Roses" in page  # the coming collectivities
    assert many.count == few.count
