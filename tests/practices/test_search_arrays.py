"""The library's search scores every document by whole-array operations: the same scores as the reference sums."""

import pytest
import sqlalchemy as sa

from clubess.practices.models import PracticeTerm
from clubess.practices.search import postings
from clubess.practices.search.corpus import corpus as current_corpus
from clubess.practices.search.engine import Filters, plan_query, prune, rank, score_postings, search

QUERIES = [
    "ressourcerie",
    "réemploi ressourcerie recyclerie",
    "commande publique responsable",  # a thesaurus phrase: counted only where all its words are
    "tiers lieu friche insertion des jeunes coopérative",
    "tresorrerie",  # a typo corrected
]


def reference(db, text: str, filters: Filters) -> dict[int, float]:
    """rank() over postings read row by row, filtered in Python: the engine as it scored before arrays."""
    data = current_corpus()
    plan = plan_query(text)
    prune(plan, len(data.meta), data.df)
    weight_of: dict[str, dict[int, float]] = {}
    for pid, term, weight in db.session.execute(
        sa.select(PracticeTerm.practice_id, PracticeTerm.term, PracticeTerm.weight).where(
            PracticeTerm.term.in_(plan.all_terms())
        )
    ):
        if pid in data.meta and (not filters.lever or data.meta[pid][0] == filters.lever):
            weight_of.setdefault(term, {})[pid] = weight
    return rank(plan, weight_of, data.df, len(data.meta))[0]


@pytest.mark.parametrize("lever", ["", "soutien_structures"])
@pytest.mark.parametrize("text", QUERIES)
def test_array_scores_equal_the_reference_sums_to_the_last_bit(db, corpus, text, lever):
    filters = Filters(lever=lever)
    expected = reference(db, text, filters)
    scored = score_postings(plan_query(text), filters)
    columns = current_corpus().columns
    got = {int(columns.keys[p]): float(scored.scores[p]) for p in scored.hit.nonzero()[0]}
    assert got == expected and (expected or lever)


def test_a_page_shows_the_best_by_score_then_ref_and_counts_every_match(db, corpus):
    expected = reference(db, "réemploi ressourcerie recyclerie insertion", Filters())
    order = sorted(expected, key=lambda pid: (-int(expected[pid] * 1e9), corpus_refs(corpus)[pid]))
    result = search("réemploi ressourcerie recyclerie insertion", per_page=2, page=2)
    assert result.total == len(expected) == 4  # P10, P01, P03, P08
    assert [p.id for p in result.practices] == order[2:4]
    assert [p.ref for p in result.practices] == ["P03", "P08"]  # after P10 and P01
    assert set(result.scores) == {p.id for p in result.practices}  # the page's only


def corpus_refs(corpus) -> dict[int, str]:
    return {p.id: ref for ref, p in corpus.items()}


def test_the_postings_kept_are_arrays_bounded_in_postings(db, corpus, monkeypatch):
    postings._POSTINGS.clear()
    search("réemploi ressourcerie")
    kept = postings.cached_postings()
    assert 0 < kept <= postings.MAX_CACHED_POSTINGS
    monkeypatch.setattr(postings, "MAX_CACHED_POSTINGS", 2)
    search("insertion jeunes")
    search("tiers lieu")
    assert postings.cached_postings() < kept + 10  # old terms dropped as new ones come
