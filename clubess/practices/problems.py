"""Problems: stated by members, matched to practices, judged, followed; the coordinators' loop."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.errors import DomainError, Forbidden, NotFound
from clubess.core.permissions import Role, has_role, is_author
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.practices import answered, matching
from clubess.practices.models import (
    MatchFeedback,
    NotifiedMatch,
    NotifiedSolutionMatch,
    Practice,
    PracticeStatus,
    PracticeVector,
    Problem,
    ProblemStatus,
    SolutionFeedback,
    Verdict,
)
from clubess.practices.search import semantic


def _member(actor):
    from clubess.members.services import member_of

    return member_of(actor)


def can_state(actor) -> bool:
    return has_role(actor, Role.COORDINATOR) or _member(actor) is not None


def state_problem(
    actor,
    text: str,
    lever: str | None = None,
    themes: list[str] | None = None,
    follow: bool = False,
    notify: bool = False,
) -> Problem:
    """Record a problem of the actor's collectivity (always kept: it feeds the coordinators' loop)."""
    if not can_state(actor):
        raise Forbidden("forbidden")
    try:
        text = matching.check_text(text)
    except matching.MatchInputError as exc:
        raise DomainError(str(exc), field="text") from exc
    member = _member(actor)
    problem = Problem(
        text=text,
        lever=lever if lever in LEVERS else None,
        themes=[t.strip()[:100] for t in (themes or []) if t.strip()][:10],
        collectivity_id=member.collectivity_id if member else None,
        author_id=actor.id,
        followed=follow,
        notify=follow and notify,
    )
    if semantic.enabled():
        problem.vector = semantic.to_bytes(semantic.embed_query(text))
    db.session.add(problem)
    db.session.flush()
    refresh_best(problem)
    record(actor, "problem.stated", problem)
    return problem


def context_for(problem: Problem) -> matching.Context:
    return matching.context_of(problem.collectivity, problem.lever, problem.themes)


def matches_for(problem: Problem, limit: int = 5, viewer_id: int | None = None) -> list[matching.Match]:
    """The problem's best practices; `viewer_id`: who looks (their own verdicts elsewhere are no evidence)."""
    vector = semantic.from_bytes(problem.vector) if problem.vector and semantic.enabled() else None
    return matching.match(
        problem.text, context_for(problem), limit=limit, problem=problem, query_vector=vector, viewer_id=viewer_id
    )


def decide(problem: Problem, results: list[matching.Match]) -> bool:
    """The one « answered » decision for a problem (its page, the stored `is_answered` the loop and the to-do
    count): a member found a proposed practice useful or already done, or the ranking holds a real answer
    (clubess.practices.answered) once the practices members judged not relevant for it are set aside."""
    if any(f.verdict in (Verdict.USEFUL, Verdict.ALREADY_DONE) for f in verdicts_of(problem)):
        return True
    return answered.is_answered([m for m in results if m.verdict != Verdict.NOT_RELEVANT])


def refresh_best(problem: Problem, results: list[matching.Match] | None = None) -> None:
    """Store the best match and the « answered » decision (the ranking's first two are what it reads)."""
    results = matches_for(problem, limit=answered.READS + 1) if results is None else results
    _set_best(problem, results[0] if results else None)
    problem.is_answered = decide(problem, results)


def _set_best(problem: Problem, best: matching.Match | None) -> None:
    """The best match's score and what it is: a practice or an ESS actor's solution (one of the two ids)."""
    problem.best_score = best.score if best else 0.0
    is_practice = best is not None and best.kind == matching.kinds.PRACTICE
    problem.best_practice_id = best.practice.id if is_practice else None
    problem.best_solution_id = best.practice.id if best is not None and not is_practice else None


def can_see(actor, problem: Problem) -> bool:
    if has_role(actor, Role.COORDINATOR):
        return True
    if is_author(actor, problem.author_id):
        return True
    member = _member(actor)
    return (
        member is not None and problem.collectivity_id is not None and member.collectivity_id == problem.collectivity_id
    )


def get_problem(actor, problem_id: int) -> Problem:
    problem = db.session.get(Problem, problem_id)
    if problem is None:
        raise NotFound("problem")
    if not can_see(actor, problem):
        raise Forbidden("forbidden")
    return problem


def list_own(actor) -> list[Problem]:
    """The actor's followed problems, and the other problems of their collectivity, newest first."""
    member = _member(actor)
    condition = sa.and_(Problem.author_id == actor.id, Problem.followed.is_(True))
    if member is not None:
        condition = sa.or_(condition, sa.and_(Problem.collectivity_id == member.collectivity_id, Problem.followed))
    return list(db.session.scalars(sa.select(Problem).where(condition).order_by(Problem.created_at.desc()).limit(100)))


def verdicts_of(problem: Problem) -> list:
    """Every verdict given on the problem's answers, practices' and solutions' alike."""
    return [*problem.feedback, *problem.solution_feedback]


def _answer(kind: str, answer_id: int):
    """(the row, its feedback model, the feedback's key column) of a proposed answer; NotFound unless published
    (a solution's structure listed too: what the matcher may propose)."""
    if kind == matching.kinds.SOLUTION:
        from clubess.actors.models import Organisation, OrganisationStatus, Solution

        solution = db.session.get(Solution, answer_id)
        published = solution is not None and solution.status == PracticeStatus.PUBLISHED
        if not published or db.session.get(Organisation, solution.organisation_id).status != OrganisationStatus.ACTIVE:
            raise NotFound("solution")
        return solution, SolutionFeedback, "solution_id"
    practice = db.session.get(Practice, answer_id)
    if practice is None:
        raise NotFound("practice")
    return practice, MatchFeedback, "practice_id"


def give_feedback(actor, problem: Problem, answer_id: int, verdict: str, kind: str = matching.kinds.PRACTICE):
    """A member's verdict on one answer proposed for the problem: a practice, or an ESS actor's solution."""
    if not can_see(actor, problem):
        raise Forbidden("forbidden")
    if verdict not in set(Verdict):
        raise DomainError(_("Avis inconnu."))
    answer, model, column = _answer(kind, answer_id)
    feedback = db.session.get(model, (problem.id, answer_id))
    if feedback is None:
        feedback = model(problem_id=problem.id, verdict=verdict, author_id=actor.id, **{column: answer_id})
        (problem.solution_feedback if model is SolutionFeedback else problem.feedback).append(feedback)
    feedback.verdict = verdict
    feedback.author_id = actor.id
    db.session.flush()
    given = verdicts_of(problem)
    if verdict in (Verdict.USEFUL, Verdict.ALREADY_DONE) and problem.status == ProblemStatus.OPEN:
        problem.status = ProblemStatus.SOLVED.value
    elif verdict == Verdict.NOT_RELEVANT and not any(f.verdict != Verdict.NOT_RELEVANT for f in given):
        problem.status = ProblemStatus.OPEN.value
    refresh_best(problem)
    record(actor, "problem.feedback", problem, **{kind: answer.ref}, verdict=verdict)
    return feedback


def withdraw_feedback(actor, problem: Problem, answer_id: int, kind: str = matching.kinds.PRACTICE) -> bool:
    """Undo a verdict (« Pas pertinent » above all) on one answer proposed for the problem; False when there
    was none. The problem's status and stored decision follow the verdicts that remain."""
    if not can_see(actor, problem):
        raise Forbidden("forbidden")
    solution = kind == matching.kinds.SOLUTION
    feedback = db.session.get(SolutionFeedback if solution else MatchFeedback, (problem.id, answer_id))
    if feedback is None:
        return False
    verdict = feedback.verdict
    answer = feedback.solution if solution else feedback.practice
    (problem.solution_feedback if solution else problem.feedback).remove(feedback)
    db.session.flush()
    good = any(f.verdict in (Verdict.USEFUL, Verdict.ALREADY_DONE) for f in verdicts_of(problem))
    if problem.status == ProblemStatus.SOLVED and not good:
        problem.status = ProblemStatus.OPEN.value
    refresh_best(problem)
    record(actor, "problem.feedback_withdrawn", problem, **{kind: answer.ref if answer else None}, verdict=verdict)
    return True


def judged_not_relevant(problem: Problem, shown: list[matching.Match]) -> list:
    """The practices and solutions judged not relevant for the problem that its page no longer shows (so it can
    be undone), practices first, each by title."""
    keys = {f.practice_id for f in problem.feedback if f.verdict == Verdict.NOT_RELEVANT}
    keys |= {
        matching.kinds.solution_key(f.solution_id)
        for f in problem.solution_feedback
        if f.verdict == Verdict.NOT_RELEVANT
    }
    keys -= {
        matching.kinds.solution_key(m.practice.id) if m.kind == matching.kinds.SOLUTION else m.practice.id
        for m in shown
    }
    if not keys:
        return []
    found = matching.kinds.load(keys)
    return sorted(
        ((matching.kinds.kind_of(k), row) for k, row in found.items()), key=lambda r: (r[0] != "practice", r[1].title)
    )


def set_follow(actor, problem: Problem, follow: bool, notify: bool) -> None:
    if problem.author_id != actor.id:
        raise Forbidden("forbidden")
    problem.followed = follow
    problem.notify = follow and notify
    record(actor, "problem.followed" if follow else "problem.unfollowed", problem)


# --- a new practice answers a followed problem -----------------------------------------------------------


def alert_subscribers() -> int:
    """How many people a new practice may mail at most: authors (with an active account) of the open problems
    they follow with an alert. `notify_followers` mails those among them it answers well."""
    from clubess.auth.models import User

    return (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Problem.author_id)))
            .join(User, User.id == Problem.author_id)
            .where(
                Problem.status == ProblemStatus.OPEN,
                Problem.followed.is_(True),
                Problem.notify.is_(True),
                User.is_enabled.is_(True),
            )
        )
        or 0
    )


def refresh_for_solution(solution_id: int) -> int:
    """A solution was published: the open problems it answers count it at once as their best answer and in their
    « answered » decision (the coordinators' loop, the to-do), and authors who asked are told (`_answer_published`)."""
    from clubess.actors.models import SolutionVector

    return _answer_published(db.session.get(SolutionVector, solution_id), matching.kinds.SOLUTION, solution_id)


def answer_withdrawn(kind: str, answer_id: int) -> None:
    """A practice or an ESS actor's solution left publication (its index rows already gone): the problems whose
    best answer it was are matched again, so none keeps naming an answer members can no longer read, nor counts
    as answered by it."""
    column = Problem.best_solution_id if kind == matching.kinds.SOLUTION else Problem.best_practice_id
    for problem in db.session.scalars(
        sa.select(Problem).where(column == answer_id, Problem.status != ProblemStatus.CLOSED)
    ):
        refresh_best(problem)


def _tell_author(problem: Problem, found: matching.Match, threshold: float) -> bool:
    """Mail the author of a followed problem who opted in about a new answer (a practice or an ESS actor's
    solution) scoring at least `threshold`: once per problem and answer, only to an open account."""
    from clubess.auth.models import User
    from clubess.mailing.services import external_url, queue

    if found.score < threshold or not (problem.followed and problem.notify and problem.author_id):
        return False
    is_solution = found.kind == matching.kinds.SOLUTION
    if is_solution:
        told = NotifiedSolutionMatch(problem_id=problem.id, solution_id=found.practice.id)
    else:
        told = NotifiedMatch(problem_id=problem.id, practice_id=found.practice.id)
    if db.session.get(type(told), (problem.id, found.practice.id)):
        return False
    author = db.session.get(User, problem.author_id)
    if author is None or not author.is_active:
        return False
    db.session.add(told)
    kind = "solution_match" if is_solution else "match"
    queue(
        author.email,
        f"practices/new_{kind}",
        {
            "problem": problem,
            "practice": found.practice,
            "reasons": found.reasons,
            "url": external_url("problems.detail", problem_id=problem.id),
        },
        category="problems.new_match",
        dedupe_key=f"new_{kind}:{problem.id}:{found.practice.id}",
        locale=author.locale,
    )
    return True


def notify_followers(practice: Practice) -> int:
    """A practice was published: the open problems it answers count it (`_answer_published`); returns how many
    authors are mailed."""
    return _answer_published(db.session.get(PracticeVector, practice.id), matching.kinds.PRACTICE, practice.id)


def _answer_published(stored, kind: str, answer_id: int) -> int:
    """The open problems close in meaning to a newly published answer (`stored`: its vector row, written by its
    indexing just before) are matched again; where it is among their answers, their best answer and « answered »
    decision are refreshed, and the authors of followed problems who opted in are mailed when it answers well
    (`_tell_author`). Returns how many were mailed."""
    if not semantic.enabled() or stored is None:
        return 0
    threshold = float(current_app.config.get("MATCH_NOTIFY_SCORE", 0.55))
    answer_vector = semantic.from_bytes(stored.vector)
    # cheap filter first, on the vectors alone: only problems whose meaning is close enough can reach the
    # threshold; one stated under another model (another size) is matched again on its text
    vectors = db.session.execute(
        sa.select(Problem.id, Problem.vector).where(Problem.status == ProblemStatus.OPEN, Problem.vector.is_not(None))
    )
    close = [
        problem_id
        for problem_id, vector in vectors
        if len(vector) != len(stored.vector) or float(semantic.from_bytes(vector) @ answer_vector) >= threshold - 0.25
    ]
    if not close:
        return 0
    sent = 0
    for problem in db.session.scalars(sa.select(Problem).where(Problem.id.in_(close)).order_by(Problem.id)):
        results = matches_for(problem, limit=5)
        found = next((m for m in results if m.kind == kind and m.practice.id == answer_id), None)
        if found is None:
            continue
        refresh_best(problem, results)
        sent += _tell_author(problem, found, threshold)
    return sent
