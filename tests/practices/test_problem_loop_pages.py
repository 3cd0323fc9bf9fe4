"""The coordinators' problems loop is paged: one page of 50, the count of the whole, filters kept, flat queries."""

from datetime import UTC, datetime, timedelta

import pytest

from clubess.practices.models import Problem
from tests.paging import assert_flat, read_list, row_adder, row_text

ROWS = ".//{ns}table[@id='problems']/{ns}tbody/{ns}tr"


@pytest.fixture
def add_problems(db, active_collectivity):
    def problem(k, lever="foncier_tiers_lieux", themes=("tiers-lieux",), answered=False):
        return Problem(
            text=f"problème n° {k}",
            lever=lever,
            themes=list(themes),
            collectivity_id=active_collectivity.id,
            is_answered=answered,
            created_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=k - 1),
        )

    return row_adder(db, problem)


def test_the_loop_shows_fifty_problems_a_page_with_the_count_of_all(client, coordinator, add_problems):
    add_problems(70)  # unanswered, foncier_tiers_lieux / tiers-lieux
    add_problems(40, lever="achats_responsables", themes=(), answered=True)
    client.login(coordinator.email)
    rows, count, links, current = read_list(client, "/coordination/problematiques", ROWS)
    assert len(rows) == 50 and count == "110 problématiques, page 1 sur 3" and current == "1"
    assert set(links) == {"1", "2", "3", "Page suivante"} and links["2"] == {"page": "2"}
    # the newest first: the 40 answered ones were stated last
    assert "problème n° 110" in row_text(rows[0])
    rows, count, _links, current = read_list(client, "/coordination/problematiques?page=3", ROWS)
    assert len(rows) == 10 and count == "110 problématiques, page 3 sur 3" and current == "3"
    assert "problème n° 1" in row_text(rows[-1])
    # the groups count every unanswered problem, not those of the page
    page = client.get("/coordination/problematiques?page=3").get_data(as_text=True)
    assert "<td>tiers-lieux</td>\n    <td>70</td>" in page


def test_the_loop_s_filters_are_kept_across_its_pages(client, coordinator, add_problems):
    add_problems(55)
    add_problems(30, lever="achats_responsables", themes=(), answered=True)
    add_problems(2, lever="achats_responsables", themes=())
    client.login(coordinator.email)
    rows, count, links, _current = read_list(client, "/coordination/problematiques?sans_reponse=1", ROWS)
    assert len(rows) == 50 and count == "57 problématiques, page 1 sur 2"
    assert links["2"] == {"page": "2", "sans_reponse": "1"}
    rows, count, links, _current = read_list(
        client, "/coordination/problematiques?levier=achats_responsables&page=1", ROWS
    )
    assert len(rows) == 32 and count == "32 problématiques" and links == {}
    rows, count, links, _current = read_list(client, "/coordination/problematiques?levier=foncier_tiers_lieux", ROWS)
    assert count == "55 problématiques, page 1 sur 2" and links["2"] == {"page": "2", "levier": "foncier_tiers_lieux"}
    # a page past the last shows none of them, and no error
    rows, count, _links, _current = read_list(client, "/coordination/problematiques?page=99999999999", ROWS)
    assert "Aucune problématique exprimée." in row_text(rows[0])


def test_the_loop_costs_the_same_queries_with_60_or_180_problems(client, coordinator, add_problems, count_queries):
    client.login(coordinator.email)
    assert assert_flat(count_queries, client, "/coordination/problematiques", add_problems, 60) <= 12


def test_the_loop_kept_for_every_coordinator_carries_each_one_s_own_form_token(
    app, client, coordinator, make_user, make_meeting, add_problems, db
):
    """The loop is rendered once for all coordinators: each still gets the CSRF token of their own session in
    its forms (a token of someone else's would be refused), and a change made meanwhile shows at once."""
    import sqlalchemy as sa

    from clubess.meetings.models import AgendaItem
    from tests.conftest import CSRF_RE

    add_problems(3)
    meeting = make_meeting(status="draft", title="Rencontre d'hiver")
    db.session.commit()
    other = make_user(role="coordinator", email="coordination-bis@example.org")
    first, second = client, app.test_client()
    first.login(coordinator.email)
    second.login(other.email)
    first_page = first.get("/coordination/problematiques").get_data(as_text=True)
    second_page = second.get("/coordination/problematiques").get_data(as_text=True)
    first_tokens, second_tokens = set(CSRF_RE.findall(first_page)), set(CSRF_RE.findall(second_page))
    assert len(first_tokens) == 1 and len(second_tokens) == 1 and first_tokens != second_tokens
    assert "form-token-" not in second_page
    # the second coordinator's form, as served from what the first one's request rendered, is accepted
    (token,) = second_tokens
    sent = second.post(
        "/coordination/problematiques/proposer",
        data={"csrf_token": token, "lever": "foncier_tiers_lieux", "theme": "tiers-lieux", "meeting": str(meeting.id)},
    )
    assert sent.status_code == 302
    assert db.session.scalar(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)) is not None
    # the proposal is seen at once by the other coordinator: the group left the unanswered ones
    again = first.get("/coordination/problematiques").get_data(as_text=True)
    assert "Toutes les problématiques ont trouvé une réponse." in again and "(proposée à une rencontre)" in again
