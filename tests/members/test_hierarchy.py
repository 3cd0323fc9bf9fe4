"""The hierarchy on the shipped reference: which territories contain which, which communes each covers."""

import pytest
import sqlalchemy as sa

from clubess.members.hierarchy import compute_links, containing, covered_communes, in_department, inside
from clubess.members.models import Territory, TerritoryLink
from clubess.members.territories import load_territories

METROPOLE, EST_ENSEMBLE, BOUCLE_NORD, GRAND_ORLY, CERGY_PONTOISE = (
    "200054781",
    "200057875",
    "200057990",
    "200058014",
    "249500109",
)


@pytest.fixture
def region(db):
    load_territories()
    db.session.commit()
    return {(t.kind, t.code): t for t in db.session.scalars(sa.select(Territory))}


def codes(territories):
    return [(t.kind, t.code) for t in territories]


def under(region, kind, code):
    """(kind, code) of every territory found inside the given one, itself included."""
    ids = set(db_ids(inside(region[(kind, code)].id)))
    return {key for key, t in region.items() if t.id in ids}


def db_ids(stmt):
    from clubess.extensions import db

    return db.session.scalars(stmt).all()


def test_paris_is_a_commune_and_a_departement_in_the_metropole(region):
    paris = region[("commune", "75056")]
    assert codes(containing(paris)) == [("region", "11"), ("departement", "75"), ("metropole", METROPOLE)]
    assert codes(containing(region[("departement", "75")])) == [
        ("region", "11"),
        ("metropole", METROPOLE),
        ("commune", "75056"),
    ]
    # for filters the one is the other
    assert under(region, "departement", "75") == under(region, "commune", "75056")
    assert under(region, "commune", "75056") == {("departement", "75"), ("commune", "75056")}
    assert codes(covered_communes(region[("departement", "75")])) == [("commune", "75056")]


def test_a_commune_of_an_ept_lies_in_its_ept_the_metropole_its_departement_and_the_region(region):
    montreuil = region[("commune", "93048")]
    assert codes(containing(montreuil)) == [
        ("region", "11"),
        ("departement", "93"),
        ("metropole", METROPOLE),
        ("ept", EST_ENSEMBLE),
    ]
    est_ensemble = region[("ept", EST_ENSEMBLE)]
    assert codes(containing(est_ensemble)) == [("region", "11"), ("departement", "93"), ("metropole", METROPOLE)]
    assert [t.name for t in covered_communes(est_ensemble)] == [
        "Bagnolet",
        "Bobigny",
        "Bondy",
        "Le Pré-Saint-Gervais",
        "Les Lilas",
        "Montreuil",
        "Noisy-le-Sec",
        "Pantin",
        "Romainville",
    ]


@pytest.mark.parametrize(
    ("ept", "departments", "communes"),
    [
        (BOUCLE_NORD, ["92", "95"], {"95018": "95", "92004": "92", "92036": "92"}),
        (GRAND_ORLY, ["91", "94"], {"91479": "91", "91027": "91", "94081": "94", "94041": "94"}),
    ],
)
def test_an_ept_spanning_two_departements_is_found_under_both(region, ept, departments, communes):
    territory = region[("ept", ept)]
    assert codes(containing(territory)) == [("region", "11")] + [("departement", d) for d in departments] + [
        ("metropole", METROPOLE)
    ]
    for department in departments:
        found = set(db_ids(in_department(department)))
        assert territory.id in found
        # the département covers its own communes of the EPT, not the others
        for commune, its_department in communes.items():
            assert (region[("commune", commune)].id in found) == (its_department == department)
        assert all(t.department_code == department for t in covered_communes(region[("departement", department)]))
    covered = {t.code for t in covered_communes(territory)}
    assert set(communes) <= covered
    for commune in communes:
        assert ("ept", ept) in codes(containing(region[("commune", commune)]))
        assert ("metropole", METROPOLE) in codes(containing(region[("commune", commune)]))


def test_the_metropole_covers_paris_and_the_communes_of_its_epts_only(region):
    metropole = region[("metropole", METROPOLE)]
    assert codes(containing(metropole)) == [("region", "11")]
    covered = {t.code for t in covered_communes(metropole)}
    ept_communes = {
        t.code for t in region.values() if t.kind == "commune" and region.get(("ept", t.parent_code)) is not None
    }
    assert covered == ept_communes | {"75056"}
    assert len(covered) == 130  # the Métropole's 130 member communes in the official dataset
    found = under(region, "metropole", METROPOLE)
    assert {("departement", d) for d in ("75", "92", "93", "94")} <= found  # wholly inside
    assert ("departement", "91") not in found and ("departement", "95") not in found
    assert ("commune", "95127") not in found  # Cergy


def test_an_epci_outside_the_metropole(region):
    cergy = region[("commune", "95127")]
    assert codes(containing(cergy)) == [("region", "11"), ("departement", "95"), ("epci", CERGY_PONTOISE)]
    epci = region[("epci", CERGY_PONTOISE)]
    assert codes(containing(epci)) == [("region", "11"), ("departement", "78"), ("departement", "95")]
    assert "95127" in {t.code for t in covered_communes(epci)}
    assert region[("commune", "95127")].id not in set(db_ids(in_department("78")))


def test_the_region_contains_everything_and_loading_again_changes_nothing(region, db):
    everything = set(db_ids(inside(region[("region", "11")].id)))
    assert everything == {t.id for t in region.values()}
    before = db.session.scalar(sa.select(sa.func.count()).select_from(TerritoryLink))
    assert before == len(compute_links(list(region.values())))
    again = load_territories()
    assert again["created"] == again["updated"] == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TerritoryLink)) == before


def test_the_small_fixture_has_its_links_too(territories, db):
    montreuil = territories["93048"]
    assert codes(containing(montreuil)) == [
        ("region", "11"),
        ("departement", "93"),
        ("metropole", METROPOLE),
        ("ept", EST_ENSEMBLE),
    ]
