"""`flask actors reindex` rebuilds the solutions' index rows and vectors by batches: what publishing wrote."""

import sqlalchemy as sa

from clubess.actors.models import SolutionTerm, SolutionVector
from clubess.practices.search import rebuild
from clubess.practices.search.index import bump_version


def test_reindex_writes_the_published_solutions_rows_again(app, db, actors, monkeypatch):
    terms = sa.select(SolutionTerm.solution_id, SolutionTerm.term, SolutionTerm.weight)
    before = sorted(db.session.execute(terms))
    vectors = sorted(db.session.scalars(sa.select(SolutionVector.solution_id)))
    assert before and len(vectors) == 1  # the one published solution of a listed organisation
    db.session.execute(sa.delete(SolutionTerm))
    db.session.execute(sa.delete(SolutionVector))
    bump_version()
    db.session.commit()
    monkeypatch.setattr(rebuild, "BATCH", 1)  # every solution its own batch
    result = app.test_cli_runner().invoke(args=["actors", "reindex"])
    assert result.exit_code == 0, result.output
    assert sorted(db.session.execute(terms)) == before
    assert sorted(db.session.scalars(sa.select(SolutionVector.solution_id))) == vectors
