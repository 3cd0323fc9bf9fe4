"""Problems and matching: the matcher with reasons, the page, feedback, the API, the loop, the alert mail."""

import pytest
import sqlalchemy as sa

from clubess.practices import matching
from clubess.practices.models import MatchFeedback, Practice, Problem
from tests.pages import get_page


def ranking(text, **context):
    return [m.practice.ref for m in matching.match(text, matching.Context(**context), limit=5)]


def test_paraphrase_without_accents_or_shared_words_reaches_the_answer(corpus):
    # no word of P06 ("prêts d'honneur", "trésorerie", "subventions") is in the text: meaning does it
    assert ranking("nos assos n'ont plus un sou en caisse en attendant l'argent de la mairie")[0] == "P06"
    # typos, no accents, everyday words
    assert ranking("on jete des objets encore bons, il faudrait les reparer et les revendre")[0] in {"P01", "P10"}


def test_words_alone_still_match_when_the_semantic_signal_is_off(app, corpus):
    app.config["MATCH_SEMANTIC"] = False
    try:
        assert ranking("clauses sociales dans la commande publique")[0] == "P02"
    finally:
        app.config["MATCH_SEMANTIC"] = True


def test_every_match_says_why(corpus):
    results = matching.match(
        "une recyclerie pour reemployer les dechets",
        matching.Context(lever="soutien_structures", themes=["Réemploi"], territory_kind="commune", department="75"),
    )
    best = results[0]
    assert best.practice.ref in {"P01", "P10"}
    reasons = " | ".join(best.reasons)
    assert "Même levier : Soutien aux structures" in reasons
    assert "Thèmes communs : réemploi" in reasons
    assert "Termes en commun : " in reasons and "reemployer" in reasons  # as typed
    assert "Collectivité du même type" in reasons
    assert [m.score for m in results] == sorted((m.score for m in results), reverse=True)


def test_structured_signals_reorder_close_candidates(corpus):
    text = "objets réparés et revendus"
    plain = ranking(text)
    biased = ranking(text, lever="soutien_structures", themes=["bâtiment"])
    assert plain[:2] == ["P01", "P10"]  # on words and meaning alone, the municipal ressourcerie comes first
    assert biased[0] == "P10"  # the only one with the theme "bâtiment"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Décrivez votre problématique"),
        ("   \x00\x07  ", "Décrivez votre problématique"),
        ("x" * 20000, "trop long"),
        ("le la les de des et ou mais donc", "aucun mot significatif"),
    ],
)
def test_bad_text_is_refused_with_a_clear_message(corpus, text, message):
    with pytest.raises(matching.MatchInputError, match=message):
        matching.check_text(text)


def test_api_answers_best_first_with_reasons_and_refuses_bad_input(client, corpus):
    response = client.get("/api/v1/practices/match?text=clauses+sociales+dans+nos+marches&limit=3")
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == 3 and results[0]["ref"] == "P02"
    assert set(results[0]) == {"ref", "kind", "title", "score", "reasons", "fictitious"} and results[0]["reasons"]
    assert results[0]["kind"] == "practice"
    assert results[0]["score"] >= results[1]["score"] >= results[2]["score"]
    for query, fragment in [
        ("text=", "Décrivez"),
        ("text=" + "a" * 1500, "par POST"),
        ("text=le+la+les", "aucun mot significatif"),
        ("text=recyclerie&limit=-3", "limit"),
        ("text=recyclerie&limit=abc", "limit"),
        ("text=%01%02recyclerie%7f", "caractères de contrôle"),
        ("text=recyclerie%0Aet%09r%C3%A9emploi", None),
    ]:
        response = client.get(f"/api/v1/practices/match?{query}")
        if fragment is None:
            assert response.status_code == 200 and response.get_json()["results"]
        else:
            assert response.status_code == 400, query
            assert fragment in response.get_json()["error"]["message"]


def test_api_sees_published_practices_only(client, corpus, db):
    corpus["P02"].status = "archived"
    from clubess.practices.search.index import index_practice

    index_practice(corpus["P02"])
    db.session.commit()
    refs = [r["ref"] for r in client.get("/api/v1/practices/match?text=clauses+sociales").get_json()["results"]]
    assert "P02" not in refs


def test_member_states_a_problem_marks_an_answer_and_follows_it(client, corpus, active_collectivity, db, count_queries):
    assert client.get("/problematiques").status_code == 302  # login first
    client.login("helene@montreuil.fr")
    get_page(client, "/problematiques")
    empty = client.submit("/problematiques", {"text": "", "lever": ""})
    assert "Décrivez votre problématique" in empty.get_data(as_text=True)
    stop = client.submit("/problematiques", {"text": "et ou donc", "lever": ""})
    assert "aucun mot significatif" in stop.get_data(as_text=True)
    long = client.submit("/problematiques", {"text": "mot " * 3000, "themes": "réemploi"})
    assert "trop long" in long.get_data(as_text=True) and "réemploi" in long.get_data(as_text=True)  # kept
    response = client.submit(
        "/problematiques",
        {"text": "Des objets encore bons finissent a la decheterie", "lever": "soutien_structures", "follow": "y"},
    )
    problem = db.session.scalar(sa.select(Problem))
    assert response.status_code == 302 and problem.followed and problem.collectivity.name == "Montreuil"
    get_page(client, f"/problematiques/{problem.id}")  # fills the worker's caches
    with count_queries() as counter:
        page = get_page(client, f"/problematiques/{problem.id}").get_data(as_text=True)
    assert counter.count <= 12, counter.statements
    assert "Une ressourcerie municipale" in page and "Pourquoi cette pratique" in page
    assert "Même levier" in page
    assert "Collectivité du même type" in page  # Montreuil is a commune, like the corpus' practices
    p01 = corpus["P01"].id
    client.submit(
        f"/problematiques/{problem.id}/avis/{p01}", {"verdict": "useful"}, form_url=f"/problematiques/{problem.id}"
    )
    db.session.expire_all()
    feedback = db.session.get(MatchFeedback, (problem.id, p01))
    assert feedback.verdict == "useful"
    db.session.refresh(problem)
    assert problem.status == "solved"
    assert 'aria-pressed="true"' in get_page(client, f"/problematiques/{problem.id}").get_data(as_text=True)
    assert "Des objets encore bons" in get_page(client, "/problematiques").get_data(as_text=True)


def test_feedback_improves_rankings_for_similar_problems(client, corpus, active_collectivity, db):
    from clubess.auth.models import User
    from clubess.practices.problems import give_feedback, state_problem

    user = db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))
    text = "les jeunes du quartier n'ont pas de travail"
    before = matching.match(text)
    target = before[-1].practice  # fifth: members found it useful
    first = state_problem(user, text)
    give_feedback(user, first, target.id, "useful")
    give_feedback(user, first, before[0].practice.id, "not_relevant")
    db.session.commit()
    after = matching.match("les jeunes de notre quartier n'ont pas de travail")
    refs = [m.practice.id for m in after]
    assert refs.index(target.id) < 4
    score = {m.practice.id: m.score for m in after}
    assert score[before[0].practice.id] < before[0].score - 0.05  # judged not relevant: lower
    assert any("Jugée utile" in r for m in after if m.practice.id == target.id for r in m.reasons)


def test_other_collectivities_cannot_see_a_problem(client, corpus, active_collectivity, db, make_user):
    from clubess.auth.models import User
    from clubess.practices.problems import state_problem

    user = db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))
    problem = state_problem(user, "une recyclerie pour nos encombrants")
    db.session.commit()
    make_user(email="autre@example.org")
    client.login("autre@example.org")
    assert client.get(f"/problematiques/{problem.id}").status_code == 403


def test_loop_groups_unanswered_problems_and_turns_one_into_an_agenda_item(
    app, client, corpus, active_collectivity, coordinator, db, make_meeting, count_queries
):
    from clubess.auth.models import User
    from clubess.meetings.models import AgendaItem
    from clubess.practices.problems import state_problem

    user = db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))
    answered = state_problem(user, "une ressourcerie pour réemployer les objets", lever="soutien_structures")
    nothing = [
        state_problem(user, "les cimetières manquent de places et les familles attendent", themes=["funéraire"]),
        state_problem(user, "nos concessions funéraires sont saturées", themes=["Funéraire"]),
    ]
    db.session.commit()
    assert answered.is_answered and not any(p.is_answered for p in nothing)
    meeting = make_meeting(status="draft", title="Rencontre d'automne")
    db.session.commit()
    client.login(coordinator.email)
    with count_queries() as counter:
        page = get_page(client, "/coordination/problematiques").get_data(as_text=True)
    assert counter.count <= 12, counter.statements
    assert "funéraire" in page and "(sans réponse)" in page and "Rencontre d&#39;automne" in page
    client.submit(
        "/coordination/problematiques/proposer",
        {"lever": "", "theme": "funéraire", "meeting": str(meeting.id)},
        form_url="/coordination/problematiques",
    )
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
    assert item.title == "Problématique à traiter : funéraire (2)"
    assert "cimetières" in item.description and item.kind == "echange_bonnes_pratiques"
    client.submit(
        "/coordination/problematiques/proposer",
        {"lever": "", "theme": "funéraire", "meeting": str(meeting.id)},
        form_url="/coordination/problematiques",
    )
    again = get_page(client, "/coordination/problematiques").get_data(as_text=True)
    assert "plus de problématique sans réponse" in again and "proposée à une rencontre" in again
    assert client.get("/coordination/problematiques").status_code == 200
    missing = client.submit(
        "/coordination/problematiques/proposer",
        {"lever": "", "theme": "funéraire", "meeting": "999999"},
        form_url="/coordination/problematiques",
    )
    assert missing.status_code == 404
    member = app.test_client()
    member.login("helene@montreuil.fr")
    assert member.get("/coordination/problematiques").status_code == 403


def test_a_problem_stated_under_another_model_still_gets_a_new_practice_as_its_answer(
    corpus, active_collectivity, coordinator, db
):
    """A problem's vector is kept from when it was stated: after the model changed (MATCH_MODEL, another size),
    publishing a practice that answers it must neither fail nor pass it over: its text is matched again."""
    import numpy as np

    from clubess.auth.models import User
    from clubess.practices.problems import state_problem
    from clubess.practices.search import semantic
    from clubess.practices.services import publish

    user = db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))
    problem = state_problem(user, "Des personnes âgées isolées ne reçoivent plus de repas chauds à domicile")
    problem.vector = semantic.to_bytes(np.ones(semantic.dimensions() + 128, dtype=np.float32) / 23.0)
    practice = Practice(
        ref="N1",
        title="Portage de repas à domicile par une association d'insertion",
        summary="Des salariés en insertion livrent chaque jour un repas chaud aux personnes âgées isolées.",
        lever="soutien_structures",
        themes=["personnes âgées", "portage de repas"],
        status="submitted",
        territory_kind="commune",
    )
    db.session.add(practice)
    db.session.commit()
    publish(db.session.get(User, coordinator.id), practice)
    db.session.commit()
    db.session.refresh(problem)
    assert problem.best_practice_id == practice.id and problem.is_answered


def test_a_new_practice_that_answers_a_followed_problem_is_mailed_once(
    app, client, smtp, corpus, active_collectivity, coordinator, db
):
    from clubess.auth.models import User
    from clubess.mailing.worker import send_pending
    from clubess.practices.problems import state_problem
    from clubess.practices.services import publish

    user = db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))
    problem = state_problem(
        user, "Des personnes âgées isolées ne reçoivent plus de repas chauds à domicile", follow=True, notify=True
    )
    quiet = state_problem(user, "Des personnes âgées isolées sans repas chauds à domicile", follow=True)
    db.session.commit()
    practice = Practice(
        ref="N1",
        title="Portage de repas à domicile par une association d'insertion",
        summary="Des salariés en insertion livrent chaque jour un repas chaud aux personnes âgées isolées.",
        lever="soutien_structures",
        themes=["personnes âgées", "portage de repas"],
        status="submitted",
        territory_kind="commune",
    )
    db.session.add(practice)
    db.session.commit()
    coord = db.session.get(User, coordinator.id)
    publish(coord, practice)
    db.session.commit()
    publish(coord, practice)  # no second mail
    db.session.commit()
    send_pending()
    mails = smtp.to("helene@montreuil.fr")
    assert len(mails) == 1
    text = smtp.text_of(mails[0])
    assert "Portage de repas" in text and f"/problematiques/{problem.id}" in text
    assert f"/problematiques/{quiet.id}" not in text
    db.session.refresh(problem)
    assert problem.best_practice_id == practice.id
