"""GET /api/v1/territories/<code>: a territory's public page as data."""

import pytest

from clubess.territories.models import IndicatorValue


@pytest.fixture
def figures(db, territories):
    montreuil, ept = territories["93048"], territories["200057875"]
    db.session.add_all(
        [
            IndicatorValue(territory=montreuil, indicator="emplois_ess", year=2021, value=100, source="Observatoire A"),
            IndicatorValue(territory=montreuil, indicator="emplois_ess", year=2022, value=120, source="Observatoire B"),
            IndicatorValue(territory=montreuil, indicator="part_ess_emploi_prive", year=2022, value=12.5, demo=True),
            IndicatorValue(territory=ept, indicator="emplois_ess", year=2023, value=999, source="Ailleurs"),
        ]
    )
    db.session.commit()


def test_a_commune_with_its_parents_counts_and_latest_figures(client, territory_data, figures):
    data = client.get("/api/v1/territories/93048").get_json()
    assert {k: data[k] for k in ("code", "kind", "name", "population", "department_codes")} == {
        "code": "93048",
        "kind": "commune",
        "name": "Montreuil",
        "population": 111934,
        "department_codes": ["93"],
    }
    assert data["url"].endswith("/territoires/93048")
    assert [p["code"] for p in data["parents"]] == ["11", "93", "200054781", "200057875"]
    assert data["parents"][1]["url"].endswith("/territoires/93")
    assert (data["children"], data["members"], data["practices"]) == ({}, 1, 1)
    assert [
        (i["indicator"], i["year"], i["value"], i["unit"], i["source"], i["fictitious"]) for i in data["indicators"]
    ] == [
        ("emplois_ess", 2022, 120, "count", "Observatoire B", False),
        ("part_ess_emploi_prive", 2022, 12.5, "percent", "", True),
    ]
    assert data["indicators"][1]["fictitious_notice"] == "Exemple fictif (données de démonstration)"
    assert data["indicators"][0]["label"] == "Emplois salariés de l'ESS"


def test_groupings_count_what_they_hold_and_nothing_private_shows(client, territory_data):
    region = client.get("/api/v1/territories/11").get_json()
    assert region["children"] == {"departement": 2, "metropole": 1, "ept": 1, "epci": 0, "commune": 3}
    assert (region["members"], region["practices"], region["department_codes"], region["parents"]) == (3, 2, [], [])
    department = client.get("/api/v1/territories/93").get_json()
    assert department["children"] == {"ept": 1, "epci": 0, "commune": 2}
    assert (department["members"], department["department_codes"]) == (2, ["93"])
    ept = client.get("/api/v1/territories/200057875").get_json()
    assert (ept["children"], ept["members"], ept["department_codes"]) == ({"commune": 1}, 1, ["93"])
    text = client.get("/api/v1/territories/93").get_data(as_text=True)
    for private in ("Hélène", "Karim", "Brouillon", "confidentiel", "montreuil.fr"):
        assert private not in text


@pytest.mark.parametrize("code", ["99999", "abc", "9" * 30, "%C3%A9", "11-"])
def test_an_unknown_code_is_a_json_404_that_says_so(client, territories, code):
    response = client.get(f"/api/v1/territories/{code}")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"]


def test_the_document_describes_the_route(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "404" in paths["/territories/{code}"]["get"]["responses"]


def test_a_grouping_without_its_own_figure_gets_the_sum_of_its_communes_as_its_page_shows_it(
    client, db, territory_data, territories
):
    for code, value in (("93048", 300), ("93070", 200)):
        db.session.add(IndicatorValue(territory=territories[code], indicator="emplois_ess", year=2023, value=value))
    db.session.commit()
    department = client.get("/api/v1/territories/93").get_json()
    assert [(i["indicator"], i["year"], i["value"], i["origin"]) for i in department["indicators"]] == [
        ("emplois_ess", 2023, 500, "summed")
    ]
    montreuil = client.get("/api/v1/territories/93048").get_json()
    assert [(i["value"], i["origin"]) for i in montreuil["indicators"]] == [(300, "imported")]
