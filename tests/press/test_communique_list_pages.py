"""The coordinators' list of communiqués pages at 50, newest first, each with its deliveries counted."""

from datetime import UTC, datetime, timedelta

import pytest

from clubess.press.models import Communique, Delivery
from tests.paging import assert_flat, read_list, row_adder, row_text

ROWS = ".//{ns}table[@id='communiques']/{ns}tbody/{ns}tr"


@pytest.fixture
def add_communiques(db):
    def communique(k, deliveries=0):
        made = Communique(
            slug=f"communique-{k}",
            title=f"Communiqué n° {k:03d}",
            created_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=k),
        )
        db.session.add(made)
        db.session.flush()  # its deliveries name it
        sent = [
            Delivery(communique_id=made.id, email=f"j{k}-{i}@example.org", status="sent" if i % 3 else "bounced")
            for i in range(deliveries)
        ]
        return [made, *sent]

    return row_adder(db, communique)


def test_the_communiques_list_shows_fifty_with_their_deliveries_and_the_count_of_all(
    client, coordinator, add_communiques
):
    add_communiques(52)
    add_communiques(1, deliveries=7)  # the newest: 4 sent of 7 (i = 1, 2, 4, 5)
    client.login(coordinator.email)
    rows, count, links, current = read_list(client, "/coordination/presse/communiques", ROWS)
    assert len(rows) == 50 and count == "53 communiqués, page 1 sur 2" and current == "1"
    first = " ".join(row_text(rows[0]).split())
    assert "Communiqué n° 053" in first and "4 envoyés sur 7" in first
    rows, _count, _links, _current = read_list(client, "/coordination/presse/communiques?page=2", ROWS)
    assert len(rows) == 3 and "Communiqué n° 001" in row_text(rows[-1])


def test_the_communiques_list_costs_the_same_queries_with_60_or_180_communiques(
    client, coordinator, add_communiques, count_queries
):
    client.login(coordinator.email)
    assert assert_flat(count_queries, client, "/coordination/presse/communiques", add_communiques, 60)
