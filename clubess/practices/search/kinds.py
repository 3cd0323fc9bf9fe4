"""The kinds of document one search index holds: collectivities' practices and ESS actors' solutions.

Inside the engine's caches (the corpus' metadata and vocabulary, the vectors, the scores) a document is one
integer key: a practice by its id, a solution by its id negated. Ranking treats every key alike; only filtering
by kind, loading the rows and labelling the results ask which kind a key is.
"""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from clubess.extensions import db

PRACTICE = "practice"
SOLUTION = "solution"
ALL = (PRACTICE, SOLUTION)


def solution_key(solution_id: int) -> int:
    return -solution_id


def kind_of(key: int) -> str:
    return PRACTICE if key > 0 else SOLUTION


def load(keys) -> dict[int, object]:
    """key -> its Practice or Solution (with its organisation), one query per kind present."""
    from clubess.actors.models import Solution
    from clubess.practices.models import Practice

    keys = list(keys)
    found: dict[int, object] = {}
    practice_ids = [k for k in keys if k > 0]
    solution_ids = [-k for k in keys if k < 0]
    if practice_ids:
        found.update((p.id, p) for p in db.session.scalars(sa.select(Practice).where(Practice.id.in_(practice_ids))))
    if solution_ids:
        found.update(
            (solution_key(s.id), s)
            for s in db.session.scalars(
                sa.select(Solution).where(Solution.id.in_(solution_ids)).options(selectinload(Solution.organisation))
            )
        )
    return found
