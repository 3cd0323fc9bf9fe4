"""Rebuilding the whole index (`flask practices reindex`, `flask actors reindex`) in time linear in its size.

Documents go by batches of BATCH: one bulk delete per table and batch (no per-row synchronisation of the
session), one bulk insert per table, the sentence embeddings of the whole batch in one call; each batch is
flushed, and the caller commits it (the generators yield how many documents each batch held): committed rows
are held weakly by the session, so it never grows with the corpus. The rows are those index_practice and
index_solution write one document at a time.
"""

from collections.abc import Iterator

import sqlalchemy as sa

from clubess.extensions import db
from clubess.practices.models import (
    Practice,
    PracticePassage,
    PracticeStatus,
    PracticeTerm,
    PracticeTheme,
    PracticeVector,
)
from clubess.practices.search import semantic
from clubess.practices.search.index import bump_version, term_rows, write_vectors

BATCH = 200


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _delete(model, column, ids: list[int]) -> None:
    db.session.execute(sa.delete(model).where(column.in_(ids)).execution_options(synchronize_session=False))


def reindex_practices() -> Iterator[int]:
    """Rewrite every practice's index rows, themes, vector and passages, batch by batch (yields each batch's
    size after flushing it; commit between them to keep transactions small)."""
    ids = list(db.session.scalars(sa.select(Practice.id).order_by(Practice.id)))
    for chunk in _batches(ids):
        practices = list(db.session.scalars(sa.select(Practice).where(Practice.id.in_(chunk)).order_by(Practice.id)))
        for model, column in (
            (PracticeTerm, PracticeTerm.practice_id),
            (PracticeTheme, PracticeTheme.practice_id),
            (PracticeVector, PracticeVector.practice_id),
            (PracticePassage, PracticePassage.practice_id),
        ):
            _delete(model, column, chunk)
        terms = [row for practice in practices for row in term_rows(practice)]
        themes = [{"practice_id": p.id, "theme": t} for p in practices for t in sorted(set(p.themes or []))]
        for model, rows in ((PracticeTerm, terms), (PracticeTheme, themes)):
            if rows:
                db.session.execute(sa.insert(model), rows)
        published = [p for p in practices if p.status == PracticeStatus.PUBLISHED]
        if published and semantic.enabled():
            write_vectors(published)
        bump_version()
        db.session.flush()
        yield len(practices)


def reindex_solutions() -> Iterator[int]:
    """Rewrite every solution's index rows and vector, batch by batch (as reindex_practices)."""
    from clubess.actors.models import Solution, SolutionTerm, SolutionVector
    from clubess.actors.solutions import solution_term_rows, write_solution_vectors

    ids = list(db.session.scalars(sa.select(Solution.id).order_by(Solution.id)))
    for chunk in _batches(ids):
        solutions = list(db.session.scalars(sa.select(Solution).where(Solution.id.in_(chunk)).order_by(Solution.id)))
        _delete(SolutionTerm, SolutionTerm.solution_id, chunk)
        _delete(SolutionVector, SolutionVector.solution_id, chunk)
        published = [s for s in solutions if s.status == PracticeStatus.PUBLISHED]
        terms = [row for solution in published for row in solution_term_rows(solution)]
        if terms:
            db.session.execute(sa.insert(SolutionTerm), terms)
        if published and semantic.enabled():
            write_solution_vectors(published)
        bump_version()
        db.session.flush()
        yield len(solutions)
