"""The matcher's per-worker cache of the published documents' sentence vectors, checked against the index version.

Practices' whole-text vectors and passages, then the solutions' vectors (keyed as kinds.solution_key says), each
row mapped to the document's position in the corpus' columns, so that the matcher adds the meaning to the words'
scores array by array.
"""

import threading
from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa
from flask import current_app

from clubess.extensions import db
from clubess.members.models import Territory
from clubess.practices.models import Practice, PracticeStatus, PracticeVector
from clubess.practices.search import kinds, passages, semantic
from clubess.practices.search.corpus import corpus


@dataclass
class Vectors:
    version: int
    ids: list[int]
    matrix: np.ndarray
    population: dict[int, int]
    #: the practices' passages: row -> index in `ids`, and their vectors
    owners: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    passage_matrix: np.ndarray | None = None
    #: row -> the document's position in the corpus' columns (-1: not searchable)
    positions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def meaning(self, query: np.ndarray) -> np.ndarray:
        """Each practice's meaning score: whole text and best passage combined, on the common scale."""
        whole = self.matrix @ query
        if self.passage_matrix is None or not len(self.owners):
            return semantic.meaning(whole)
        weight = current_app.config.get("MATCH_PASSAGE_WEIGHT", passages.PASSAGE_WEIGHT)
        best = passages.best(self.owners, self.passage_matrix, query, len(self.ids))
        return semantic.meaning(passages.combine(whole, best, weight))


_VECTORS: dict[str, Vectors] = {}
_vectors_lock = threading.Lock()


def vectors(data=None) -> Vectors:
    """The published practices' vectors; `data` is the corpus the caller already read (one version query)."""
    data = data or corpus()
    key = f"{db.engine.url} {semantic.model_name()}"
    cached = _VECTORS.get(key)
    if cached is not None and cached.version == data.version:
        return cached
    rows = db.session.execute(
        sa.select(PracticeVector.practice_id, PracticeVector.vector, Territory.population)
        .join(Practice, Practice.id == PracticeVector.practice_id)
        .outerjoin(Territory, Territory.id == Practice.territory_id)
        .where(Practice.status == PracticeStatus.PUBLISHED, PracticeVector.model == semantic.model_name())
        .order_by(PracticeVector.practice_id)
    ).all()
    matrix = (
        np.vstack([semantic.from_bytes(r[1]) for r in rows])
        if rows
        else np.zeros((0, semantic.dimensions()), dtype=np.float32)
    )
    population = {r[0]: r[2] for r in rows if r[2]}
    practice_ids = [r[0] for r in rows]
    owners, passage_matrix = passages.load(practice_ids)  # the solutions, after the practices, have none
    ids, matrix = _with_solutions(practice_ids, matrix)
    cached = Vectors(data.version, ids, matrix, population, owners, passage_matrix, data.columns.positions(ids))
    with _vectors_lock:
        _VECTORS[key] = cached
    return cached


def _with_solutions(ids: list[int], matrix: np.ndarray) -> tuple[list[int], np.ndarray]:
    """The published solutions' vectors after the practices', keyed as kinds.solution_key says (one query)."""
    from clubess.actors.models import Organisation, OrganisationStatus, Solution, SolutionVector

    rows = db.session.execute(
        sa.select(SolutionVector.solution_id, SolutionVector.vector)
        .join(Solution, Solution.id == SolutionVector.solution_id)
        .join(Organisation, Organisation.id == Solution.organisation_id)
        .where(
            Solution.status == PracticeStatus.PUBLISHED,
            Organisation.status == OrganisationStatus.ACTIVE,
            SolutionVector.model == semantic.model_name(),
        )
        .order_by(SolutionVector.solution_id)
    ).all()
    if not rows:
        return ids, matrix
    extra = np.vstack([semantic.from_bytes(r[1]) for r in rows])
    return ids + [kinds.solution_key(r[0]) for r in rows], np.vstack([matrix, extra]) if len(ids) else extra


def best_indices(values: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` largest values, largest first (np.argsort(-values)[:count] without sorting all)."""
    if len(values) <= count:
        return np.argsort(-values)
    top = np.argpartition(-values, count - 1)[:count]
    return top[np.argsort(-values[top])]
