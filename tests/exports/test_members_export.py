"""The export of the member collectivities and their people (/coordination/membres/export.csv|.xlsx)."""

from datetime import date

import pytest
import sqlalchemy as sa

from tests.exports.sheets import csv_rows, has_formula, xlsx_cells, xlsx_rows

HEADER = [
    "collectivité", "type de collectivité", "code officiel", "département", "population", "membre depuis le",
    "élu·e ou agent", "prénom", "nom", "fonction", "délégation", "adresse électronique", "téléphone", "référent·e",
    "début du mandat", "fin du mandat", "compte sur la plateforme", "centres d’intérêt", "reçoit les invitations",
    "reçoit les nouvelles du club", "exemple fictif",
]  # fmt: skip


def _names(rows):
    """(collectivity, person) of each data row."""
    return [(r[0], f"{r[7]} {r[8]}".strip()) for r in rows[1:]]


def test_csv_has_one_row_per_person_in_office_and_a_row_for_a_member_without_anyone(client, club, coordinator):
    client.login(coordinator.email)
    response = client.get("/coordination/membres/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="membres.csv"' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert _names(rows) == [
        ("Est Ensemble", ""),
        ("Montreuil", "Karim Benali"),
        ("Montreuil", "Hélène Durand"),
        ("Saint-Ouen-sur-Seine", "Sofia Martin"),
        ("Saint-Ouen-sur-Seine", "Léo Petit"),
        ("L'Haÿ-les-Roses", "Paul Roux"),
    ]
    helene = rows[3]
    assert helene == [
        "Montreuil", "Commune", "93048", "93", "111934", "15/01/2026", "Élu ou élue", "Hélène", "Durand",
        "Maire adjointe", "adjointe déléguée à l'ESS", "helene@montreuil.fr", "01 02 03 04 05", "oui", "20/03/2026",
        "", "oui", "", "oui", "oui", "",
    ]  # fmt: skip
    assert rows[4][13] == "non" and rows[4][16] == "oui"  # Sofia: not the référent, an account
    assert rows[4][17] == "Achats responsables"  # an unknown code in her interests is not shown
    assert rows[5][16] == "non"  # Léo has no account
    assert rows[1][1:6] == ["Établissement public territorial (EPT)", "200057875", "93", "440000", "02/04/2026"]
    assert rows[1][6:20] == [""] * 14


def test_csv_cells_that_a_spreadsheet_would_run_are_text(client, club, coordinator):
    client.login(coordinator.email)
    rows = csv_rows(client.get("/coordination/membres/export.csv"))
    assert rows[5][9] == '\'=HYPERLINK("http://x";"clic")'


def test_xlsx_has_the_same_rows_dates_as_dates_and_no_formula(client, club, coordinator):
    client.login(coordinator.email)
    response = client.get("/coordination/membres/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="membres.xlsx"' in response.headers["Content-Disposition"]
    data = response.get_data()
    rows = xlsx_rows(data)
    assert rows[0] == HEADER
    assert [(r[0], f"{r[7] or ''} {r[8] or ''}".strip()) for r in rows[1:]] == _names(
        csv_rows(client.get("/coordination/membres/export.csv"))
    )
    cells = xlsx_cells(data)
    joined = cells[(3, 5)]  # Hélène's collectivity joined on 15 January 2026: a date, shown as one
    assert joined["type"] == "n" and joined["value"] == (date(2026, 1, 15) - date(1899, 12, 30)).days
    assert joined["format"] == "dd/mm/yyyy"
    assert cells[(3, 4)] == {**cells[(3, 4)], "type": "n", "value": 111934}
    formula = cells[(5, 9)]  # Léo's function: kept as typed, stored as text, marked to stay text when edited
    assert formula["type"] == "s" and formula["value"] == '=HYPERLINK("http://x";"clic")'
    assert formula["quote_prefix"] and not formula["formula"]
    assert not cells[(3, 7)]["quote_prefix"]  # an ordinary name is not marked
    assert not has_formula(data)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("departement=94", [("L'Haÿ-les-Roses", "Paul Roux")]),
        ("type=ept", [("Est Ensemble", "")]),
        ("perimetre=200057875", [("Est Ensemble", ""), ("Montreuil", "Karim Benali"), ("Montreuil", "Hélène Durand")]),
        ("interet=achats_responsables", [("Saint-Ouen-sur-Seine", "Sofia Martin")]),
        ("departement=93&type=commune&interet=soutien_structures", []),
    ],
)
def test_the_directory_filters_choose_the_rows(client, club, coordinator, query, expected):
    client.login(coordinator.email)
    assert _names(csv_rows(client.get(f"/coordination/membres/export.csv?{query}"))) == expected
    assert _names(xlsx_rows_or_header(client.get(f"/coordination/membres/export.xlsx?{query}"))) == expected


def xlsx_rows_or_header(response):
    rows = xlsx_rows(response.get_data())
    return [[c if c is not None else "" for c in r] for r in rows]


@pytest.mark.parametrize(
    "query",
    ["departement=abc", "departement=9%3D3", "type=planete", "perimetre=99999", "interet=%3Dcmd"],
)
def test_unknown_filters_show_the_exports_page_with_the_error(client, club, coordinator, query):
    client.login(coordinator.email)
    response = client.get(f"/coordination/membres/export.xlsx?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "Le formulaire contient des erreurs" in response.get_data(as_text=True)


def test_an_overlong_filter_is_cut_as_on_every_list_page(client, club, coordinator):
    client.login(coordinator.email)
    response = client.get("/coordination/membres/export.csv?departement=" + "9" * 5000)
    assert response.status_code == 200
    assert csv_rows(response) == [HEADER]  # département 999: nobody


def test_unknown_format_is_not_found(client, club, coordinator):
    client.login(coordinator.email)
    assert client.get("/coordination/membres/export.ods").status_code == 404


def test_visitors_are_sent_to_login_and_members_refused(client, club):
    response = client.get("/coordination/membres/export.csv")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    client.login("helene@montreuil.fr")  # the référent of a member collectivity
    assert client.get("/coordination/membres/export.csv").status_code == 403
    assert client.get("/coordination/membres/export.xlsx").status_code == 403
    assert client.get("/coordination/exports").status_code == 403


def test_each_download_is_in_the_audit_log_with_its_filters(client, club, coordinator, db):
    from clubess.core.audit import AuditEvent

    client.login(coordinator.email)
    client.get("/coordination/membres/export.xlsx?departement=93&interet=achats_responsables")
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export.members")).one()
    assert event.actor_id == coordinator.id
    assert event.details == {
        "filename": "membres.xlsx",
        "count": 1,
        "territory": "département 93 · Achats responsables",
    }
    page = client.get("/coordination/journal").get_data(as_text=True)
    assert "Export des collectivités membres et de leurs personnes" in page
    assert "département 93 · Achats responsables" in page


def test_export_queries_do_not_grow_with_the_club(client, club, coordinator, db, count_queries, territories):
    from clubess.members.models import Member

    client.login(coordinator.email)
    client.get("/coordination/membres/export.csv")  # warm up (the session's user)
    with count_queries() as small:
        client.get("/coordination/membres/export.csv")
    collectivity = club["paul"].collectivity
    db.session.add_all(
        Member(collectivity=collectivity, kind="agent", first_name=f"P{i}", last_name="Nombre", email=f"p{i}@x.fr")
        for i in range(30)
    )
    db.session.commit()
    with count_queries() as large:
        rows = csv_rows(client.get("/coordination/membres/export.xlsx".replace("xlsx", "csv")))
    assert len(rows) == 1 + 6 + 30
    assert large.count == small.count <= 6
