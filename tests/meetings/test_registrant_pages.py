"""A meeting's registrants page pages at 50 with the count of the whole; its CSV holds every row."""

from datetime import UTC, datetime, timedelta

import pytest

from clubess.meetings.models import Registration
from tests.paging import assert_flat, read_list, row_adder, row_text

ROWS = ".//{ns}table[@id='registrants']/{ns}tbody/{ns}tr"


@pytest.fixture
def meeting(make_meeting, db):
    meeting = make_meeting(capacity=None)
    db.session.commit()
    return meeting


@pytest.fixture
def add_registrations(db, meeting):
    def registration(k, status="registered", organisation="Ville de Bondy"):
        at = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=k - 1)
        return Registration(
            meeting_id=meeting.id,
            name=f"Personne {k:04d}",
            email=f"p{k}@example.org",
            organisation=organisation,
            is_guest=True,
            status=status,
            queued_at=at,
            created_at=at,
        )

    return row_adder(db, registration)


def test_the_registrants_page_shows_fifty_with_the_count_of_all_and_keeps_filters(
    client, coordinator, meeting, add_registrations
):
    add_registrations(120)
    add_registrations(7, status="waitlisted", organisation="Ville de Pantin")
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}/inscrits"
    rows, count, links, current = read_list(client, url, ROWS)
    assert len(rows) == 50 and count == "127 inscriptions, page 1 sur 3" and current == "1"
    assert "Personne 0001" in row_text(rows[0])
    rows, count, _links, current = read_list(client, url + "?page=3", ROWS)
    # the registered first, then the waiting list, each in its order of arrival
    assert len(rows) == 27 and current == "3" and "Personne 0127" in row_text(rows[-1])
    rows, count, links, _current = read_list(client, url + "?statut=waitlisted", ROWS)
    assert len(rows) == 7 and count == "7 inscriptions" and links == {}
    rows, count, links, _current = read_list(client, url + "?q=bondy", ROWS)
    assert count == "120 inscriptions, page 1 sur 3" and links["3"] == {"page": "3", "q": "bondy"}


def test_the_registrants_csv_holds_every_filtered_row_in_the_list_s_order(
    client, coordinator, meeting, add_registrations
):
    add_registrations(1203)
    add_registrations(2, status="waitlisted", organisation="Ville de Pantin")
    client.login(coordinator.email)
    lines = client.get(f"/coordination/rencontres/{meeting.id}/inscrits?format=csv").get_data(as_text=True)
    lines = lines.splitlines()
    assert len(lines) == 1 + 1205
    assert lines[1].startswith("Personne 0001;") and lines[1203].startswith("Personne 1203;")
    assert lines[-1].startswith("Personne 1205;") and ";Liste d’attente;" in lines[-1]
    waiting = client.get(f"/coordination/rencontres/{meeting.id}/inscrits?format=csv&statut=waitlisted")
    assert len(waiting.get_data(as_text=True).splitlines()) == 3


def test_the_registrants_page_costs_the_same_queries_with_60_or_180_registrations(
    client, coordinator, meeting, add_registrations, count_queries
):
    client.login(coordinator.email)
    assert assert_flat(count_queries, client, f"/coordination/rencontres/{meeting.id}/inscrits", add_registrations, 60)
