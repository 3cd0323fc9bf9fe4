"""The territory pages as visitors, members and coordinators read them: hand-counted roll-ups, nothing private
leaking, bad codes answered with the 404 page, a bounded number of queries."""

import re

import pytest
import sqlalchemy as sa

from tests.pages import get_page

#: what no visitor may read, on any page
PRIVATE = [
    "Hélène",
    "Durand",
    "Sofia",
    "Léo Petit",
    "Karim",
    "Benali",
    "Gaston",
    "helene@montreuil.fr",
    "Brouillon secret",
    "Séance réservée",
    "Brouillon de rencontre",
    "Texte confidentiel",
    "Un problème de",
]


def html_of(client, url: str, **kwargs) -> str:
    return get_page(client, url, **kwargs).get_data(as_text=True)


def section(html: str, key: str) -> str:
    """The HTML of one section of a page ("" when the page leaves it out)."""
    found = re.search(rf'<section id="{key}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def stats(html: str, key: str) -> list[str]:
    """The figures of a section's stats, in order, as text."""
    return re.findall(r'<span class="stat__value">([^<]*)</span>', section(html, key))


def lever_counts(html: str, key: str) -> dict[str, int]:
    rows = re.findall(r'<th scope="row">([^<]*)</th><td class="num">(\d+)</td>', section(html, key))
    return {label: int(n) for label, n in rows}


@pytest.mark.parametrize("url", ["/territoires/93048", "/territoires/93", "/territoires/200057875", "/territoires/11"])
def test_a_visitor_reads_counts_and_nothing_private(client, territory_data, url):
    html = html_of(client, url)
    for private in PRIVATE:
        assert private not in html, (url, private)
    assert re.search(r'href="/bonnes-pratiques/\d+">Ressourcerie municipale', html)  # a public portrait
    assert 'id="participation-table"' not in html
    assert 'id="contributions"' not in html


def test_visitor_counts_roll_up_from_the_territories_inside(client, territory_data):
    montreuil = html_of(client, "/territoires/93048")
    assert stats(montreuil, "membres") == ["1", "1", "1"]  # collectivities, élus (not the former one), agents
    assert stats(montreuil, "participation") == ["1", "1", "2"]  # came, meetings, people
    department = html_of(client, "/territoires/93")
    assert stats(department, "membres") == ["2", "2", "2"]
    assert stats(department, "participation") == ["2", "1", "3"]
    assert lever_counts(department, "problematiques")["Achats responsables"] == 1
    assert lever_counts(department, "problematiques")["Levier non précisé"] == 1
    assert "2 problématiques" in section(department, "problematiques")
    assert lever_counts(department, "pratiques")["Soutien aux structures de l’ESS"] == 1
    region = html_of(client, "/territoires/11")
    assert stats(region, "membres") == ["3", "3", "2"]
    assert stats(region, "participation") == ["2", "1", "3"]  # the meeting 400 days ago is out of the window
    assert "sur 3 membres" in section(region, "participation")
    assert sum(lever_counts(region, "problematiques").values()) == 3
    assert "2 pratiques publiées" in section(region, "pratiques")
    val_de_marne = html_of(client, "/territoires/94")
    assert stats(val_de_marne, "membres") == ["1", "1", "0"]
    assert "Clauses sociales à L&#39;Haÿ" in val_de_marne and "Ressourcerie municipale" not in val_de_marne


def test_meetings_are_those_held_there_or_about_a_territory_inside(client, territory_data, login_as):
    commune = section(html_of(client, "/territoires/93048"), "rencontres")
    assert "Forum public de Montreuil" in commune and "Rencontre passée de Montreuil" in commune
    assert "Atelier départemental" not in commune  # placed in the département: not about this commune
    department = section(html_of(client, "/territoires/93"), "rencontres")
    assert "Forum public de Montreuil" in department and "Atelier départemental" in department
    assert "Rencontre du Val-de-Marne" not in department
    other = section(html_of(client, "/territoires/94"), "rencontres")
    assert "Rencontre du Val-de-Marne" in other and "Atelier départemental" not in other
    assert "Et 1 rencontre réservée aux membres du club" in other  # held 400 days ago, for members: counted
    assert "Et 1 rencontre réservée" in section(html_of(client, "/territoires/93"), "rencontres")  # the EPT's
    assert "réservée" not in commune
    login_as("helene@montreuil.fr")
    ept = section(html_of(client, "/territoires/200057875"), "rencontres")
    assert "Séance réservée Est Ensemble" in ept and "Forum public de Montreuil" in ept
    assert "Brouillon de rencontre" not in ept
    assert "Séance réservée" not in section(html_of(client, "/territoires/93048"), "rencontres")  # the EPT's


@pytest.fixture
def login_as(client):
    def login(email: str):
        client.login(email)

    return login


def test_a_member_reads_the_people_who_agreed_and_no_one_else(client, territory_data, login_as):
    login_as("helene@montreuil.fr")
    html = html_of(client, "/territoires/93")
    members = section(html, "membres")
    assert "Hélène Durand" in members and "Sofia Martin" in members and "Léo Petit" in members
    assert "helene@montreuil.fr" in members  # she shows her address
    assert "Karim" not in html and "Benali" not in html  # not in the directory
    assert "Gaston" not in html  # mandate ended
    for private in ("Brouillon secret", "Brouillon de rencontre", "Texte confidentiel", "Un problème de"):
        assert private not in html
    practice = territory_data and re.search(r'href="/bonnes-pratiques/(\d+)">Ressourcerie municipale', html)
    assert practice, "members open the practices"
    assert 'href="/annuaire?perimetre=93"' in members
    assert 'id="participation-table"' not in html


def test_a_coordinator_reads_the_problems_and_each_collectivity_s_participation(client, territory_data, coordinator):
    client.login(coordinator.email)
    html = html_of(client, "/territoires/93")
    problems = section(html, "problematiques")
    assert "Texte confidentiel : nos marchés excluent les SIAE" in problems
    assert "Un problème de Saint-Ouen sans levier" in problems and "Un problème de L&#39;Haÿ" not in problems
    table = section(html, "participation")
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td class="num">(\d+)</td><td class="num">(\d+)</td>', table)
    assert sorted(rows) == [("Montreuil", "1", "2"), ("Saint-Ouen-sur-Seine", "1", "1")]
    assert "Karim" not in html  # the directory's consent holds for coordinators too


def test_an_account_of_no_member_collectivity_reads_the_public_version(client, territory_data, make_user):
    make_user(email="curieux@example.org")
    client.login("curieux@example.org")
    html = html_of(client, "/territoires/93")
    for private in PRIVATE:
        assert private not in html, private


def test_a_page_shows_its_kind_population_parents_and_children(client, territory_data):
    html = html_of(client, "/territoires/93048")
    assert "<h1>Montreuil</h1>" in html
    assert "Commune" in html and "111 934 habitants" in html.replace("\u202f", " ").replace("\xa0", " ")
    parents = re.search(r'<nav aria-label="Territoires qui le contiennent".*?</nav>', html, re.S).group(0)
    for code in ("11", "93", "200054781", "200057875"):
        assert f'href="/territoires/{code}"' in parents
    ept = html_of(client, "/territoires/200057875")
    assert 'href="/territoires/93048"' in section(ept, "territoires-inclus")
    region = html_of(client, "/territoires/11")
    included = section(region, "territoires-inclus")
    for code in ("93", "94", "200054781", "200057875"):
        assert f'href="/territoires/{code}"' in included
    assert "3 communes" in included


def test_the_index_searches_and_lists_the_hierarchy_with_member_counts(client, territory_data):
    html = html_of(client, "/territoires")
    hierarchy = section(html, "hierarchie")
    assert re.search(r'href="/territoires/93">Seine-Saint-Denis</a> <span class="muted">— 2 collectivités', hierarchy)
    assert re.search(r'href="/territoires/200057875">Est Ensemble</a> <span class="muted">— 1 collectivité', hierarchy)
    found = section(html_of(client, "/territoires?q=st+ouen"), "resultats")
    assert 'href="/territoires/93070"' in found
    assert "Aucun territoire" in html_of(client, "/territoires?q=zzzz")
    assert 'aria-current="page">Territoires</a>' in html  # in the main navigation


@pytest.mark.parametrize(
    "path",
    [
        "/territoires/99999",
        "/territoires/abc",
        "/territoires/" + "9" * 13,
        "/territoires/" + "1" * 5000,
        "/territoires/93%2F..",
        "/territoires/%C3%A9",
        "/territoires/9 3",
        "/territoires/-1",
    ],
)
def test_an_unknown_or_malformed_code_gets_the_404_page(client, territories, path):
    response = client.get(path)
    assert response.status_code in (404, 414), path
    if response.status_code == 404:
        assert response.mimetype == "text/html"


@pytest.mark.parametrize("query", ["\x00", "é" * 5000, "%", "' OR 1=1 --", "\u202e"])
def test_a_hostile_search_never_fails(client, territories, query):
    response = client.get("/territoires", query_string={"q": query, "membres": "x" * 50, "communes": "-5"})
    assert response.status_code in (200, 400)


def test_hostile_page_numbers_fall_back_to_the_first_page(client, territory_data):
    for value in ("0", "-1", "abc", "9" * 40, "1e9", "２"):
        html = html_of(client, f"/territoires/93?membres={value}&communes={value}")
        assert "Montreuil" in section(html, "membres")


def _more_of_everything(db, territories, people, make_meeting):
    """More collectivities, people, practices, meetings, problems and presences on the same territories."""
    from datetime import date

    from clubess.members.models import Collectivity, Member
    from clubess.practices.models import Practice, Problem
    from tests.meetings.test_attendance import register
    from tests.territories.conftest import days_from_today

    extra = [
        Collectivity(territory=territories[code], status="active", joined_on=date(2026, 1, 1))
        for code in ("93", "200057875")
    ]
    db.session.add_all(extra)
    for i in range(6):
        collectivity = extra[i % 2]
        db.session.add(Member(collectivity=collectivity, kind="elu", first_name=f"P{i}", last_name="X", email=f"{i}@x"))
        db.session.add(
            Practice(
                ref=f"X{i}",
                title=f"Pratique {i}",
                lever="foncier_tiers_lieux",
                status="published",
                territory_id=territories["93070"].id,
            )
        )
        db.session.add(Problem(text=f"Problème {i}", lever="soutien_structures", collectivity=collectivity))
    db.session.commit()
    for i in range(4):
        meeting = make_meeting(
            day=days_from_today(-10 - i),
            status="held",
            title=f"Tenue {i}",
            territory_id=territories["93070"].id,
            audience="public",
        )
        register(db, meeting, people["sofia"], attendance="present")
        register(db, meeting, people["leo"], attendance="present")


@pytest.mark.parametrize("who", [None, "member", "coordinator"])
def test_a_page_runs_the_same_number_of_queries_whatever_the_data(
    client, db, territory_data, territories, people, make_meeting, coordinator, count_queries, who
):
    if who == "member":
        client.login("helene@montreuil.fr")
    elif who == "coordinator":
        client.login(coordinator.email)
    with count_queries() as before:
        html_of(client, "/territoires/93")
    _more_of_everything(db, territories, people, make_meeting)
    with count_queries() as after:
        html = html_of(client, "/territoires/93")
    assert "Pratique 5" in html  # the new data is there
    assert after.count == before.count, (before.statements, after.statements)
    assert after.count <= 31  # 30 and the data version (core.versions)
    with count_queries() as warm:  # nothing changed: the sections come from the cache
        assert html_of(client, "/territoires/93") == html
    assert warm.count <= 10
    with count_queries() as index:
        html_of(client, "/territoires")
    assert index.count <= 12


def test_the_directory_and_the_member_area_lead_to_the_territory_pages(client, territory_data):
    assert 'href="/territoires/93048">Montreuil</a>' in html_of(client, "/annuaire")
    client.login("helene@montreuil.fr")
    assert 'href="/territoires/93048"' in html_of(client, "/espace/collectivite")


def test_sections_served_again_from_the_cache_follow_the_viewer_the_language_and_the_data(
    app, client, db, territory_data, coordinator
):
    """The sections are kept per data version (core.fragments): a page rendered for a coordinator is never served
    to a member or a visitor, nor a French one to an English reader, and a change shows at once."""
    from clubess.core import versions
    from clubess.practices.models import Practice

    member, visitor = app.test_client(), app.test_client()
    client.login(coordinator.email)
    member.login("helene@montreuil.fr")
    token = db.session.scalar(sa.select(versions.DataVersion.token))
    for _round in range(2):  # the first renders, the second is served from the cache
        assert "Texte confidentiel" in section(html_of(client, "/territoires/93"), "problematiques")
        html = html_of(member, "/territoires/93")
        assert "Hélène Durand" in section(html, "membres") and "Texte confidentiel" not in html
        html = html_of(visitor, "/territoires/93")
        for private in PRIVATE:
            assert private not in html, private
        assert "Texte confidentiel" not in html
        english = html_of(visitor, "/territoires/93", headers={"Accept-Language": "en"})
        assert "Member local authorities" in section(english, "membres") and "Collectivités" not in english
    db.session.expire_all()
    assert db.session.scalar(sa.select(versions.DataVersion.token)) == token  # one data version throughout

    practice = db.session.scalar(sa.select(Practice).where(Practice.title == "Ressourcerie municipale"))
    practice.title = "Ressourcerie renommée"
    db.session.commit()
    assert db.session.scalar(sa.select(versions.DataVersion.token)) != token
    assert "Ressourcerie renommée" in html_of(visitor, "/territoires/93")
