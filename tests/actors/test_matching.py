"""Solutions go through the practices' index and matcher, and say what they are."""

import pytest
import sqlalchemy as sa

from clubess.auth.models import User
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


def _card(html: str, solution) -> str:
    """The solution's card on the problem page."""
    return html.split(f'id="solution-{solution.id}"')[1].split('<li class="card"')[0].split("</ol>")[0]


def _problem_page(client, db):
    client.login("helene@montreuil.fr")
    client.submit("/problematiques", {"text": MOBILE, "lever": ""})
    problem = db.session.scalar(sa.select(Problem))
    url = f"/problematiques/{problem.id}"
    return problem, url


def test_a_member_gives_a_verdict_on_a_solution_and_can_undo_it(client, corpus, actors, active_collectivity, db):
    from clubess.core.audit import AuditEvent
    from clubess.practices.models import SolutionFeedback

    problem, url = _problem_page(client, db)
    solution = actors["published"]
    block = _card(get_page(client, url).get_data(as_text=True), solution)
    assert f"Votre avis sur « {solution.title} »" in block  # the solution can be judged like a practice
    response = client.submit(f"{url}/avis/solution/{solution.id}", {"verdict": "useful"}, form_url=url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#solution-{solution.id}")
    db.session.expire_all()
    feedback = db.session.get(SolutionFeedback, (problem.id, solution.id))
    assert feedback.verdict == "useful"
    problem = db.session.get(Problem, problem.id)
    assert problem.status == "solved" and problem.is_answered  # a useful solution answers the problem
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "problem.feedback"))
    assert event.details == {"solution": solution.ref, "verdict": "useful"}
    assert "actuel : Utile" in _card(get_page(client, url).get_data(as_text=True), solution)
    # the coordinators' figure of answered problems counts it; the member's data export lists it
    from clubess.dashboard.activity import problems_answered_per_quarter
    from clubess.dashboard.period import current_period
    from clubess.practices.privacy import export

    assert sum(problems_answered_per_quarter(current_period())) == 1
    from clubess.practices.problem_loop import loop

    coordinator = db.session.scalar(sa.select(User).where(User.role == "coordinator"))
    assert loop(coordinator).counts[problem.id] == {"useful": 1}  # the coordinators' loop counts it
    helene = db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))
    assert export([], helene.id)["solution_feedback"] == [
        {"problem_id": problem.id, "solution": solution.ref, "verdict": "useful", "at": feedback.created_at.isoformat()}
    ]

    client.submit(f"{url}/avis/solution/{solution.id}", {"verdict": "not_relevant"}, form_url=url)
    html = get_page(client, url).get_data(as_text=True)
    assert "Annuler « Pas pertinent »" in html
    assert client.post(f"{url}/avis/solution/{solution.id}/annuler", data={}).status_code == 400  # no CSRF token
    client.submit(f"{url}/avis/solution/{solution.id}/annuler", {}, form_url=url)
    db.session.expire_all()
    assert db.session.get(SolutionFeedback, (problem.id, solution.id)) is None
    assert db.session.get(Problem, problem.id).status == "open"


def test_a_solution_judged_not_relevant_goes_down_and_stays_listed_to_be_restored(
    client, corpus, actors, active_collectivity, db, monkeypatch
):
    from clubess.practices import problems
    from clubess.practices.problems import judged_not_relevant, matches_for

    problem, url = _problem_page(client, db)
    solution = actors["published"]
    before = {m.practice.ref: m.score for m in matches_for(problem, limit=20)}
    assert max(before, key=before.get) == solution.ref
    client.submit(f"{url}/avis/solution/{solution.id}", {"verdict": "not_relevant"}, form_url=url)
    db.session.expire_all()
    problem = db.session.get(Problem, problem.id)
    after = {m.practice.ref: m.score for m in matches_for(problem, limit=20)}
    assert after[solution.ref] == pytest.approx(before[solution.ref] - matching.NOT_RELEVANT_MALUS, abs=1e-3)
    # still among the five shown here: its card carries the undo button, and it is not listed twice
    shown = matches_for(problem)
    assert solution.ref in [m.practice.ref for m in shown] and judged_not_relevant(problem, shown) == []
    html = get_page(client, url).get_data(as_text=True)
    assert "Annuler « Pas pertinent »" in _card(html, solution) and "Réponses jugées non pertinentes" not in html
    # once out of the five, it is listed with its link and its undo button
    assert judged_not_relevant(problem, []) == [("solution", solution)]
    real = problems.matches_for
    monkeypatch.setattr(
        problems, "matches_for", lambda *a, **k: [m for m in real(*a, **k) if m.practice.ref != solution.ref]
    )
    rejected = get_page(client, url).get_data(as_text=True).split("Réponses jugées non pertinentes")[1]
    assert solution.title in rejected and f'href="/acteurs/solutions/{solution.id}"' in rejected
    assert f'action="{url}/avis/solution/{solution.id}/annuler"' in rejected


def test_someone_elses_useful_solution_is_evidence_for_a_similar_problem(
    corpus, actors, active_collectivity, db, make_user
):
    from clubess.practices.problems import give_feedback, state_problem

    helene = db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))
    solution = actors["published"]
    problem = state_problem(helene, MOBILE)
    give_feedback(helene, problem, solution.id, "useful", kind="solution")
    db.session.commit()
    karim = make_user(email="karim@example.org")
    found = next(m for m in matching.match(MOBILE, limit=10, viewer_id=karim.id) if m.practice.ref == solution.ref)
    assert any("Jugée utile pour une problématique semblable" in r for r in found.reasons)
    mine = next(m for m in matching.match(MOBILE, limit=10, viewer_id=helene.id) if m.practice.ref == solution.ref)
    assert found.score > mine.score  # her own verdict is no evidence for her


def test_a_verdict_on_an_unpublished_or_unknown_solution_is_refused(client, corpus, actors, active_collectivity, db):
    problem, url = _problem_page(client, db)
    for solution_id in (actors["pending_solution"].id, actors["archived_solution"].id, 999999):
        response = client.submit(f"{url}/avis/solution/{solution_id}", {"verdict": "useful"}, form_url=url)
        assert response.status_code == 404
    from clubess.practices.models import SolutionFeedback

    assert db.session.scalar(sa.select(sa.func.count()).select_from(SolutionFeedback)) == 0


CANTEENS = "les maraîchers du coin pourraient-ils livrer des légumes locaux aux cantines scolaires en circuit court ?"


def test_a_problem_best_answered_by_a_solution_published_later_names_it_in_the_loop(
    client, corpus, actors, active_collectivity, coordinator, db
):
    """A solution published after a problem was stated answers it at once: the problem's best answer is that
    solution (its own column, never the practices'), the coordinators' loop names it with what it is, and the
    problem is no longer counted « sans réponse »."""
    from clubess.actors import services
    from clubess.practices.problems import state_problem

    helene = db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))
    problem = state_problem(helene, CANTEENS)
    db.session.commit()
    assert problem.best_solution_id is None  # the structure's request is not accepted yet
    client.login(coordinator.email)
    before = get_page(client, "/coordination/problematiques").get_data(as_text=True)
    assert "Des paniers de légumes locaux" not in before and "(sans réponse)" in before

    services.approve_request(coordinator, actors["pending"])  # publishes its solution
    db.session.commit()
    db.session.expire_all()
    problem = db.session.get(Problem, problem.id)
    assert problem.best_solution_id == actors["pending_solution"].id and problem.best_practice_id is None
    assert problem.is_answered
    after = get_page(client, "/coordination/problematiques").get_data(as_text=True)
    row = after.split("<tbody>")[-1].split("</tr>")[0]
    score = round(problem.best_score * 100)
    assert f"Des paniers de légumes locaux pour les cantines ({score})" in row
    assert "Solution d’un acteur de l’ESS" in row and "(sans réponse)" not in row


def test_a_solution_that_answers_a_followed_problem_is_mailed_once_to_its_author(
    client, smtp, corpus, actors, active_collectivity, coordinator, db
):
    """A followed problem's author who asked to be told gets one mail when an ESS actor's solution answers it
    (the structure's request accepted, its solution published), naming the solution and its structure; publishing
    it again sends nothing more, and a followed problem without the alert gets nothing."""
    from clubess.actors import services
    from clubess.actors.solutions import publish_solution
    from clubess.mailing.worker import send_pending
    from clubess.practices.problems import state_problem

    helene = db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))
    told = state_problem(helene, CANTEENS, follow=True, notify=True)
    quiet = state_problem(helene, "des légumes locaux livrés aux cantines par les maraîchers", follow=True)
    db.session.commit()
    services.approve_request(coordinator, actors["pending"])
    db.session.commit()
    publish_solution(coordinator, actors["pending_solution"])  # again: no second mail
    db.session.commit()
    send_pending()
    mails = smtp.to("helene@montreuil.fr")
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Une solution d’un acteur de l’ESS répond à votre problématique"
    text = smtp.text_of(mails[0])
    assert "Des paniers de légumes locaux pour les cantines" in text and actors["pending"].name in text
    assert f"/problematiques/{told.id}" in text and f"/problematiques/{quiet.id}" not in text


@pytest.mark.parametrize("leaves", ["solution archived", "structure archived"])
def test_a_solution_that_leaves_the_directory_is_no_longer_a_problems_best_answer(
    client, corpus, actors, active_collectivity, coordinator, db, leaves
):
    """When the solution a problem was best answered by stops being public (archived itself, or its structure
    archived), the problem is matched again at once: the coordinators' loop no longer names an answer nobody can
    read, and the problem it alone answered is counted « sans réponse » again."""
    from clubess.actors import services
    from clubess.actors.solutions import archive_solution
    from clubess.practices.problems import state_problem

    helene = db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))
    problem = state_problem(helene, CANTEENS)
    services.approve_request(coordinator, actors["pending"])
    db.session.commit()
    assert db.session.get(Problem, problem.id).best_solution_id == actors["pending_solution"].id
    if leaves == "solution archived":
        archive_solution(coordinator, actors["pending_solution"])
    else:
        services.archive_organisation(coordinator, actors["pending"])
    db.session.commit()
    db.session.expire_all()
    problem = db.session.get(Problem, problem.id)
    assert problem.best_solution_id is None and not problem.is_answered
    client.login(coordinator.email)
    row = get_page(client, "/coordination/problematiques").get_data(as_text=True).split("<tbody>")[-1]
    row = row.split("</tr>")[0]
    assert "Des paniers de légumes locaux" not in row and "(sans réponse)" in row


def test_publishing_accepting_and_archiving_a_solution_ask_first_and_say_who_is_told(
    client, corpus, actors, active_collectivity, coordinator, db
):
    """A solution published (by accepting its structure's request, or by itself) may mail every member following a
    problem with an alert, and archiving it takes it from the problems it answers best: each asks first and says
    so, with the numbers counted here by hand; a post without the confirmation changes nothing."""
    from clubess.actors.models import Organisation
    from clubess.practices.problems import state_problem

    helene = db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr"))
    state_problem(helene, CANTEENS, follow=True, notify=True)
    state_problem(helene, "des légumes locaux livrés aux cantines par les maraîchers", follow=True, notify=True)
    # followed without the alert: not counted; and nothing about canteens
    state_problem(helene, "les cimetières manquent de places et les familles attendent une concession", follow=True)
    db.session.commit()
    pending, solution = actors["pending"], actors["pending_solution"]
    client.login(coordinator.email)
    edit = f"/coordination/acteurs/{pending.id}"
    asked = client.submit(f"{edit}/accepter", {}, form_url=edit)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Accepter la demande de" in html
    assert "Sa solution proposée est publiée" in html
    assert "Au plus 1 personne est prévenue par courriel" in html  # one author, two problems with the alert
    db.session.expire_all()
    assert db.session.get(Organisation, pending.id).status == "pending" and solution.status == "submitted"
    client.confirm(f"{edit}/accepter", {}, form_url=edit)
    db.session.expire_all()
    assert solution.status == "published"

    url = f"/coordination/acteurs/solutions/{solution.id}"
    answered = db.session.scalar(
        sa.select(sa.func.count()).select_from(Problem).where(Problem.best_solution_id == solution.id)
    )
    assert answered == 2  # both problems about local vegetables for canteens
    asked = client.submit(f"{url}/archiver", {}, form_url=url).get_data(as_text=True)
    assert "2 problématiques dont elle est la meilleure réponse sont de nouveau rapprochées" in asked
    db.session.expire_all()
    assert solution.status == "published"
    client.confirm(f"{url}/archiver", {}, form_url=url)
    db.session.expire_all()
    assert solution.status == "archived"
    asked = client.submit(f"{url}/publier", {}, form_url=url).get_data(as_text=True)
    assert "Publier « Des paniers de légumes locaux pour les cantines » ?" in asked
    assert "Au plus 1 personne est prévenue par courriel" in asked
    db.session.expire_all()
    assert solution.status == "archived"
