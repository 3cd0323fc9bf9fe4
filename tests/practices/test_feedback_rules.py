"""Feedback that means something: no self-confirmation, « Pas pertinent » undone, a reason for every answer."""

import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from clubess.practices import matching
from clubess.practices.models import MatchFeedback
from tests.pages import get_page


def _user(db, email="helene@montreuil.fr"):
    from clubess.auth.models import User

    return db.session.scalar(sa.select(User).where(User.email == email))


def test_own_verdicts_on_other_problems_never_count_as_evidence_for_oneself(corpus, active_collectivity, db, make_user):
    from clubess.practices.problems import give_feedback, matches_for, state_problem

    helene = _user(db)
    text = "les jeunes du quartier n'ont pas de travail"
    target = matching.match(text)[-1].practice
    first = state_problem(helene, text)
    give_feedback(helene, first, target.id, "useful")
    again = state_problem(helene, "les jeunes de notre quartier n'ont pas de travail")
    db.session.commit()
    mine = next(m for m in matches_for(again, limit=10) if m.practice.id == target.id)
    assert not any("semblable" in r for r in mine.reasons)  # her own verdict is not « a similar problem »
    # someone else's problem, same words: her verdict is evidence for them
    karim = make_user(email="karim@example.org")
    theirs = matching.match("les jeunes de notre quartier n'ont pas de travail", limit=10, viewer_id=karim.id)
    found = next(m for m in theirs if m.practice.id == target.id)
    assert any("Jugée utile pour une problématique semblable" in r for r in found.reasons)
    assert found.score > mine.score


def test_a_verdict_on_this_problem_is_not_called_a_similar_problem(corpus, active_collectivity, db):
    from clubess.practices.problems import give_feedback, matches_for, state_problem

    helene = _user(db)
    problem = state_problem(helene, "une ressourcerie pour réparer les objets")
    give_feedback(helene, problem, corpus["P01"].id, "useful")
    db.session.commit()
    p01 = next(m for m in matches_for(problem) if m.practice.id == corpus["P01"].id)
    assert p01.verdict == "useful" and not any("semblable" in r for r in p01.reasons)


def test_not_relevant_can_be_undone_from_the_problem_page(client, corpus, active_collectivity, db):
    from clubess.practices.problems import state_problem

    problem = state_problem(_user(db), "une ressourcerie pour réparer et revendre les objets")
    db.session.commit()
    client.login("helene@montreuil.fr")
    url = f"/problematiques/{problem.id}"
    p01 = corpus["P01"].id
    client.submit(f"{url}/avis/{p01}", {"verdict": "not_relevant"}, form_url=url)
    page = get_page(client, url).get_data(as_text=True)
    assert "Annuler « Pas pertinent »" in page  # shown even when the practice fell out of the five
    refused = client.post(f"{url}/avis/{p01}/annuler", data={})  # no CSRF token
    assert refused.status_code == 400 and db.session.get(MatchFeedback, (problem.id, p01)) is not None
    response = client.submit(f"{url}/avis/{p01}/annuler", {}, form_url=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(MatchFeedback, (problem.id, p01)) is None
    page = get_page(client, url).get_data(as_text=True)
    assert "Votre avis est retiré." in page and "Annuler « Pas pertinent »" not in page
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "problem.feedback_withdrawn"))
    # nothing to undo, or someone who cannot see the problem
    assert client.submit(f"{url}/avis/{p01}/annuler", {}, form_url=url).status_code == 302
    assert client.submit(f"{url}/avis/999999/annuler", {}, form_url=url).status_code in (302, 404)


def test_another_collectivity_cannot_undo_a_verdict(client, corpus, active_collectivity, db, make_user):
    from clubess.practices.problems import give_feedback, state_problem

    helene = _user(db)
    problem = state_problem(helene, "une ressourcerie pour réparer et revendre les objets")
    give_feedback(helene, problem, corpus["P01"].id, "not_relevant")
    db.session.commit()
    make_user(email="autre@example.org")
    client.login("autre@example.org")
    url = f"/problematiques/{problem.id}"
    response = client.submit(f"{url}/avis/{corpus['P01'].id}/annuler", {}, form_url="/problematiques")
    assert response.status_code == 403
    assert db.session.get(MatchFeedback, (problem.id, corpus["P01"].id)) is not None


def test_every_shown_answer_has_a_reason_even_one_only_the_meaning_found(corpus):
    text = "nos assos n'ont plus un sou en caisse en attendant l'argent de la mairie"
    results = matching.match(text, limit=10)
    meaning_only = [m for m in results if not m.words]
    assert meaning_only  # found by meaning alone: no word in common
    assert all(m.reasons for m in results), [(m.practice.ref, m.reasons) for m in results]
