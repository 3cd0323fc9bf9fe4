"""The meetings' figures and labels coordinators read: registrants, capacity, invitations, the CSV export."""

import csv
import io

from tests.pages import get_page


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))


def test_the_registrants_export_says_member_or_public_registration_not_guest(
    client, db, people, open_meeting, coordinator
):
    from clubess.meetings import registrations

    meeting = open_meeting(audience="public")
    coord = db.session.get(type(coordinator), coordinator.id)
    registrations.register_member(coord, meeting, people["helene"])
    guest = registrations.request_guest_registration(meeting, "Ana Lopez", "Asso du coin", "ana@asso.example.org", "")
    registrations.confirm_guest(guest)
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
