"""The directory: who sees which organisations and solutions, and their contacts."""

import pytest

from tests.pages import get_page


def _ids(actors, *names):
    return [actors[n].id for n in names]


def test_visitors_see_listed_structures_but_not_their_contacts(client, actors):
    html = get_page(client, "/acteurs").get_data(as_text=True)
    assert "Recyclerie du Bas-Montreuil" in html
    for hidden in ("Les Petits Cageots", "Fausse Piste", "Ancienne Coop"):
        assert hidden not in html
    detail = get_page(client, f"/acteurs/{actors['listed'].id}").get_data(as_text=True)
    assert "Une ressourcerie mobile dans les quartiers" in detail
    assert "Ancien atelier vélo" not in detail
    assert "ines@recyclerie.example.org" not in detail and "01 48 00 00 00" not in detail
    assert "réservées aux collectivités membres" in detail
    solution = get_page(client, f"/acteurs/solutions/{actors['published'].id}").get_data(as_text=True)
    assert "Solution d’un acteur de l’ESS" in solution and "ines@recyclerie.example.org" not in solution


@pytest.mark.parametrize("key", ["pending", "rejected", "gone"])
def test_structures_outside_the_directory_do_not_exist_for_visitors_and_members(
    client, actors, active_collectivity, key
):
    assert client.get(f"/acteurs/{actors[key].id}").status_code == 404
    client.login("helene@montreuil.fr")
    assert client.get(f"/acteurs/{actors[key].id}").status_code == 404


@pytest.mark.parametrize("key", ["pending_solution", "archived_solution"])
def test_solutions_not_published_do_not_exist_for_visitors_and_members(client, actors, active_collectivity, key):
    assert client.get(f"/acteurs/solutions/{actors[key].id}").status_code == 404
    client.login("helene@montreuil.fr")
    assert client.get(f"/acteurs/solutions/{actors[key].id}").status_code == 404


def test_members_and_coordinators_see_contacts(client, actors, active_collectivity, coordinator):
    client.login("helene@montreuil.fr")
    detail = get_page(client, f"/acteurs/{actors['listed'].id}").get_data(as_text=True)
    assert "ines@recyclerie.example.org" in detail and "01 48 00 00 00" in detail
    solution = get_page(client, f"/acteurs/solutions/{actors['published'].id}").get_data(as_text=True)
    assert "ines@recyclerie.example.org" in solution


def test_coordinators_see_requests_and_their_contacts(client, actors, coordinator):
    client.login(coordinator.email)
    pending = get_page(client, f"/acteurs/{actors['pending'].id}").get_data(as_text=True)
    assert "paul@cageots.example.org" in pending and "Demande à examiner" in pending


def test_an_account_without_an_active_collectivity_sees_no_contact(client, actors, make_user):
    make_user(email="curieux@example.org")
    client.login("curieux@example.org")
    detail = get_page(client, f"/acteurs/{actors['listed'].id}").get_data(as_text=True)
    assert "ines@recyclerie.example.org" not in detail


def test_directory_search_filters_and_pagination(client, db, actors, territories, coordinator, count_queries):
    from clubess.actors import services
    from clubess.actors.services import OrganisationData

    for n in range(25):
        services.create_organisation(
            coordinator,
            OrganisationData(name=f"Régie de quartier {n:02d}", kind="siae", territory_ids=[territories["94"].id]),
        )
    db.session.commit()
    html = get_page(client, "/acteurs").get_data(as_text=True)
    assert "26 structures" in html and "Page suivante" in html
    assert "Régie de quartier 19" not in html  # page 2
    assert "Régie de quartier 19" in get_page(client, "/acteurs?page=2").get_data(as_text=True)
    found = get_page(client, "/acteurs?q=regie+de+QUARTIER+0").get_data(as_text=True)
    assert "10 structures" in found
    assert "1 structure" in get_page(client, "/acteurs?type=association").get_data(as_text=True)
    by_place = get_page(client, f"/acteurs?territoire={territories['93048'].id}").get_data(as_text=True)
    assert "1 structure" in by_place and "Recyclerie du Bas-Montreuil" in by_place
    for odd in (
        "/acteurs?page=999999999999",
        "/acteurs?type=%00",
        "/acteurs?territoire=abc",
        "/acteurs?q=" + "%" * 300,
    ):
        assert client.get(odd).status_code in (200, 400), odd
    with count_queries() as counter:  # 20 structures on page 1, 6 on page 2: the same number of queries
        get_page(client, "/acteurs")
    with count_queries() as small:
        get_page(client, "/acteurs?page=2")
    assert counter.count == small.count <= 6, counter.statements
