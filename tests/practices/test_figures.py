"""The library's counts (facets, the visitors' overview) and the problems loop's counts, hand-counted.

The corpus (tests/fixtures_practices.py) holds 10 published practices: levers soutien_structures 4,
rd_sociale_cooperation 2, and 1 each of the four others; départements 75 and 93, 5 each; years 2020 to
2024, 2 each; themes « réemploi » 2, « insertion » 1.
"""

import re

from tests.pages import get_page


def _hidden(db, corpus):
    """A draft and an archived practice, which no count may include."""
    from clubess.practices.models import Practice

    db.session.add_all(
        [
            Practice(ref="X1", title="Brouillon", lever="soutien_structures", status="draft", department_code="93"),
            Practice(ref="X2", title="Archivée", lever="soutien_structures", status="archived", year=2020),
        ]
    )
    db.session.commit()


def _facets(page: str) -> dict[str, int]:
    aside = re.search(r'<aside class="facets".*?</aside>', page, re.S).group(0)
    return {label.strip(): int(n) for label, n in re.findall(r">([^<>]+?) \((\d+)\)</a>", aside)}


def test_the_library_facets_count_the_published_practices(client, db, corpus, active_collectivity):
    _hidden(db, corpus)
    client.login("helene@montreuil.fr")
    page = get_page(client, "/bonnes-pratiques").get_data(as_text=True)
    assert "10 pratiques" in page
    facets = _facets(page)
    assert facets["Soutien aux structures de l’ESS"] == 4
    assert facets["Recherche-développement sociale et coopération"] == 2
    assert facets["Achats responsables"] == 1
    assert facets["réemploi"] == 2 and facets["insertion"] == 1
    assert facets["93"] == 5 and facets["75"] == 5
    assert all(facets[str(year)] == 2 for year in range(2020, 2025))
    assert facets["Commune"] == 10

    page = get_page(client, "/bonnes-pratiques?levier=soutien_structures").get_data(as_text=True)
    assert "4 pratiques" in page
    facets = _facets(page)
    assert facets["réemploi"] == 2 and facets["93"] == 2 and facets["75"] == 2


def test_visitors_see_the_number_of_practices_per_lever(client, db, corpus):
    _hidden(db, corpus)
    page = get_page(client, "/bonnes-pratiques").get_data(as_text=True)
    facets = re.search(r"<h3>Levier</h3>(.*?)</ul>", page, re.S).group(1)
    counts = {label: int(n) for label, n in re.findall(r'levier=[^"]*">([^<]+) \((\d+)\)</a>', facets)}
    assert counts["Soutien aux structures de l’ESS"] == 4
    assert counts["Recherche-développement sociale et coopération"] == 2
    assert sum(counts.values()) == 10


def test_the_loop_counts_verdicts_and_unanswered_problems(client, db, corpus, active_collectivity, coordinator):
    from clubess.practices.models import MatchFeedback, Problem

    # the decisions matching stored (problems.decide): useful verdicts; every answer judged not relevant; no answer
    answered = Problem(text="Réemploi", lever="soutien_structures", themes=["réemploi"], is_answered=True)
    rejected = Problem(text="Insertion", lever="soutien_structures", themes=["réemploi", "insertion"])
    weak = Problem(text="Foncier", lever="foncier_tiers_lieux", themes=["foncier"], is_answered=False)
    db.session.add_all([answered, rejected, weak])
    db.session.flush()
    verdicts = [(answered, "P01", "useful"), (answered, "P03", "useful"), (answered, "P10", "already_done")]
    verdicts += [(rejected, "P01", "not_relevant"), (rejected, "P08", "not_relevant")]
    for problem, ref, verdict in verdicts:
        db.session.add(MatchFeedback(problem_id=problem.id, practice_id=corpus[ref].id, verdict=verdict))
    db.session.commit()
    client.login(coordinator.email)
    page = get_page(client, "/coordination/problematiques").get_data(as_text=True)
    assert "utile : 2, pas pertinent : 0, déjà fait : 1" in page
    assert "utile : 0, pas pertinent : 2, déjà fait : 0" in page
    assert "utile : 0, pas pertinent : 0, déjà fait : 0" in page
    assert page.count("(sans réponse)") == 2  # the rejected one and the weak one
    groups = re.findall(r"<tr>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>\s*<td>(\d+)</td>", page)
    assert sorted(groups) == [
        ("Foncier et tiers-lieux", "foncier", "1"),
        ("Soutien aux structures de l’ESS", "insertion", "1"),
        ("Soutien aux structures de l’ESS", "réemploi", "1"),
    ]
