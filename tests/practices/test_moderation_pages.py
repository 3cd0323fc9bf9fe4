"""The coordinators' list of practices pages at 50 per status, with the count of the whole."""

from datetime import UTC, datetime, timedelta

import pytest

from clubess.practices.models import Practice
from tests.paging import assert_flat, read_list, row_adder, row_text

ROWS = ".//{ns}table[@id='practices']/{ns}tbody/{ns}tr"


@pytest.fixture
def add_practices(db):
    def practice(k, status="submitted"):
        at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=k)
        title = f"Pratique n° {k:03d}"
        return Practice(
            ref=f"T{k:04d}", title=title, lever="soutien_structures", status=status, created_at=at, updated_at=at
        )

    return row_adder(db, practice)


def test_the_moderation_list_shows_fifty_of_a_status_with_the_count_of_all(client, coordinator, add_practices):
    add_practices(75)
    add_practices(12, status="published")
    client.login(coordinator.email)
    rows, count, links, current = read_list(client, "/coordination/pratiques", ROWS)
    assert len(rows) == 50 and count == "75 pratiques, page 1 sur 2" and current == "1"
    assert "Pratique n° 075" in row_text(rows[0])
    assert links["2"] == {"page": "2", "statut": "submitted"}
    rows, _count, _links, _current = read_list(client, "/coordination/pratiques?page=2", ROWS)
    assert len(rows) == 25 and "Pratique n° 001" in row_text(rows[-1])
    rows, count, links, _current = read_list(client, "/coordination/pratiques?statut=published", ROWS)
    assert len(rows) == 12 and count == "12 pratiques" and links == {}


def test_the_moderation_list_costs_the_same_queries_with_60_or_180_practices(
    client, coordinator, add_practices, count_queries
):
    client.login(coordinator.email)
    assert assert_flat(count_queries, client, "/coordination/pratiques", add_practices, 60)
