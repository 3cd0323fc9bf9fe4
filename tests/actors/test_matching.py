"""Solutions go through the practices' index and matcher, and say what they are."""

import sqlalchemy as sa

from clubess.practices import matching
from clubess.practices.models import Problem
from tests.pages import get_page

MOBILE = "un camion qui ramasse les encombrants réutilisables au pied des immeubles"


def test_a_published_solution_is_matched_and_labelled_beside_practices(client, corpus, actors):
    results = matching.match(MOBILE, limit=5)
    kinds = {m.practice.ref: m.kind for m in results}
    assert kinds[actors["published"].ref] == "solution"
    assert "practice" in kinds.values()
    body = client.get("/api/v1/practices/match", query_string={"text": MOBILE}).get_json()
    by_ref = {r["ref"]: r for r in body["results"]}
    assert by_ref[actors["published"].ref]["kind"] == "solution"
    assert by_ref[actors["published"].ref]["title"] == "Une ressourcerie mobile dans les quartiers"
    assert {r["kind"] for r in body["results"]} == {"practice", "solution"}
    assert by_ref[actors["published"].ref]["reasons"]


def test_solutions_not_public_are_never_matched(corpus, actors, db, coordinator):
    from clubess.actors import services

    refs = {m.practice.ref for m in matching.match("paniers de légumes locaux pour les cantines", limit=50)}
    assert actors["pending_solution"].ref not in refs  # its structure's request is not accepted yet
    assert actors["archived_solution"].ref not in {
        m.practice.ref for m in matching.match("ancien atelier vélo", limit=50)
    }
    services.archive_organisation(coordinator, actors["listed"])
    db.session.commit()
    assert actors["published"].ref not in {m.practice.ref for m in matching.match(MOBILE, limit=50)}


def test_accepting_a_request_makes_its_solution_an_answer_at_once(corpus, actors, db, coordinator):
    from clubess.actors import services

    services.approve_request(coordinator, actors["pending"])
    db.session.commit()
    found = {m.practice.ref: m.kind for m in matching.match("paniers de légumes locaux pour les cantines", limit=5)}
    assert found.get(actors["pending_solution"].ref) == "solution"


def test_the_library_still_lists_practices_only(client, corpus, actors, active_collectivity):
    client.login("helene@montreuil.fr")
    html = get_page(client, "/bonnes-pratiques?q=ressourcerie").get_data(as_text=True)
    assert "Une ressourcerie mobile dans les quartiers" not in html
    everything = get_page(client, "/bonnes-pratiques").get_data(as_text=True)
    assert f"{len(corpus)} pratiques" in everything


def test_a_members_problem_shows_the_solution_labelled_with_its_contact(
    client, corpus, actors, active_collectivity, db
):
    client.login("helene@montreuil.fr")
    client.submit("/problematiques", {"text": MOBILE, "lever": ""})
    problem = db.session.scalar(sa.select(Problem))
    page = get_page(client, f"/problematiques/{problem.id}").get_data(as_text=True)
    assert "Solution d’un acteur de l’ESS" in page and "Pratique d’une collectivité" in page
    assert "Une ressourcerie mobile dans les quartiers" in page and "ines@recyclerie.example.org" in page
    assert "Recyclerie du Bas-Montreuil" in page
    db.session.expire_all()
    if problem.best_practice_id is not None:  # never a solution's id in the practices' column
        assert problem.best_practice_id in {p.id for p in corpus.values()}
