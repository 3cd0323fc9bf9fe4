"""The matcher's fusion of its signals, and the « nothing answers this yet » decision."""

from clubess.practices import matching
from clubess.practices.search.engine import QueryPlan
from tests.pages import get_page


def test_a_practice_holding_one_common_word_of_a_long_problem_counts_little():
    plan = QueryPlan(weights={"cantin": 1.0, "maraich": 1.0, "legum": 1.0, "commun": 1.0})
    df = {"cantin": 2, "maraich": 2, "legum": 3, "commun": 9}
    matched = {1: {"commun"}, 2: {"cantin", "maraich", "legum"}, 3: {"cantin", "maraich", "legum", "commun"}}
    cover = matching.coverage(plan, matched, df, total=10)
    assert cover[3] == 1.0
    assert cover[1] < 0.1  # the word nine practices of ten hold says almost nothing
    assert 0.9 < cover[2] < 1.0


def test_synonyms_count_at_their_own_weight_and_phrases_by_their_words():
    plan = QueryPlan(weights={"boulot": 1.0, "emploi": 0.7}, phrases=[(("insertion", "activ"), 0.35, "x")])
    df = {"boulot": 1, "emploi": 1, "insertion": 1, "activ": 1}
    cover = matching.coverage(plan, {1: {"boulot"}, 2: {"emploi"}, 3: {"insertion", "activ"}}, df, total=10)
    assert cover[1] > cover[2] > 0
    assert cover[3] > 0
    assert matching.coverage(QueryPlan(), {1: set()}, {}, total=0) == {1: 0.0}


# --- « nothing answers this yet » ----------------------------------------------------------------------------


def _helene(db):
    import sqlalchemy as sa

    from clubess.auth.models import User

    return db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))


def test_the_decision_reads_the_best_score_and_its_margin():
    from clubess.practices import answered

    assert answered.is_answered([{"score": 0.8}, {"score": 0.4}])
    assert not answered.is_answered([{"score": 0.2}, {"score": 0.19}])
    assert not answered.is_answered([])
    # a clear lead over the second helps a middling best score
    assert answered.probability([{"score": 0.35}, {"score": 0.1}]) > answered.probability(
        [{"score": 0.35}, {"score": 0.34}]
    )


def test_a_clear_answer_is_answered_and_a_problem_nothing_answers_is_not(corpus, active_collectivity, db):
    from clubess.practices.problems import state_problem

    user = _helene(db)
    clear = state_problem(user, "une ressourcerie pour réparer et revendre les objets jetés à la déchèterie")
    none = state_problem(user, "les cimetières manquent de places et les familles attendent une concession")
    db.session.commit()
    assert clear.is_answered and clear.best_practice_id in {corpus["P01"].id, corpus["P10"].id}
    assert not none.is_answered


def test_the_page_says_plainly_that_nothing_answers_and_shows_leads(client, corpus, active_collectivity, db):
    from clubess.practices.problems import state_problem

    none = state_problem(_helene(db), "les cimetières manquent de places et les familles attendent")
    clear = state_problem(_helene(db), "une ressourcerie pour réparer et revendre les objets jetés")
    db.session.commit()
    client.login("helene@montreuil.fr")
    page = get_page(client, f"/problematiques/{none.id}").get_data(as_text=True)
    assert "Aucune pratique ne répond encore à cette problématique." in page
    assert "Pistes à explorer" in page and "Pourquoi cette piste" in page
    assert "Les pratiques et solutions qui y répondent" not in page and "pertinence" not in page
    assert "result-list--leads" in page
    page = get_page(client, f"/problematiques/{clear.id}").get_data(as_text=True)
    assert "Les pratiques et solutions qui y répondent" in page and "pertinence" in page
    assert "Aucune pratique ne répond encore" not in page and "Pistes à explorer" not in page


def test_the_loop_and_the_to_do_count_the_same_unanswered_problems(app, corpus, active_collectivity, coordinator, db):
    from clubess.dashboard.todo import todo
    from clubess.practices.problem_loop import loop
    from clubess.practices.problems import give_feedback, state_problem

    user = _helene(db)
    state_problem(user, "une ressourcerie pour réparer et revendre les objets jetés à la déchèterie")
    graves = state_problem(user, "les cimetières manquent de places et les familles attendent", themes=["funéraire"])
    state_problem(user, "l'éclairage public coûte trop cher la nuit", themes=["éclairage"])
    db.session.commit()
    with app.test_request_context():
        result = loop(coordinator)
        counts = {t.key: t.count for t in todo(coordinator, mail={})}
    groups = result.groups
    assert result.unanswered_total == counts["problems"] == 2
    assert sorted(g.theme for g in groups) == ["funéraire", "éclairage"]
    # a member finds a lead useful: the problem is answered everywhere at once
    give_feedback(user, graves, corpus["P04"].id, "useful")
    db.session.commit()
    assert graves.is_answered
    with app.test_request_context():
        assert {t.key: t.count for t in todo(coordinator, mail={})}["problems"] == 1
    with app.test_request_context():
        assert loop(coordinator).unanswered_total == 1


def test_the_match_api_says_whether_anything_answers(client, corpus):
    clear = client.get("/api/v1/practices/match?text=ressourcerie+pour+réparer+et+revendre+les+objets&limit=1")
    assert clear.get_json()["answered"] is True and len(clear.get_json()["results"]) == 1
    none = client.get("/api/v1/practices/match?text=les+cimetières+manquent+de+places").get_json()
    assert none["answered"] is False and none["results"]  # the closest items are still given, as leads
    spec = client.get("/api/v1/openapi.json").get_json()
    schema = spec["paths"]["/practices/match"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["properties"]["answered"]["type"] == "boolean" and "answered" in schema["required"]


def test_an_archived_practice_is_no_longer_a_problems_best_answer(corpus, active_collectivity, coordinator, db):
    """Archiving the practice a problem was best answered by matches the problem again at once: its best answer
    is a practice members can still read (or none), never the archived one."""
    from clubess.practices.models import Practice, PracticeStatus, Problem
    from clubess.practices.problems import state_problem
    from clubess.practices.services import archive

    problem = state_problem(_helene(db), "une ressourcerie pour réparer et revendre les objets jetés à la déchèterie")
    db.session.commit()
    best = db.session.get(Practice, problem.best_practice_id)
    archive(coordinator, best)
    db.session.commit()
    db.session.expire_all()
    problem = db.session.get(Problem, problem.id)
    assert problem.best_practice_id != best.id
    if problem.best_practice_id is not None:
        assert db.session.get(Practice, problem.best_practice_id).status == PracticeStatus.PUBLISHED
