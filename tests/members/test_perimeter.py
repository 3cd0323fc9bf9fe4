"""Invitations, the directory and the library target a territory and everything inside it ("l'EPT Est Ensemble
et ses communes", "les membres de la Métropole"), on the hand-counted club of test_by_department:

    perimeter                   members inside
    Boucle Nord de Seine        Boucle Nord de Seine, Argenteuil
    Métropole du Grand Paris    the Métropole, Boucle Nord de Seine, Argenteuil, Hauts-de-Seine, Montreuil, Paris
    Val-d'Oise (95)             Boucle Nord de Seine, Argenteuil, CA de Cergy-Pontoise
"""

import re

import pytest

from tests.members.test_by_department import BNS, EST_ENSEMBLE, METROPOLE, club  # noqa: F401
from tests.pages import get_page

IN_METROPOLE = [
    "Argenteuil",
    "Boucle Nord de Seine",
    "Hauts-de-Seine",
    "Montreuil",
    "Métropole du Grand Paris",
    "Paris",
]


def _cards(html: str) -> list[str]:
    return sorted(re.findall(r'<li class="card">\s*<h2>([^<]+)</h2>', html))


@pytest.mark.parametrize(
    ("perimeter", "expected"),
    [
        (BNS, ["Argenteuil", "Boucle Nord de Seine"]),
        (EST_ENSEMBLE, ["Montreuil"]),
        (METROPOLE, IN_METROPOLE),
        ("95", ["Argenteuil", "Boucle Nord de Seine", "CA de Cergy-Pontoise"]),
    ],
)
def test_the_directory_lists_the_members_of_a_territory_and_inside_it(client, club, perimeter, expected, count_queries):
    with count_queries() as counter:
        html = get_page(client, f"/annuaire?perimetre={perimeter}").get_data(as_text=True)
    assert _cards(html.replace("&#39;", "'")) == expected
    assert f'<option value="{perimeter}" selected>' in html
    assert counter.count <= 9


@pytest.mark.parametrize("hostile", ["<script>", "' OR 1=1 --", "9" * 40, "93048", "%00"])
def test_an_unknown_perimeter_says_so_and_filters_nothing(client, club, hostile):
    response = client.get("/annuaire", query_string={"perimetre": hostile})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Territoire inconnu : choisissez-le dans la liste." in html
    assert len(_cards(html)) == 7


def test_an_invitation_reaches_the_members_of_a_territory_and_inside_it(client, db, club, coordinator, make_meeting):
    meeting = make_meeting()
    db.session.commit()
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}/inviter"
    page = get_page(client, url).get_data(as_text=True)
    assert "Territoire, avec ce qu’il contient" in page and f'value="{METROPOLE}"' in page
    for perimeter, count in [(METROPOLE, 6), (EST_ENSEMBLE, 1), (BNS, 2)]:
        form = {"use_members": "y", "people": "all", "action": "preview", "territory": perimeter}
        html = client.submit(url, form).get_data(as_text=True)
        assert f'id="recipient-count">{count} destinataire' in html, perimeter
    hostile = client.submit(url, {"use_members": "y", "people": "all", "action": "preview", "territory": "<x>"})
    assert hostile.status_code == 200 and "recipient-count" not in hostile.get_data(as_text=True)


def test_the_library_lists_the_practices_of_a_territory_and_inside_it(client, db, club, coordinator):
    from clubess.practices.services import PracticeData, create_practice, publish

    for code, title in [
        (BNS, "Clauses sociales mutualisées"),
        ("95018", "Recyclerie d'Argenteuil"),
        ("93048", "Foncière"),
    ]:
        practice = create_practice(
            coordinator, PracticeData(title=title, lever="achats_responsables"), collectivity=club[code]
        )
        publish(coordinator, practice)
    db.session.commit()
    client.login(coordinator.email)
    for perimeter, titles in [(BNS, 2), (METROPOLE, 3), (EST_ENSEMBLE, 1), ("95", 2)]:
        html = get_page(client, f"/bonnes-pratiques?perimetre={perimeter}").get_data(as_text=True)
        assert f'<p role="status">{titles} pratique' in html, perimeter
    html = client.get("/bonnes-pratiques?perimetre=%3Cb%3E").get_data(as_text=True)
    assert "Territoire inconnu : choisissez-le dans la liste." in html
