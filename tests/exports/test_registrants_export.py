"""The export of the registrants across the meetings of a period (/coordination/inscriptions/export.csv|.xlsx)."""

from datetime import datetime

import pytest
import sqlalchemy as sa

from tests.exports.sheets import csv_rows, has_formula, xlsx_cells, xlsx_rows
from tests.fixtures_meetings import paris


@pytest.fixture
def registered(db, people, make_meeting):
    """March 2027 (rencontre): Hélène present, Sofia in the waiting list, a guest whose organisation is a
    formula. June 2027 (atelier thématique): Karim cancelled, Paul registered on behalf of no one. 31 December
    2027 at 23:30 (Paris), still in 2027: Léo. January 2028: Paul (outside 2027)."""
    from clubess.meetings.models import Registration

    march = make_meeting(day=(2027, 3, 18), title="Rencontre de mars")
    june = make_meeting(day=(2027, 6, 17), title="Atelier achats", kind="atelier_thematique")
    late = make_meeting(day=(2027, 12, 31), start=datetime(2027, 12, 31, 23, 30).time(),
                        end=datetime(2027, 12, 31, 23, 55).time(), title="Réveillon solidaire")  # fmt: skip
    next_year = make_meeting(day=(2028, 1, 10), title="Rencontre de janvier")

    def reg(meeting, member=None, **kw):
        if member is not None:
            kw.update(member_id=member.id, collectivity_id=member.collectivity_id, email=member.email,
                      name=member.full_name)  # fmt: skip
        return Registration(meeting=meeting, **kw)

    db.session.add_all(
        [
            reg(march, people["helene"], attendance="present", created_at=paris(2027, 2, 1, 10, 15)),
            reg(march, people["sofia"], status="waitlisted"),
            reg(march, email="g@asso.fr", name="Gaëlle Invitée", organisation="@SUM(A1)", is_guest=True),
            reg(june, people["karim"], status="cancelled", mode="en_ligne"),
            reg(june, people["paul"]),
            reg(late, people["leo"]),
            reg(next_year, people["paul"]),
        ]
    )
    db.session.commit()


def _who(rows):
    return [(r[1], r[3], r[7]) for r in rows[1:]]


def test_the_year_s_registrations_meeting_by_meeting(client, coordinator, registered):
    client.login(coordinator.email)
    response = client.get("/coordination/inscriptions/export.csv?du=2027-01-01&au=2027-12-31")
    assert response.status_code == 200
    assert 'filename="inscrits-2027-01-01-2027-12-31.csv"' in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:8] == [
        "date de la rencontre", "rencontre", "type de rencontre", "nom", "collectivité", "organisation",
        "adresse électronique", "statut",
    ]  # fmt: skip
    assert _who(rows) == [
        ("Rencontre de mars", "Gaëlle Invitée", "Inscrit·e"),
        ("Rencontre de mars", "Hélène Durand", "Inscrit·e"),
        ("Rencontre de mars", "Sofia Martin", "Liste d’attente"),
        ("Atelier achats", "Karim Benali", "Annulée"),
        ("Atelier achats", "Paul Roux", "Inscrit·e"),
        ("Réveillon solidaire", "Léo Petit", "Inscrit·e"),
    ]
    helene = rows[2]
    assert helene[0] == "18/03/2027 09:30" and helene[2] == "Rencontre" and helene[4] == "Montreuil"
    assert helene[9] == "Présent·e" and helene[11] == "membre" and helene[13] == "01/02/2027 10:15"
    assert rows[1][5] == "'@SUM(A1)" and rows[1][11] == "publique (sans compte)"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("du=2027-06-01&au=2027-06-30", ["Karim Benali", "Paul Roux"]),
        ("du=2027-01-01&au=2027-12-31&type_rencontre=atelier_thematique", ["Karim Benali", "Paul Roux"]),
        ("du=2027-01-01&au=2027-12-31&statut=waitlisted", ["Sofia Martin"]),
        ("du=2028-01-01&au=2028-01-31", ["Paul Roux"]),
        ("du=2026-01-01&au=2026-12-31", []),
    ],
)
def test_period_kind_and_status_choose_the_rows(client, coordinator, registered, query, expected):
    client.login(coordinator.email)
    assert [r[3] for r in csv_rows(client.get(f"/coordination/inscriptions/export.csv?{query}"))[1:]] == expected


def test_xlsx_keeps_meeting_times_in_paris_and_formulas_as_text(client, coordinator, registered):
    client.login(coordinator.email)
    data = client.get("/coordination/inscriptions/export.xlsx?du=2027-12-01&au=2027-12-31").get_data()
    cells = xlsx_cells(data)
    start = cells[(1, 0)]  # 31 December 2027 at 23:30 in Paris (22:30 UTC): that day and time, not UTC's
    serial = (datetime(2027, 12, 31, 23, 30) - datetime(1899, 12, 30)).total_seconds() / 86400
    assert start["format"] == "dd/mm/yyyy hh:mm" and start["value"] == pytest.approx(serial)
    assert not has_formula(data)
    data = client.get("/coordination/inscriptions/export.xlsx?du=2027-03-01&au=2027-03-31").get_data()
    guest = xlsx_rows(data)[1]
    assert guest[5] == "@SUM(A1)" and xlsx_cells(data)[(1, 5)]["quote_prefix"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "du=2027-12-31&au=2027-01-01",
        "du=0001-01-01&au=9999-12-31",
        "du=2020-01-01&au=2027-01-01",
        "du=hier&au=2027-01-01",
        "du=2027-01-01&au=2027-12-31&statut=perdu",
        "du=2027-01-01&au=2027-12-31&type_rencontre=bal",
    ],
)
def test_a_wrong_period_or_filter_shows_the_form_again_with_what_was_typed(client, coordinator, registered, query):
    client.login(coordinator.email)
    response = client.get(f"/coordination/inscriptions/export.xlsx?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Le formulaire contient des erreurs" in page
    if "hier" in query:
        assert 'value="hier"' in page


def test_visitors_are_sent_to_login_and_members_refused_without_a_trace(client, coordinator, registered, db):
    from clubess.core.audit import AuditEvent

    url = "/coordination/inscriptions/export.csv?du=2027-01-01&au=2027-12-31"
    assert "/connexion" in client.get(url).headers["Location"]
    client.login("karim@montreuil.fr")
    assert client.get(url).status_code == 403
    assert client.get(url.replace(".csv", ".xlsx")).status_code == 403
    logged = sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "export.registrants")
    assert db.session.scalar(logged) == 0


def test_the_export_is_audited_with_its_period(client, coordinator, registered, db):
    from clubess.core.audit import AuditEvent

    client.login(coordinator.email)
    client.get("/coordination/inscriptions/export.xlsx?du=2027-01-01&au=2027-12-31&type_rencontre=rencontre")
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export.registrants")).one()
    assert event.details == {
        "filename": "inscrits.xlsx",
        "count": 4,  # March (3) and the 31 December rencontre (1)
        "after": "2027-01-01",
        "before": "2027-12-31",
        "kind": "Rencontre",
    }


def test_export_queries_do_not_grow_with_the_registrations(client, coordinator, registered, db, count_queries, people):
    from clubess.meetings.models import Meeting, Registration

    client.login(coordinator.email)
    url = "/coordination/inscriptions/export.csv?du=2027-01-01&au=2027-12-31"
    client.get(url)
    with count_queries() as small:
        client.get(url)
    meeting = db.session.scalars(sa.select(Meeting).where(Meeting.title == "Atelier achats")).one()
    db.session.add_all(
        Registration(meeting=meeting, email=f"g{i}@x.fr", name=f"Invité {i}", is_guest=True) for i in range(25)
    )
    db.session.commit()
    with count_queries() as large:
        rows = csv_rows(client.get(url))
    assert len(rows) == 1 + 6 + 25
    assert large.count == small.count <= 6
