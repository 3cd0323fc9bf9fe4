"""A meeting's invitations page pages at 50: the answers counted over every invitee, filters kept, flat queries."""

import pytest
import sqlalchemy as sa

from clubess.meetings.models import Invitation, Registration
from tests.paging import assert_flat, read_list, row_adder, row_text

ROWS = ".//{ns}table[@id='invitations']/{ns}tbody/{ns}tr"


@pytest.fixture
def meeting(make_meeting, db):
    meeting = make_meeting(capacity=None)
    db.session.commit()
    return meeting


@pytest.fixture
def invite(db, meeting):
    def invitation(k, response="none", registered: str | None = None):
        email, name = f"invite{k:04d}@example.org", f"Invité {k:04d}"
        made = [Invitation(meeting_id=meeting.id, email=email, name=name, response=response)]
        if registered:
            made.append(Registration(meeting_id=meeting.id, email=email, name=name, status=registered))
        return made

    return row_adder(db, invitation)


def _summary(client, url):
    html = client.get(url).get_data(as_text=True)
    return [line for line in html.splitlines() if " : " in line and "<li><a" in line]


def test_the_invitations_page_shows_fifty_and_counts_every_answer(client, coordinator, meeting, invite):
    invite(60)  # no answer
    invite(5, registered="registered")
    invite(3, registered="waitlisted")
    invite(4, response="declined")
    invite(2, registered="cancelled")
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}/invitations"
    rows, count, links, current = read_list(client, url, ROWS)
    assert len(rows) == 50 and count == "74 personnes invitées, page 1 sur 2" and current == "1"
    summary = "".join(_summary(client, url))
    for text in ("Invités : 74", "Inscrit·e : 5", "Liste d’attente : 3", "Ne vient pas : 6", "Sans réponse : 60"):
        assert text in summary, (text, summary)
    rows, count, links, _current = read_list(client, url + "?reponse=no_answer", ROWS)
    assert len(rows) == 50 and count == "60 personnes invitées, page 1 sur 2"
    assert links["2"] == {"page": "2", "reponse": "no_answer"}
    rows, count, _links, _current = read_list(client, url + "?reponse=no_answer&page=2", ROWS)
    assert len(rows) == 10 and "Invité 0060" in row_text(rows[-1])
    rows, count, links, _current = read_list(client, url + "?reponse=declined", ROWS)
    assert len(rows) == 6 and count == "6 personnes invitées" and links == {}


def test_the_invitations_page_costs_the_same_queries_with_60_or_180_invitees(
    client, coordinator, meeting, invite, count_queries
):
    client.login(coordinator.email)
    assert assert_flat(count_queries, client, f"/coordination/rencontres/{meeting.id}/invitations", invite, 60)


def test_the_reminder_button_counts_those_the_reminder_would_go_to(client, coordinator, meeting, invite, db):
    from datetime import timedelta

    from clubess.core.db import now_utc
    from clubess.mailing.models import Scope
    from clubess.mailing.suppression import suppress
    from clubess.meetings.invitation_list import count_reminder_recipients
    from clubess.meetings.invitations import reminder_recipients

    invite(6)  # 1-6: no answer
    invite(1, registered="registered")  # 7
    invite(1, registered="cancelled")  # 8: cancelled their registration, never answered the invitation
    invite(1, response="declined")  # 9
    for invitation in db.session.scalars(sa.select(Invitation)):
        invitation.invited_at = now_utc() - timedelta(days=3)
    db.session.scalar(sa.select(Invitation).where(Invitation.email == "invite0001@example.org")).reminders = 2
    reminded = db.session.scalar(sa.select(Invitation).where(Invitation.email == "invite0002@example.org"))
    reminded.reminders, reminded.reminded_at = 1, now_utc() - timedelta(hours=2)
    suppress("invite0003@example.org", Scope.INVITATIONS, "unsubscribed")
    db.session.commit()
    expected = len(reminder_recipients(meeting))
    assert count_reminder_recipients(meeting) == expected == 4  # 4, 5, 6 and the cancelled 8
    client.login(coordinator.email)
    page = client.get(f"/coordination/rencontres/{meeting.id}/invitations").get_data(as_text=True)
    assert "Relancer 4 personnes sans réponse…" in page
