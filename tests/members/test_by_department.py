"""Filters, counts and invitations by département go through the hierarchy: an EPT spanning 92 and 95 is found
under both, Paris the commune under 75, the Métropole under none. A hand-counted club:

    member                          found under
    Boucle Nord de Seine (EPT)      92, 95
    Département des Hauts-de-Seine  92
    Argenteuil (95, in the EPT)     95
    CA de Cergy-Pontoise (EPCI)     95
    Paris (the commune)             75
    Montreuil (93, Est Ensemble)    93
    Métropole du Grand Paris        none
"""

import json
import re
from datetime import date

import pytest
import sqlalchemy as sa

from clubess.members.models import Collectivity, Member
from clubess.members.territories import load_territories
from tests.pages import get_page

BNS, EST_ENSEMBLE, METROPOLE, CERGY_PONTOISE = "200057990", "200057875", "200054781", "249500109"
TERRITORIES = [
    {"code": "11", "kind": "region", "name": "Île-de-France"},
    *(
        {"code": code, "kind": "departement", "name": name, "department_code": code}
        for code, name in [("75", "Paris"), ("92", "Hauts-de-Seine"), ("93", "Seine-Saint-Denis"), ("95", "Val-d'Oise")]
    ),
    {"code": METROPOLE, "kind": "metropole", "name": "Métropole du Grand Paris"},
    {"code": BNS, "kind": "ept", "name": "Boucle Nord de Seine", "parent_code": METROPOLE},
    {"code": EST_ENSEMBLE, "kind": "ept", "name": "Est Ensemble", "department_code": "93", "parent_code": METROPOLE},
    {"code": CERGY_PONTOISE, "kind": "epci", "name": "CA de Cergy-Pontoise", "department_code": "95"},
    {"code": "75056", "kind": "commune", "name": "Paris", "department_code": "75", "parent_code": METROPOLE},
    {"code": "93048", "kind": "commune", "name": "Montreuil", "department_code": "93", "parent_code": EST_ENSEMBLE},
    {"code": "95018", "kind": "commune", "name": "Argenteuil", "department_code": "95", "parent_code": BNS},
    {"code": "92004", "kind": "commune", "name": "Asnières-sur-Seine", "department_code": "92", "parent_code": BNS},
    {"code": "95127", "kind": "commune", "name": "Cergy", "department_code": "95", "parent_code": CERGY_PONTOISE},
]
MEMBERS = {
    BNS: "Boucle Nord de Seine",
    "92": "Hauts-de-Seine",
    "95018": "Argenteuil",
    CERGY_PONTOISE: "CA de Cergy-Pontoise",
    "75056": "Paris",
    "93048": "Montreuil",
    METROPOLE: "Métropole du Grand Paris",
}


@pytest.fixture
def club(db, tmp_path):
    path = tmp_path / "territories.json"
    path.write_text(json.dumps({"region": "11", "territories": TERRITORIES}), encoding="utf-8")
    load_territories(path)
    from clubess.members.models import Territory

    by_code = {t.code: t for t in db.session.scalars(sa.select(Territory))}
    collectivities = {}
    for i, code in enumerate(MEMBERS):
        c = Collectivity(territory=by_code[code], status="active", joined_on=date(2026, 1, 10))
        db.session.add(c)
        db.session.add(
            Member(collectivity=c, kind="elu", first_name="Élu", last_name=f"N{i}", email=f"elu{i}@example.org")
        )
        collectivities[code] = c
    db.session.commit()
    return collectivities


def names(collectivities):
    return sorted(c.territory.name for c in collectivities)


def test_the_directory_finds_a_grouping_under_each_of_its_departements_and_counts_it_in_both(
    client, club, count_queries
):
    from clubess.members import directory

    assert names(directory.list_member_collectivities("95").items) == [
        "Argenteuil",
        "Boucle Nord de Seine",
        "CA de Cergy-Pontoise",
    ]
    assert names(directory.list_member_collectivities("92").items) == ["Boucle Nord de Seine", "Hauts-de-Seine"]
    assert names(directory.list_member_collectivities("75").items) == ["Paris"]
    assert [(code, count) for code, _name, count in directory.count_by_department()] == [
        ("75", 1),
        ("92", 2),
        ("93", 1),
        ("95", 3),
        (None, 1),
    ]
    with count_queries() as counter:
        page = get_page(client, "/annuaire?departement=92").get_data(as_text=True)
    assert "Boucle Nord de Seine" in page and "Hauts-de-Seine" in page and "Argenteuil" not in page
    assert counter.count <= 8


def test_the_applications_list_filters_by_departement_through_the_hierarchy(club, coordinator):
    from clubess.members.services import list_applications

    assert names(list_applications(coordinator, "active", "95").items) == [
        "Argenteuil",
        "Boucle Nord de Seine",
        "CA de Cergy-Pontoise",
    ]
    assert names(list_applications(coordinator, "active", "92").items) == ["Boucle Nord de Seine", "Hauts-de-Seine"]


def test_an_invitation_to_a_departement_reaches_the_groupings_spanning_it(club, coordinator, make_meeting):
    from clubess.meetings.invitations import AudienceSpec, resolve_audience

    meeting = make_meeting()

    def audience(*departments):
        preview = resolve_audience(coordinator, meeting, AudienceSpec(departments=list(departments)))
        return sorted(r.organisation for r in preview.recipients)

    assert audience("92") == ["Boucle Nord de Seine", "Hauts-de-Seine"]
    assert audience("95") == ["Argenteuil", "Boucle Nord de Seine", "CA de Cergy-Pontoise"]
    assert audience("92", "95") == ["Argenteuil", "Boucle Nord de Seine", "CA de Cergy-Pontoise", "Hauts-de-Seine"]
    assert audience("75") == ["Paris"]


def test_participation_filters_and_lists_departements_through_the_hierarchy(club, coordinator):
    from clubess.meetings.participation import member_departments, participation

    rows = participation(coordinator, 2026, department="95").rows
    assert sorted(r.name for r in rows) == ["Argenteuil", "Boucle Nord de Seine", "CA de Cergy-Pontoise"]
    assert [code for code, _name in member_departments(2026)] == ["75", "92", "93", "95"]


def test_the_library_finds_a_grouping_s_practice_under_each_of_its_departements(club, coordinator):
    from clubess.practices.search.engine import Filters, search
    from clubess.practices.services import PracticeData, create_practice, publish

    practice = create_practice(
        coordinator,
        PracticeData(title="Clauses sociales mutualisées", lever="achats_responsables", summary="Un marché commun."),
        collectivity=club[BNS],
    )
    publish(coordinator, practice)
    from clubess.extensions import db

    db.session.commit()
    for department, found in [("92", 1), ("95", 1), ("93", 0)]:
        result = search("", Filters(department=department))
        assert result.total == found, department
    facets = dict(search("").facets["department"])
    assert facets == {"92": 1, "95": 1}
    assert search("clauses", Filters(department="95")).total == 1


def test_commitments_filter_and_list_departements_through_the_hierarchy(db, club, coordinator):
    from clubess.commitments import listing, services

    for code in (BNS, "93048"):
        collectivity = club[code]
        responsible = db.session.scalar(sa.select(Member.id).where(Member.collectivity_id == collectivity.id))
        data = services.CommitmentData(
            title="Adopter un SPASER",
            lever="achats_responsables",
            success="Voté en conseil.",
            responsible_id=responsible,
            target=(2026, 4),
            meeting_id=None,
            note="",
        )
        services.record_commitment(coordinator, collectivity, data)
    db.session.commit()
    day = date(2026, 6, 1)
    for department, expected in [
        ("92", ["Boucle Nord de Seine"]),
        ("95", ["Boucle Nord de Seine"]),
        ("93", ["Montreuil"]),
    ]:
        found = listing.all_commitments(coordinator, listing.Filters(department=department), day=day)
        assert [c.collectivity.territory.name for c in found] == expected, department
    departments, _meetings, _targets = listing.filter_choices(coordinator)
    assert departments == ["92", "93", "95"]


# --- invitations, the directory and the library target a territory and everything inside it ---------------
#: "l'EPT Est Ensemble et ses communes", "les membres de la Métropole": a perimeter and what lies inside it
IN_METROPOLE = [
    "Argenteuil",
    "Boucle Nord de Seine",
    "Hauts-de-Seine",
    "Montreuil",
    "Métropole du Grand Paris",
    "Paris",
]


def _cards(html: str) -> list[str]:
    return sorted(re.findall(r'<li class="card">\s*<h2>(?:<a [^>]*>)?([^<]+)', html))


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


# --- every place that names a member's département names both for a grouping spanning two -----------------
def test_each_territory_knows_every_departement_it_is_found_under(club):
    by_code = {c.territory.code: c.territory for c in club.values()}
    assert by_code[BNS].department_codes == "92 95"
    assert by_code["95018"].department_codes == "95"
    assert by_code["75056"].department_codes == "75"
    assert by_code[METROPOLE].department_codes == ""


def test_the_directory_card_and_the_api_name_both_departements_of_a_grouping(client, club):
    page = get_page(client, "/annuaire?departement=95").get_data(as_text=True)
    card = page[page.index(">Boucle Nord de Seine</a></h2>") :][:400]
    assert "(92, 95)" in card
    found = client.get("/api/v1/territories?q=boucle").get_json()
    assert [(t["code"], t["department_codes"]) for t in found["results"]] == [(BNS, ["92", "95"])]


def test_participation_lists_and_exports_both_departements_of_a_grouping(client, club, coordinator):
    from clubess.meetings.participation import participation

    rows = {r.name: r for r in participation(coordinator, 2026).rows}
    assert rows["Boucle Nord de Seine"].department_codes == "92 95"
    client.login(coordinator.email)
    page = get_page(client, "/coordination/participation?annee=2026").get_data(as_text=True)
    assert "92, 95" in page


def test_the_matcher_counts_a_grouping_in_both_its_departements(club):
    from clubess.practices.matching import context_of

    assert context_of(club[BNS]).departments == ("92", "95")
    assert context_of(club["93048"]).departments == ("93",)
