"""The territory pages on the shipped reference (1,338 territories): groupings spanning two départements,
Paris, the région's 1,266 communes paged, and the same number of queries on the largest page as on a small one."""

import re

import pytest

from clubess.members.territories import load_territories
from tests.pages import get_page

BOUCLE_NORD, GRAND_ORLY, METROPOLE = "200057990", "200058014", "200054781"


@pytest.fixture
def region(db):
    load_territories()
    db.session.commit()


def included(client, code: str) -> set[str]:
    html = get_page(client, f"/territoires/{code}").get_data(as_text=True)
    block = re.search(r'<section id="territoires-inclus".*?</section>', html, re.S).group(0)
    return set(re.findall(r'href="/territoires/(\w+)"', block))


def parents(client, code: str) -> list[str]:
    html = get_page(client, f"/territoires/{code}").get_data(as_text=True)
    block = re.search(r'<nav aria-label="Territoires qui le contiennent".*?</nav>', html, re.S).group(0)
    return re.findall(r'href="/territoires/(\w+)"', block)


def test_a_grouping_spanning_two_departements_is_listed_under_both(client, region):
    assert BOUCLE_NORD in included(client, "92") and BOUCLE_NORD in included(client, "95")
    assert GRAND_ORLY in included(client, "91") and GRAND_ORLY in included(client, "94")
    assert BOUCLE_NORD not in included(client, "93")
    assert set(parents(client, BOUCLE_NORD)) == {"11", "92", "95", METROPOLE}


def test_paris_is_a_commune_and_a_departement_in_the_metropole(client, region):
    assert set(parents(client, "75056")) == {"11", "75", METROPOLE}
    assert "75056" in included(client, "75") and "75056" in included(client, METROPOLE)
    metropole = included(client, METROPOLE)
    assert len({c for c in metropole if c.startswith("2000")} - {METROPOLE}) == 11  # its EPTs


def test_the_region_pages_its_communes_and_lists_its_groupings(client, region, count_queries):
    with count_queries() as first:
        html = get_page(client, "/territoires/11").get_data(as_text=True)
    assert "1\u202f266 communes" in html  # French digit grouping
    communes = re.search(r'<details id="communes".*?</details>', html, re.S).group(0)
    assert len(re.findall(r'<li><a href="/territoires/\d+">', communes)) == 100
    assert 'href="/territoires/11?communes=13#communes"' in communes
    with count_queries() as last:
        html = get_page(client, "/territoires/11?communes=13").get_data(as_text=True)
    assert (
        len(
            re.findall(
                r"<li><a href=\"/territoires/\d+\">",
                re.search(r'<details id="communes".*?</details>', html, re.S).group(0),
            )
        )
        == 66
    )
    assert last.count == first.count
    assert len(included(client, "11")) > 70  # 8 départements, the Métropole, 11 EPTs, 51 EPCIs, and communes
