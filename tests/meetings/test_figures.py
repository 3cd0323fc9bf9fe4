"""The meetings' figures and labels coordinators read: registrants, capacity, invitations, the CSV export."""

import csv
import io

from tests.pages import get_page


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))


def test_the_registrants_export_says_member_or_public_registration_not_guest(
    client, db, people, open_meeting, coordinator
):
    from clubess.meetings import guests, registrations

    meeting = open_meeting(audience="public")
    coord = db.session.get(type(coordinator), coordinator.id)
    registrations.register_member(coord, meeting, people["helene"])
    guest = guests.request_guest_registration(meeting, "Ana Lopez", "Asso du coin", "ana@asso.example.org", "")
    guests.confirm_guest(guest)
    db.session.commit()
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}/inscrits"

    rows = _csv(client.get(url + "?format=csv"))
    assert "invité·e" not in rows[0]
    by_name = {r["nom"]: r for r in rows}
    assert by_name["Hélène Durand"]["type d’inscription"] == "membre"
    assert by_name["Ana Lopez"]["type d’inscription"] == "publique (sans compte)"
    page = get_page(client, url).get_data(as_text=True)
    assert "invité·e" not in page and "inscription publique" in page


def test_a_hint_that_shows_a_format_with_angle_brackets_is_shown_not_parsed_as_a_tag(
    client, db, coordinator, open_meeting
):
    meeting = open_meeting()
    client.login(coordinator.email)
    page = get_page(client, f"/coordination/rencontres/{meeting.id}/inviter").get_data(as_text=True)
    assert "« Nom &lt;adresse&gt; » accepté" in page


def _registrations(db, meeting, rows):
    from clubess.meetings.models import Registration

    for i, (status, mode) in enumerate(rows):
        db.session.add(Registration(meeting=meeting, email=f"p{i}@example.org", name=f"P{i}", status=status, mode=mode))
    db.session.commit()


def _figures(page: str) -> list[str]:
    import re

    block = re.search(r'id="registrant-figures">(.*?)</ul>', page, re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", "", li).split()) for li in re.findall(r"<li>(.*?)</li>", block, re.S)]


def test_the_registrants_page_counts_each_status_and_the_room(client, db, open_meeting, coordinator):
    from clubess.meetings import seats

    meeting = open_meeting(capacity=4, format="hybride", online_url="https://visio.example.org/x")
    # hand count: registered 3 (1 online), offered 1, waitlisted 2, pending 1, cancelled 1;
    # the room holds the 2 registered on site and the 1 offered seat: 3 of 4, 1 free
    _registrations(
        db,
        meeting,
        [
            ("registered", "presentiel"),
            ("registered", "presentiel"),
            ("registered", "en_ligne"),
            ("offered", "presentiel"),
            ("waitlisted", "presentiel"),
            ("waitlisted", "en_ligne"),
            ("pending", "presentiel"),
            ("cancelled", "presentiel"),
        ],
    )
    client.login(coordinator.email)
    page = get_page(client, f"/coordination/rencontres/{meeting.id}/inscrits").get_data(as_text=True)
    assert _figures(page) == [
        "Inscrits : 3 (dont 1 en ligne, sans place dans la salle)",
        "Places proposées : 1",
        "Liste d’attente : 2",
        "Adresses à confirmer : 1",
        "Annulées : 1",
        "Places occupées : 3 sur 4, 1 libre",
    ]
    assert seats.seats_left(meeting) == 1  # what the public page and the capacity check use


def test_an_online_meeting_counts_every_seat_and_a_meeting_without_capacity_shows_none(
    client, db, open_meeting, coordinator
):
    online = open_meeting(capacity=2, format="en_ligne", online_url="https://visio.example.org/x", venue="")
    _registrations(db, online, [("registered", "en_ligne"), ("registered", "en_ligne"), ("waitlisted", "en_ligne")])
    unlimited = open_meeting(title="Sans limite")
    client.login(coordinator.email)
    page = get_page(client, f"/coordination/rencontres/{online.id}/inscrits").get_data(as_text=True)
    assert "Inscrits : 2" in _figures(page)
    assert "Places occupées : 2 sur 2, complet" in _figures(page)
    page = get_page(client, f"/coordination/rencontres/{unlimited.id}/inscrits").get_data(as_text=True)
    assert not [f for f in _figures(page) if f.startswith("Places occupées")]


def test_the_invitations_follow_up_counts_each_answer(client, db, open_meeting, coordinator):
    from clubess.meetings.models import Invitation, Registration

    meeting = open_meeting()
    # hand count: 7 invited; registered 2 (one accepted, one offered a seat), waiting 1,
    # declined 2 (one said no, one cancelled their registration), no answer 2 (one silent, one unconfirmed guest)
    cases = [
        ("none", None),
        ("accepted", "registered"),
        ("none", "offered"),
        ("accepted", "waitlisted"),
        ("declined", None),
        ("accepted", "cancelled"),
        ("none", "pending"),
    ]
    for i, (response, registration) in enumerate(cases):
        db.session.add(Invitation(meeting=meeting, email=f"i{i}@example.org", name=f"I{i}", response=response))
        if registration:
            db.session.add(Registration(meeting=meeting, email=f"i{i}@example.org", name=f"I{i}", status=registration))
    db.session.commit()
    client.login(coordinator.email)
    page = get_page(client, f"/coordination/rencontres/{meeting.id}/invitations").get_data(as_text=True)
    for text in ["Invités : 7", "Inscrit·e : 2", "Liste d’attente : 1", "Ne vient pas : 2", "Sans réponse : 2"]:
        assert text in page, text
