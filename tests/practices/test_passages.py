"""Passages: each sentence of a published practice embedded and stored, used by the matcher; the ESS vocabulary."""

import sqlalchemy as sa

from clubess.practices import matching
from clubess.practices.models import PracticePassage, ThesaurusEntry
from clubess.practices.search import passages
from clubess.practices.search.index import index_practice


def test_split_keeps_meaningful_sentences_once_without_markup():
    found = passages.split(
        "Un tiers-lieu", "Une coopérative gère le lieu. Une coopérative gère le lieu.", "**Contexte.** Oui."
    )
    assert found == ["Une coopérative gère le lieu."]  # the title and « Contexte. Oui. » have too few words


def test_passages_are_stored_on_publish_and_dropped_when_unpublished(db, corpus):
    p01 = corpus["P01"]
    stored = db.session.scalars(sa.select(PracticePassage).where(PracticePassage.practice_id == p01.id)).all()
    assert len(stored) == len(passages.split(p01.title, p01.summary, p01.description)) == 3
    p01.status = "archived"
    index_practice(p01)
    assert not db.session.scalars(sa.select(PracticePassage).where(PracticePassage.practice_id == p01.id)).all()


def test_the_best_passage_lifts_the_practice_it_comes_from(app, db, corpus):
    # a sentence of P08's description, deep in a fiche about a travelling grocery
    text = "une association gère le camion avec des bénévoles et des salariés en insertion"

    def score_of(ref):
        return next(m.score for m in matching.match(text, limit=10) if m.practice.ref == ref)

    with_passages = score_of("P08")
    app.config["MATCH_PASSAGE_WEIGHT"] = 0.0
    try:
        matching._VECTORS.clear()
        without = score_of("P08")
    finally:
        app.config.pop("MATCH_PASSAGE_WEIGHT")
    assert with_passages > without


def test_the_ess_vocabulary_is_loaded_once_and_links_everyday_words(db, corpus):
    from clubess.practices.services import load_default_thesaurus

    groups = db.session.scalars(sa.select(ThesaurusEntry.expressions)).all()
    assert any(g.startswith("boulot,") for g in groups) and any(g.startswith("pépinière,") for g in groups)
    assert load_default_thesaurus() == 0  # nothing twice


def test_passages_are_read_as_statements_and_rows_embedded_otherwise_are_not_used(db, corpus):
    """A practice's sentences are embedded the way a problem is (e5's « query: », its symmetric mode), stored
    under their own name; rows written before (the model's bare name, « passage: ») are never mixed in."""
    import numpy as np

    from clubess.practices.search import semantic

    p01 = corpus["P01"]
    stored = db.session.scalars(
        sa.select(PracticePassage).where(PracticePassage.practice_id == p01.id).order_by(PracticePassage.position)
    ).all()
    first = passages.split(p01.title, p01.summary, p01.description)[0]
    assert {row.model for row in stored} == {semantic.model_name() + "/sentence"}
    vector = semantic.from_bytes(stored[0].vector)
    assert np.allclose(vector, semantic.embed([first], query=True)[0], atol=1e-5)
    assert not np.allclose(vector, semantic.embed([first])[0], atol=1e-3)
    owners_before, matrix_before = passages.load([p01.id])
    db.session.add(
        PracticePassage(practice_id=p01.id, model=semantic.model_name(), position=99, vector=stored[0].vector)
    )
    db.session.commit()
    owners, matrix = passages.load([p01.id])
    assert len(owners) == len(owners_before) == len(stored) and np.array_equal(matrix, matrix_before)
