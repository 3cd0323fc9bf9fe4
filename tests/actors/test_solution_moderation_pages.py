"""The coordinators' list of the actors' solutions pages at 50 per status, structures read with the rows."""

from datetime import UTC, datetime, timedelta

import pytest

from clubess.actors.models import Organisation, Solution
from tests.paging import assert_flat, read_list, row_adder, row_text

ROWS = ".//{ns}table[@id='solutions']/{ns}tbody/{ns}tr"


@pytest.fixture
def add_solutions(db):
    def solution(k, status="submitted"):
        at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=k)
        return Solution(
            ref=f"S{k:04d}",
            organisation=Organisation(name=f"Structure {k:03d}", kind="association"),
            title=f"Solution n° {k:03d}",
            lever="soutien_structures",
            status=status,
            created_at=at,
            updated_at=at,
        )

    return row_adder(db, solution)


def test_the_solutions_list_shows_fifty_of_a_status_with_the_count_of_all(client, coordinator, add_solutions):
    add_solutions(62)
    add_solutions(3, status="published")
    client.login(coordinator.email)
    rows, count, links, current = read_list(client, "/coordination/acteurs/solutions", ROWS)
    assert len(rows) == 50 and count == "62 solutions, page 1 sur 2" and current == "1"
    assert "Solution n° 062" in row_text(rows[0]) and "Structure 062" in row_text(rows[0])
    assert links["2"] == {"page": "2", "statut": "submitted"}
    rows, _count, _links, _current = read_list(client, "/coordination/acteurs/solutions?page=2", ROWS)
    assert len(rows) == 12
    rows, count, links, _current = read_list(client, "/coordination/acteurs/solutions?statut=published", ROWS)
    assert len(rows) == 3 and count == "3 solutions" and links == {}


def test_the_solutions_list_costs_the_same_queries_with_60_or_180_solutions(
    client, coordinator, add_solutions, count_queries
):
    client.login(coordinator.email)
    assert assert_flat(count_queries, client, "/coordination/acteurs/solutions", add_solutions, 60)
