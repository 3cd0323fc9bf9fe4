"""A territory's figures, on a hand-counted set: commune figures summed into the EPT and the département only when
every commune has one, shares recomputed and never summed, own figures first, compared with the départements
and the région, in a constant number of queries."""

import json

import pytest
import sqlalchemy as sa

from clubess.members.models import Territory
from clubess.members.territories import load_territories
from clubess.territories.figures import COMPUTED, IMPORTED, SUMMED, territory_figures
from clubess.territories.models import IndicatorValue
from tests.fixtures_members import TERRITORIES

MORE = [
    {
        "code": "93006",
        "kind": "commune",
        "name": "Bagnolet",
        "department_code": "93",
        "parent_code": "200057875",
        "population": 36000,
    },
    {"code": "91", "kind": "departement", "name": "Essonne", "department_code": "91", "population": 1300000},
    {
        "code": "200058014",
        "kind": "ept",
        "name": "Grand-Orly Seine Bièvre",
        "department_code": "94",
        "parent_code": "200054781",
        "population": 700000,
    },
    {
        "code": "91027",
        "kind": "commune",
        "name": "Athis-Mons",
        "department_code": "91",
        "parent_code": "200058014",
        "population": 35000,
    },
]


@pytest.fixture
def places(db, tmp_path):
    """The members' fixture, plus Bagnolet in Est Ensemble, and Grand-Orly Seine Bièvre over 91 and 94."""
    rows = [dict(t) for t in TERRITORIES] + MORE
    for row in rows:
        if row["code"] == "94038":
            row["parent_code"] = "200058014"
    path = tmp_path / "territories.json"
    path.write_text(json.dumps({"region": "11", "territories": rows}), encoding="utf-8")
    load_territories(path)
    db.session.commit()
    return {t.code: t for t in db.session.scalars(sa.select(Territory))}


#: (code, indicator, year, value): hand-counted below
FIGURES = [
    ("93048", "emplois_ess", 2022, 1000),
    ("93048", "emplois_ess", 2023, 1100),
    ("93048", "emplois_prives", 2023, 10000),
    ("93048", "etablissements_employeurs", 2023, 100),
    ("93006", "emplois_ess", 2022, 300),
    ("93006", "emplois_ess", 2023, 400),
    ("93006", "emplois_prives", 2023, 5000),
    ("93006", "etablissements_employeurs", 2023, 30),
    ("93070", "emplois_ess", 2023, 500),  # no 2022: the département's 2022 sum is partial
    ("93", "etablissements_employeurs", 2023, 999),  # its own: wins over the sum (100 + 30)
    ("11", "part_ess_emploi_prive", 2023, 14.0),
    ("94038", "part_ess_emploi_prive", 2023, 8.0),  # a share: never summed into Grand-Orly Seine Bièvre
]


@pytest.fixture
def figures(db, places):
    for code, key, year, value in FIGURES:
        db.session.add(
            IndicatorValue(territory=places[code], indicator=key, year=year, value=value, source=f"Obs {code}")
        )
    db.session.commit()


def _line(result, key):
    return next((line for line in result.lines if line.indicator.key == key), None)


def test_the_ept_sums_its_communes_and_recomputes_the_share(db, places, figures):
    result = territory_figures(places["200057875"])
    jobs = _line(result, "emplois_ess")
    assert (jobs.latest.year, jobs.latest.value, jobs.latest.origin) == (2023, 1500, SUMMED)  # 1100 + 400
    assert (jobs.previous.year, jobs.previous.value) == (2022, 1300)  # 1000 + 300
    assert round(jobs.change, 2) == 15.38  # 1300 → 1500
    assert jobs.latest.sources == ("Obs 93006", "Obs 93048")
    share = _line(result, "part_ess_emploi_prive")
    assert (share.latest.value, share.latest.origin) == (10.0, COMPUTED)  # 1500 / 15000
    assert _line(result, "etablissements_employeurs").latest.value == 130
    assert result.communes == 2
    # compared with its département and the région, the same year
    assert [t.code for t in result.compared] == ["93", "11"]
    (dept, dept_jobs), (region, region_jobs) = jobs.comparisons
    assert (dept.code, dept_jobs.value, dept_jobs.origin) == ("93", 2000, SUMMED)  # 1100 + 400 + 500
    assert region_jobs is None  # 3 communes of 5 have a figure: no total


def test_the_departement_keeps_its_own_figure_and_says_what_is_partial(db, places, figures):
    result = territory_figures(places["93"])
    assert _line(result, "etablissements_employeurs").latest.value == 999
    assert _line(result, "etablissements_employeurs").latest.origin == IMPORTED
    jobs = _line(result, "emplois_ess")
    assert (jobs.latest.value, jobs.previous) == (2000, None)  # 2022: Saint-Ouen has none
    private = _line(result, "emplois_prives")
    assert private.latest is None
    assert (private.partial.year, private.partial.have, private.partial.of) == (2023, 2, 3)
    assert _line(result, "part_ess_emploi_prive") is None  # no total of private jobs: no share
    assert [t.code for t in result.compared] == ["11"]


def test_the_region_shows_its_imported_share_and_no_partial_total(db, places, figures):
    result = territory_figures(places["11"])
    share = _line(result, "part_ess_emploi_prive")
    assert (share.latest.value, share.latest.origin, share.comparisons) == (14.0, IMPORTED, [])
    jobs = _line(result, "emplois_ess")
    assert jobs.latest is None and (jobs.partial.have, jobs.partial.of) == (3, 5)


def test_an_ept_over_two_departements_is_compared_with_both_and_no_share_is_summed(db, places, figures):
    result = territory_figures(places["200058014"])
    assert [t.code for t in result.compared] == ["91", "94", "11"]
    assert result.lines == []
    assert not result


def test_a_commune_has_its_own_figures_and_its_departement(db, places, figures):
    result = territory_figures(places["93070"])
    jobs = _line(result, "emplois_ess")
    assert (jobs.latest.value, jobs.latest.origin, result.communes) == (500, IMPORTED, 0)
    assert [(t.code, f and f.value) for t, f in jobs.comparisons] == [("93", 2000), ("11", None)]
    assert [t.code for t in result.compared] == ["93", "11"]


def test_demo_figures_are_flagged(db, places):
    db.session.add(
        IndicatorValue(territory=places["93048"], indicator="emplois_ess", year=2023, value=5, source="x", demo=True)
    )
    db.session.commit()
    assert territory_figures(places["93048"]).demo is True
    assert territory_figures(places["200057875"]).demo is False  # Bagnolet has none: no sum shown


def test_the_queries_do_not_grow_with_the_territory(db, places, figures, count_queries):
    for code in ("93048", "200057875", "93", "11"):
        assert places[code].kind  # loaded before counting
        with count_queries() as counter:
            territory_figures(places[code])
        assert counter.count <= 4, (code, counter.statements)


def test_latest_figures_as_plain_data(db, places, figures):
    from clubess.territories.figures import latest_figures

    found = {f["indicator"]: f for f in latest_figures(places["200057875"])}
    assert found["emplois_ess"] == {
        "indicator": "emplois_ess",
        "label": "Emplois salariés de l'ESS",
        "unit": "count",
        "year": 2023,
        "value": 1500,
        "origin": "summed",
        "sources": ["Obs 93006", "Obs 93048"],
        "demo": False,
        "previous": {"year": 2022, "value": 1300},
    }
    assert found["part_ess_emploi_prive"]["origin"] == "computed"
    assert "emplois_prives" in found and len(found) == 4
