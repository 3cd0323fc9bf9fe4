"""The coordinators' list of meetings pages at 50, the latest first, with the count of the whole."""

from datetime import UTC, datetime, timedelta

import pytest

from clubess.meetings.models import Meeting
from tests.paging import assert_flat, read_list, row_adder, row_text

ROWS = ".//{ns}table[@id='meetings']/{ns}tbody/{ns}tr"


@pytest.fixture
def add_meetings(db):
    def meeting(k, status="published"):
        starts = datetime(2019, 1, 10, 8, 0, tzinfo=UTC) + timedelta(days=14 * k)
        title = f"Rencontre n° {k:03d}"
        return Meeting(
            kind="rencontre", title=title, starts_at=starts, ends_at=starts + timedelta(hours=3), status=status
        )

    return row_adder(db, meeting)


def test_the_meetings_list_shows_fifty_the_latest_first_with_the_count_of_all(client, coordinator, add_meetings):
    add_meetings(100)
    add_meetings(8, status="draft")
    client.login(coordinator.email)
    rows, count, links, current = read_list(client, "/coordination/rencontres", ROWS)
    assert len(rows) == 50 and count == "108 rencontres, page 1 sur 3" and current == "1"
    assert "Rencontre n° 108" in row_text(rows[0])
    rows, _count, _links, _current = read_list(client, "/coordination/rencontres?page=3", ROWS)
    assert len(rows) == 8 and "Rencontre n° 001" in row_text(rows[-1])
    rows, count, links, _current = read_list(client, "/coordination/rencontres?statut=draft", ROWS)
    assert len(rows) == 8 and count == "8 rencontres" and links == {}
    rows, count, links, _current = read_list(client, "/coordination/rencontres?statut=published", ROWS)
    assert count == "100 rencontres, page 1 sur 2" and links["2"] == {"page": "2", "statut": "published"}


def test_the_meetings_list_costs_the_same_queries_with_60_or_180_meetings(
    client, coordinator, add_meetings, count_queries
):
    client.login(coordinator.email)
    assert assert_flat(count_queries, client, "/coordination/rencontres", add_meetings, 60)
