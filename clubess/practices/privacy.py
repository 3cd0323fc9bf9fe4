"""A person's practices, revisions, problems and verdicts: what the RGPD export shows, what erasure does.

A practice belongs to its collectivity: it stays, without the erased person as its contact or author, and
with their name and address taken out of its text (and so out of the search index).
"""

import sqlalchemy as sa

from clubess.core.privacy import pattern_of, scrub_value
from clubess.extensions import db
from clubess.practices.models import MatchFeedback, Practice, PracticeRevision, Problem, SolutionFeedback
from clubess.practices.search.index import index_practice

#: the practice's texts a name or an address can be written in
TEXT_FIELDS = ("title", "summary", "description", "contact_role", "partners", "links", "review_comment")


def _iso(value):
    return value.isoformat() if value else None


def export(member_ids: list[int], user_id: int) -> dict:
    practices = db.session.scalars(
        sa.select(Practice)
        .where(sa.or_(Practice.author_id == user_id, Practice.contact_member_id.in_(member_ids or [-1])))
        .order_by(Practice.id)
    ).all()
    revisions = db.session.execute(
        sa.select(PracticeRevision, Practice.ref)
        .join(Practice, Practice.id == PracticeRevision.practice_id)
        .where(PracticeRevision.author_id == user_id)
        .order_by(PracticeRevision.id)
    ).all()
    problems = db.session.scalars(sa.select(Problem).where(Problem.author_id == user_id).order_by(Problem.id)).all()
    feedback = db.session.execute(
        sa.select(MatchFeedback, Practice.ref)
        .join(Practice, Practice.id == MatchFeedback.practice_id)
        .where(MatchFeedback.author_id == user_id)
    ).all()
    from clubess.actors.models import Solution

    solution_feedback = db.session.execute(
        sa.select(SolutionFeedback, Solution.ref)
        .join(Solution, Solution.id == SolutionFeedback.solution_id)
        .where(SolutionFeedback.author_id == user_id)
    ).all()
    return {
        "practices": [
            {
                "ref": p.ref,
                "title": p.title,
                "status": p.status,
                "you_are": [
                    role
                    for role, yes in (
                        ("author", p.author_id == user_id),
                        ("contact", p.contact_member_id in member_ids),
                    )
                    if yes
                ],
                "created_at": _iso(p.created_at),
            }
            for p in practices
        ],
        "practice_revisions": [
            {"practice": ref, "action": r.action, "comment": r.comment, "at": _iso(r.created_at)}
            for r, ref in revisions
        ],
        "problems": [
            {
                "text": p.text,
                "lever": p.lever,
                "themes": p.themes,
                "status": p.status,
                "followed": p.followed,
                "notify": p.notify,
                "created_at": _iso(p.created_at),
            }
            for p in problems
        ],
        "match_feedback": [
            {"problem_id": f.problem_id, "practice": ref, "verdict": f.verdict, "at": _iso(f.created_at)}
            for f, ref in feedback
        ],
        "solution_feedback": [
            {"problem_id": f.problem_id, "solution": ref, "verdict": f.verdict, "at": _iso(f.created_at)}
            for f, ref in solution_feedback
        ],
    }


def forget(member_ids: list[int], user_id: int | None, needles: list[str], label: str) -> dict[str, int]:
    """Erasure: off as contact and author, out of every practice text (reindexed), revisions relabelled,
    problems no longer followed (no mail about them)."""
    counts = {"practices": 0}
    pattern = pattern_of(needles)
    by_author = Practice.author_id == user_id if user_id is not None else sa.false()
    linked = sa.or_(by_author, Practice.contact_member_id.in_(member_ids or [-1]))
    mentions = [sa.cast(getattr(Practice, f), sa.Text).ilike(f"%{n}%") for f in TEXT_FIELDS for n in needles]
    for practice in db.session.scalars(sa.select(Practice).where(sa.or_(linked, *mentions))).all():
        changed = False
        for field in TEXT_FIELDS:
            value = getattr(practice, field)
            new = scrub_value(value, pattern, label) if pattern else value
            if new != value:
                setattr(practice, field, new)
                changed = True
        if practice.contact_member_id in member_ids:
            practice.contact_member_id = None
        if practice.author_id == user_id and user_id is not None:
            practice.author_id = None
        if changed:
            index_practice(practice)
            counts["practices"] += 1
    if user_id is not None:
        db.session.execute(
            sa.update(PracticeRevision)
            .where(PracticeRevision.author_id == user_id)
            .values(author_label=label)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.update(Problem)
            .where(Problem.author_id == user_id)
            .values(followed=False, notify=False)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    return counts
