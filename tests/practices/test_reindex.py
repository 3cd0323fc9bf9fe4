"""`flask practices reindex` and `flask actors reindex` rebuild the index by batches, in linear time."""

import numpy as np
import sqlalchemy as sa

from clubess.practices.models import PracticePassage, PracticeTerm, PracticeTheme, PracticeVector
from clubess.practices.search import rebuild
from clubess.practices.search.engine import search
from clubess.practices.search.index import bump_version


def rows(db):
    return {
        "terms": sorted(
            db.session.execute(sa.select(PracticeTerm.practice_id, PracticeTerm.term, PracticeTerm.weight))
        ),
        "themes": sorted(db.session.execute(sa.select(PracticeTheme.practice_id, PracticeTheme.theme))),
        "passages": sorted(db.session.execute(sa.select(PracticePassage.practice_id, PracticePassage.position))),
        "vectors": dict(db.session.execute(sa.select(PracticeVector.practice_id, PracticeVector.vector)).all()),
    }


def test_reindex_writes_what_publishing_wrote_and_finds_the_same(app, db, corpus, monkeypatch):
    before = rows(db)
    found = [p.ref for p in search("ressourcerie réemploi").practices]
    for model in (PracticeTerm, PracticeTheme, PracticePassage, PracticeVector):
        db.session.execute(sa.delete(model))
    bump_version()  # as a change of the analysis leaves it: nothing indexed
    db.session.commit()
    assert search("ressourcerie réemploi").total == 0
    monkeypatch.setattr(rebuild, "BATCH", 4)  # 10 practices: three batches, each committed
    result = app.test_cli_runner().invoke(args=["practices", "reindex"])
    assert result.exit_code == 0 and "reindexed: 10" in result.output
    after = rows(db)
    assert after["terms"] == before["terms"] and len(after["terms"]) > 100
    assert after["themes"] == before["themes"] and after["passages"] == before["passages"]
    assert sorted(after["vectors"]) == sorted(before["vectors"]) == sorted(p.id for p in corpus.values())
    for pid, vector in before["vectors"].items():  # embedded by batches: the same up to float noise
        assert np.allclose(np.frombuffer(vector, "<f4"), np.frombuffer(after["vectors"][pid], "<f4"), atol=1e-4)
    assert [p.ref for p in search("ressourcerie réemploi").practices] == found == ["P10", "P01"]


def test_reindex_runs_the_same_statements_per_batch_however_many_practices(app, db, corpus, count_queries, monkeypatch):
    monkeypatch.setitem(app.config, "MATCH_SEMANTIC", False)
    monkeypatch.setattr(rebuild, "BATCH", 5)
    with count_queries() as counter:
        result = app.test_cli_runner().invoke(args=["practices", "reindex"])
    assert result.exit_code == 0, result.output
    deletes = [s for s in counter.statements if s.lstrip().upper().startswith("DELETE")]
    # two batches of five: one bulk delete per table and batch, never one per practice
    assert len(deletes) == 2 * 4
    assert len(counter.statements) <= 2 * 12
