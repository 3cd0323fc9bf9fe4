"""The search engine finds what people mean: accents, case, elisions, plurals, synonyms, typos."""

import pytest

from clubess.practices.search.engine import Filters, search


def top(query: str, **filters) -> str | None:
    result = search(query, Filters(**filters))
    return result.practices[0].ref if result.practices else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ressourcerie", "P01"),
        ("RESSOURCERIE", "P01"),
        ("épicerie itinérante", "P08"),
        ("epicerie itinerante", "P08"),  # no accents
        ("l'épicerie", "P08"),  # elision
        ("d'insertion", "P03"),
        ("chantiers", "P03"),
        ("chantier", "P03"),  # singular and plural
        ("tiers-lieux", "P04"),
        ("tiers lieu", "P04"),
        ("SPASER", "P02"),
        ("achats responsables", "P02"),
        ("commande publique responsable", "P02"),  # thesaurus: SPASER ~ achats responsables
        ("SIAE", "P03"),  # thesaurus: SIAE ~ insertion par l'activité économique
        ("CAE", "P05"),  # thesaurus: coopérative d'activité et d'emploi
        ("ressourcerie", "P01"),
        ("resourcerie", "P01"),  # typo on a rare word
        ("tresorrerie", "P06"),  # typo
        ("cooperative activite emploi jeunesse", "P05"),
    ],
)
def test_queries_find_the_intended_practice_first(corpus, query, expected):
    assert top(query) == expected


def test_a_synonym_finds_practices_that_use_the_other_word(corpus):
    refs = [p.ref for p in search("recyclerie").practices]
    assert refs[:1] == ["P10"] and "P01" in refs  # ressourcerie ~ recyclerie


def test_title_weighs_more_than_description(corpus):
    # "insertion" is in P03's summary and themes, in P08's description only
    refs = [p.ref for p in search("insertion").practices]
    assert refs.index("P03") < refs.index("P08")


def test_drafts_and_archived_practices_never_appear(corpus, db):
    from clubess.practices.search.index import index_practice

    corpus["P01"].status = "archived"
    index_practice(corpus["P01"])
    corpus["P10"].status = "draft"
    index_practice(corpus["P10"])
    db.session.commit()
    refs = [p.ref for p in search("réemploi ressourcerie recyclerie").practices]
    assert "P01" not in refs and "P10" not in refs
    assert all(p.ref not in ("P01", "P10") for p in search("").practices)


def test_facets_count_the_matching_practices(corpus):
    result = search("réemploi")
    assert dict(result.facets["lever"]) == {"soutien_structures": 2}
    assert dict(result.facets["theme"])["réemploi"] == 2
    filtered = search("", Filters(lever="soutien_structures"))
    assert filtered.total == 4 and dict(filtered.facets["lever"]) == {"soutien_structures": 4}
    assert search("", Filters(theme="réemploi")).total == 2


def test_same_top_ten_on_every_database(corpus):
    # The suite runs on SQLite and on PostgreSQL: this fixed list must hold on both.
    refs = [p.ref for p in search("insertion coopérative emploi jeunes structures").practices][:10]
    assert refs == ["P05", "P03", "P04", "P07", "P08", "P09", "P06"]


def test_sort_by_date_and_pagination(corpus):
    result = search("", sort="date", per_page=3, page=2)
    assert result.total == 10 and result.pages == 4
    assert [p.ref for p in result.practices] == ["P07", "P06", "P05"]


def test_a_practice_published_is_found_at_once(corpus, client, coordinator, db):
    from clubess.practices.models import Practice

    draft = Practice(
        ref="P99",
        title="Monnaie locale complémentaire",
        lever="ecosysteme_financement",
        summary="Une monnaie locale soutient le commerce de proximité.",
        status="submitted",
    )
    db.session.add(draft)
    db.session.commit()
    assert top("monnaie locale") is None
    client.login(coordinator.email)
    client.confirm(f"/coordination/pratiques/{draft.id}", {"action": "publish"})
    db.session.expire_all()
    assert top("monnaie locale") == "P99"


def test_postings_kept_in_memory_give_the_same_results_however_small_the_bound(corpus, monkeypatch):
    from clubess.practices.search import postings

    queries = ["ressourcerie", "tiers-lieux", "insertion", "SPASER", "réemploi ressourcerie recyclerie"]
    postings._POSTINGS.clear()
    first = [[p.ref for p in search(q).practices] for q in queries]  # each term read from the database
    again = [[p.ref for p in search(q).practices] for q in queries]  # from memory
    monkeypatch.setattr(postings, "MAX_CACHED_POSTINGS", 3)  # every query drops the terms of the others
    postings._POSTINGS.clear()
    bounded = [[p.ref for p in search(q).practices] for q in queries]
    assert first == again == bounded
    assert first[0][:1] == ["P01"] and first[2][:1] == ["P03"]
    from clubess.practices.search.engine import plan_query

    kept = set(next(iter(postings._POSTINGS.values())).terms)
    assert kept and kept <= plan_query(queries[-1]).all_terms()  # only the last query's terms are left
