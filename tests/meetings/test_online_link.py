"""The online link of a meeting reaches only the people registered to it: every mail, calendar file and feed.

"Registered" means a confirmed seat (status `registered`): not waitlisted, not offered a seat they have
not confirmed, not merely invited, not a guest before confirming the address, not a public feed.
"""

import json
from datetime import timedelta

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.mailing.models import OutboxMessage
from clubess.meetings.models import Invitation, Registration
from tests.calendar_checks import ical_js

URL = "https://visio.example.org/club-ess-7f3a9c"
#: where a registrant finds the link: the mail's text and HTML, and the event's LOCATION, DESCRIPTION and CONFERENCE
EVERYWHERE = {"text", "html", "ics:LOCATION", "ics:DESCRIPTION", "ics:CONFERENCE"}


def calendars(message) -> list[bytes]:
    """Every calendar a mail carries: the text/calendar alternative and the .ics attachment."""
    return [
        part.get_payload(decode=True)
        for part in message.walk()
        if part.get_content_type() in ("text/calendar", "application/ics")
    ]


def where_link(message) -> set[str]:
    """Where the online link shows in a delivered mail, as a calendar app or a mail client would read it."""
    found = set()
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    if text is not None and URL in text.get_content():
        found.add("text")
    if html is not None and URL in html.get_content():
        found.add("html")
    for body in calendars(message):
        if URL in body.replace(b"\r\n ", b"").decode():  # unfolded: a folded link would hide from a plain search
            found.add("ics:raw")
        for event in ical_js(body)["events"]:
            found.update(f"ics:{name.upper()}" for name, value in event["properties"] if URL in value)
    return found


def mails(smtp, address: str, subject_start: str = ""):
    return [m for m in smtp.to(address) if m["Subject"].startswith(subject_start)]


def _due_now(db):
    db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=now_utc() - timedelta(seconds=1)))
    db.session.commit()


def _hybrid(open_meeting, **kwargs):
    return open_meeting(format="hybride", online_url=URL, **kwargs)


def _coordinator(db, coordinator):
    return db.session.get(type(coordinator), coordinator.id)


def test_invitations_and_their_reminders_carry_no_online_link(db, people, open_meeting, coordinator, smtp, deliver):
    from clubess.meetings import invitations

    meeting = _hybrid(open_meeting)
    coord = _coordinator(db, coordinator)
    spec = invitations.AudienceSpec(people="elus", departments=["93"])
    invitations.send_invitations(coord, meeting, spec, expected=2)
    db.session.commit()
    deliver()
    [invitation] = smtp.to("sofia@saint-ouen.fr")
    assert len(calendars(invitation)) == 2  # the calendar is there, only the link is not
    assert where_link(invitation) == set()
    assert "le lien de connexion est envoyé aux personnes inscrites" in smtp.text_of(invitation)

    smtp.clear()
    db.session.execute(sa.update(Invitation).values(invited_at=now_utc() - timedelta(days=2)))
    db.session.commit()
    assert invitations.remind_non_responders(coord, meeting) == 2
    db.session.commit()
    deliver()
    [reminder] = smtp.to("sofia@saint-ouen.fr")
    assert calendars(reminder) and where_link(reminder) == set()


def test_an_invitee_who_registers_gets_the_link_in_the_confirmation(
    db, people, open_meeting, coordinator, smtp, deliver
):
    from clubess.meetings import invitations

    meeting = _hybrid(open_meeting)
    invitations.send_invitations(
        _coordinator(db, coordinator), meeting, invitations.AudienceSpec(people="elus", departments=["93"]), 2
    )
    db.session.commit()
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.email == "sofia@saint-ouen.fr"))
    invitations.answer(invitation, accept=True)
    db.session.commit()
    deliver()
    [confirmation] = mails(smtp, "sofia@saint-ouen.fr", "Inscription confirmée")
    assert EVERYWHERE <= where_link(confirmation)
    [invited_only] = smtp.to("helene@montreuil.fr")
    assert where_link(invited_only) == set()


def test_the_waiting_list_and_an_unconfirmed_offer_get_no_link_until_the_seat_is_confirmed(
    db, people, open_meeting, coordinator, smtp, deliver
):
    from clubess.meetings import offers, registrations

    meeting = _hybrid(open_meeting, capacity=1)
    coord = _coordinator(db, coordinator)
    helene = registrations.register_member(coord, meeting, people["helene"])
    sofia = registrations.register_member(coord, meeting, people["sofia"])
    db.session.commit()
    assert (helene.status, sofia.status) == ("registered", "waitlisted")
    deliver()
    [seated] = smtp.to("helene@montreuil.fr")
    assert EVERYWHERE <= where_link(seated)
    [waiting] = smtp.to("sofia@saint-ouen.fr")
    assert where_link(waiting) == set()

    smtp.clear()
    registrations.cancel_registration(coord, helene, by_coordination=True)
    db.session.commit()
    deliver()
    [cancelled] = smtp.to("helene@montreuil.fr")  # no longer registered: the CANCEL does not repeat the link
    assert calendars(cancelled) and where_link(cancelled) == set()
    [offer] = smtp.to("sofia@saint-ouen.fr")
    assert db.session.get(Registration, sofia.id).status == "offered"
    assert where_link(offer) == set()

    smtp.clear()
    offers.accept_offer(db.session.get(Registration, sofia.id))
    db.session.commit()
    deliver()
    [confirmed] = smtp.to("sofia@saint-ouen.fr")
    assert EVERYWHERE <= where_link(confirmed)


def test_an_elu_replaced_by_an_agent_loses_the_link_and_the_agent_gets_it(
    db, people, open_meeting, coordinator, smtp, deliver
):
    from clubess.meetings import registrations

    meeting = _hybrid(open_meeting)
    coord = _coordinator(db, coordinator)
    registrations.register_member(coord, meeting, people["helene"])
    db.session.commit()
    deliver()
    smtp.clear()
    registrations.register_member(coord, meeting, people["karim"], on_behalf_of=people["helene"])
    db.session.commit()
    deliver()
    [replaced] = smtp.to("helene@montreuil.fr")
    assert calendars(replaced) and where_link(replaced) == set()
    [delegate] = smtp.to("karim@montreuil.fr")
    assert EVERYWHERE <= where_link(delegate)


def test_a_guest_gets_the_link_only_once_the_address_is_confirmed(db, open_meeting, smtp, deliver):
    from clubess.meetings import guests

    meeting = _hybrid(open_meeting, audience="public")
    guest = guests.request_guest_registration(meeting, "Zoé Lambert", "Coop du Val", "zoe@coop.example", "en_ligne")
    db.session.commit()
    deliver()
    [confirm_address] = smtp.to("zoe@coop.example")
    assert where_link(confirm_address) == set()
    smtp.clear()
    guests.confirm_guest(db.session.get(Registration, guest.id))
    db.session.commit()
    deliver()
    [confirmed] = smtp.to("zoe@coop.example")
    assert EVERYWHERE <= where_link(confirmed)


def test_an_update_gives_the_link_to_registrants_and_not_to_invitees(
    db, people, open_meeting, coordinator, smtp, deliver
):
    from clubess.meetings import registrations, services

    meeting = _hybrid(open_meeting)
    coord = _coordinator(db, coordinator)
    registrations.register_member(coord, meeting, people["helene"])
    db.session.add(
        Invitation(meeting=meeting, member_id=people["sofia"].id, email="sofia@saint-ouen.fr", name="Sofia Martin")
    )
    db.session.commit()
    deliver()
    smtp.clear()
    data = services.MeetingData(
        title=meeting.title,
        kind=meeting.kind,
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
        format=meeting.format,
        venue=meeting.venue,
        address=meeting.address,
        online_url=URL,
    )
    assert services.update_meeting(coord, meeting, data)
    db.session.commit()
    _due_now(db)
    deliver()
    [to_registrant] = smtp.to("helene@montreuil.fr")
    assert EVERYWHERE <= where_link(to_registrant)
    [to_invitee] = smtp.to("sofia@saint-ouen.fr")
    assert calendars(to_invitee) and where_link(to_invitee) == set()

    smtp.clear()
    services.set_status(coord, meeting, "cancelled")
    db.session.commit()
    deliver()
    for address in ("helene@montreuil.fr", "sofia@saint-ouen.fr"):  # a cancelled meeting needs no link
        [cancel] = smtp.to(address)
        assert calendars(cancel) and where_link(cancel) == set()


def test_reminders_give_the_link_to_registrants_and_nothing_to_the_waiting_list(
    db, people, open_meeting, coordinator, smtp, deliver
):
    from clubess.meetings import registrations
    from clubess.meetings.reminders import send_reminders

    meeting = _hybrid(open_meeting, capacity=1)
    coord = _coordinator(db, coordinator)
    for key in ("helene", "sofia"):
        registrations.register_member(coord, meeting, people[key]).created_at = meeting.starts_at - timedelta(days=20)
    db.session.commit()
    smtp.clear()
    assert send_reminders(meeting.starts_at - timedelta(hours=20)) == 1
    db.session.commit()
    deliver()
    [reminder] = mails(smtp, "helene@montreuil.fr", "Rappel")
    assert {"text", "html"} <= where_link(reminder)
    assert mails(smtp, "sofia@saint-ouen.fr", "Rappel") == []


def _feed(client, count_queries) -> dict:
    client.submit("/espace/agenda", {"action": "renew"})
    page = client.get("/espace/agenda").get_data(as_text=True)
    path = page.split('id="feed-url" value="')[1].split('"')[0].replace("http://localhost", "")
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200 and counter.count <= 8  # and the data version (core.versions)
    return ical_js(response.get_data())


def test_the_personal_feed_lists_my_meetings_with_the_link_only_where_i_am_registered(
    client, db, people, open_meeting, coordinator, count_queries
):
    from clubess.meetings import registrations

    coord = _coordinator(db, coordinator)
    registered = _hybrid(open_meeting, title="Inscrite", day=(2027, 6, 17))
    waiting = _hybrid(open_meeting, title="En attente", day=(2027, 6, 18), capacity=1)
    invited = _hybrid(open_meeting, title="Invitée", day=(2027, 6, 19))
    declined = _hybrid(open_meeting, title="Déclinée", day=(2027, 6, 20))
    _hybrid(open_meeting, title="Sans lien avec moi", day=(2027, 6, 21))
    registrations.register_member(coord, registered, people["sofia"])
    registrations.register_member(coord, waiting, people["helene"])
    registrations.register_member(coord, waiting, people["sofia"])
    db.session.add_all(
        [
            Invitation(meeting=invited, member_id=people["sofia"].id, email="sofia@saint-ouen.fr"),
            Invitation(
                meeting=declined, member_id=people["sofia"].id, email="sofia@saint-ouen.fr", response="declined"
            ),
        ]
    )
    db.session.commit()

    client.login("sofia@saint-ouen.fr")
    parsed = _feed(client, count_queries)
    assert parsed["method"] == "PUBLISH"
    events = {e["summary"]: e for e in parsed["events"]}
    assert set(events) == {"Inscrite", "En attente", "Invitée"}
    assert all(e["attendees"] == 0 for e in events.values())
    links = {summary: {n.upper() for n, value in e["properties"] if URL in value} for summary, e in events.items()}
    assert links == {"Inscrite": {"LOCATION", "DESCRIPTION", "CONFERENCE"}, "En attente": set(), "Invitée": set()}


def test_public_calendars_pages_add_to_calendar_links_json_ld_and_api_never_show_the_link(
    client, db, people, open_meeting, coordinator
):
    from clubess.meetings import registrations

    hybrid = _hybrid(open_meeting)
    online = open_meeting(title="Webinaire", format="en_ligne", venue="", address="", online_url=URL, day=(2027, 7, 1))
    registrations.register_member(_coordinator(db, coordinator), hybrid, people["helene"])
    db.session.commit()
    client.login("helene@montreuil.fr")  # registered, yet these pages and files are the public ones
    for meeting in (hybrid, online):
        page = client.get(f"/rencontres/{meeting.id}").get_data(as_text=True)
        assert "calendar.google.com" in page and "outlook.office.com" in page
        assert URL not in page and "visio.example.org" not in page  # add-to-calendar links and JSON-LD included
        ld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
        assert URL not in json.dumps(ld)
        body = client.get(f"/rencontres/{meeting.id}.ics").get_data()
        assert URL.encode() not in body.replace(b"\r\n ", b"")
        assert all(URL not in value for e in ical_js(body)["events"] for _, value in e["properties"])
    feed = client.get("/rencontres.ics").get_data()
    assert len(ical_js(feed)["events"]) == 2 and URL.encode() not in feed.replace(b"\r\n ", b"")
    api = client.get("/api/v1/meetings").get_data(as_text=True)
    assert "Webinaire" in api and "visio.example.org" not in api
