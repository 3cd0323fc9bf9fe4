"""A pasted list cannot overflow the invitations' columns: a name too long is listed as invalid, not stored."""

import sqlalchemy as sa

from clubess.meetings.models import Invitation


def test_a_pasted_name_longer_than_its_column_is_listed_as_invalid(client, db, open_meeting, coordinator):
    meeting = open_meeting(audience="public")
    client.login(coordinator.email)
    long_name = "N" * 201
    pasted = f"{long_name} <long@example.org>\nCourte <courte@example.org>"
    url = f"/coordination/rencontres/{meeting.id}/inviter"
    page = client.submit(url, {"pasted": pasted, "action": "preview"}).get_data(as_text=True)
    assert "1 destinataire" in page and "long@example.org" in page  # shown among the invalid lines
    response = client.submit(url, {"pasted": pasted, "action": "send", "expected": "1"})
    assert response.status_code == 302
    assert db.session.scalars(sa.select(Invitation.email)).all() == ["courte@example.org"]
