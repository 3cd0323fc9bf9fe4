"""Participation per collectivity across a year's meetings, checked against a hand-counted fixture."""

import csv
import io
from datetime import date, time

import pytest

from clubess.members.hierarchy import refresh_links
from clubess.members.models import Collectivity, Territory
from tests.meetings.test_attendance import register
from tests.pages import get_page

URL = "/coordination/participation"


def _csv(response) -> list[dict]:
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))


def _figures(rows: list[dict]) -> dict[str, tuple]:
    return {
        r["collectivité"]: (
            int(r["rencontres (au moins une personne présente)"]),
            int(r["personnes différentes présentes"]),
            int(r["présences"]),
        )
        for r in rows
    }


@pytest.fixture
def year_of_meetings(db, people, territories, make_meeting):
    """2026: two rencontres and a workshop held, one cancelled; one rencontre in 2025; one in 2027.

    Hand count for 2026, every kind (meetings, different people, presences):
      Montreuil     R1 Hélène + Karim, R2 Hélène, A1 Karim     → 3, 2, 4
      Saint-Ouen    R1 Sofia absent, R2 Léo (walk-in), C1 ✗   → 1, 1, 1
      L'Haÿ         R1 Paul, R2 Paul absent                    → 1, 1, 1
      Est Ensemble  nobody                                     → 0, 0, 0 (never came)
      Seine-Saint-Denis left the club on 31 Dec 2025: not a member in 2026
      =HYPERLINK(…) a member commune that never came (its name must not run as a formula)
    Rencontres only: Montreuil 2, 2, 3; Saint-Ouen 1, 1, 1; L'Haÿ 1, 1, 1.
    """
    est = Collectivity(territory=territories["200057875"], status="active", joined_on=date(2026, 1, 5))
    dept = Collectivity(
        territory=territories["93"], status="left", joined_on=date(2024, 1, 1), left_on=date(2025, 12, 31)
    )
    trap = Territory(
        code="94999", kind="commune", name='=HYPERLINK("http://x")', search_name="hyperlink", department_code="94"
    )
    pending = Collectivity(territory=territories["94038"], status="pending")
    db.session.add_all([est, dept, trap, pending])
    db.session.flush()
    db.session.add(Collectivity(territory=trap, status="active", joined_on=date(2026, 5, 1)))
    refresh_links()  # what loading territories does
    db.session.commit()
    p = people
    r0 = make_meeting(day=(2025, 12, 11), status="held", title="R0")
    r1 = make_meeting(day=(2026, 3, 12), status="held", title="R1")
    r2 = make_meeting(day=(2026, 6, 11), status="held", title="R2")
    a1 = make_meeting(day=(2026, 9, 17), kind="atelier_territorial", title="A1")
    c1 = make_meeting(day=(2026, 10, 1), status="cancelled", title="C1")
    f1 = make_meeting(day=(2027, 3, 11), title="F1")
    make_meeting(day=(2026, 11, 5), status="draft", title="D1", start=time(9), end=time(10))
    for meeting, who in (
        (r0, [("paul", "present")]),
        (r1, [("helene", "present"), ("karim", "present"), ("sofia", "absent"), ("paul", "present")]),
        (r2, [("helene", "present"), ("paul", "absent")]),
        (a1, [("karim", "present"), ("sofia", "unknown")]),
        (c1, [("sofia", "present")]),
        (f1, [("helene", "unknown")]),
    ):
        for name, attendance in who:
            register(db, meeting, p[name], attendance=attendance)
    register(db, r2, p["leo"], attendance="present", is_walk_in=True)
    # an agent standing in for an élu counts for the same collectivity, once
    register(db, r1, p["leo"], status="cancelled")
    return {"r1": r1}


def test_each_collectivity_s_meetings_people_and_presences_match_the_hand_count(
    client, db, year_of_meetings, coordinator
):
    client.login(coordinator.email)
    rows = _csv(client.get(URL + "?annee=2026&format=csv"))
    assert list(rows[0]) == [
        "collectivité",
        "département",
        "type de collectivité",
        "rencontres (au moins une personne présente)",
        "personnes différentes présentes",
        "présences",
    ]
    assert _figures(rows) == {
        "Montreuil": (3, 2, 4),
        "Saint-Ouen-sur-Seine": (1, 1, 1),
        "L'Haÿ-les-Roses": (1, 1, 1),
        "Est Ensemble": (0, 0, 0),
        '\'=HYPERLINK("http://x")': (0, 0, 0),
    }
    by_name = {r["collectivité"]: r for r in rows}
    assert by_name["Est Ensemble"]["type de collectivité"] == "Établissement public territorial (EPT)"
    assert by_name["L'Haÿ-les-Roses"]["département"] == "94"

    page = get_page(client, URL + "?annee=2026").get_data(as_text=True)
    assert "3 rencontres tenues" in page and "5 collectivités membres" in page
    assert "3 sont venues au moins une fois" in page and "2 ne sont jamais venues" in page
    never = page[page.index('id="never-came"') :]
    assert "Est Ensemble" in never and "Montreuil" not in never
    assert "Seine-Saint-Denis" not in page.split('id="participation-figures"')[1]


def test_filters_by_kind_of_meeting_departement_kind_of_collectivity_and_year(
    client, db, year_of_meetings, coordinator
):
    client.login(coordinator.email)
    only_rencontres = _figures(_csv(client.get(URL + "?annee=2026&type=rencontre&format=csv")))
    assert only_rencontres["Montreuil"] == (2, 2, 3) and only_rencontres["Saint-Ouen-sur-Seine"] == (1, 1, 1)
    assert "2 rencontres tenues" in get_page(client, URL + "?annee=2026&type=rencontre").get_data(as_text=True)
    assert set(_figures(_csv(client.get(URL + "?annee=2026&departement=94&format=csv")))) == {
        "L'Haÿ-les-Roses",
        '\'=HYPERLINK("http://x")',
    }
    assert _figures(_csv(client.get(URL + "?annee=2026&collectivite=ept&format=csv"))) == {"Est Ensemble": (0, 0, 0)}
    # 2025: Seine-Saint-Denis was a member and never came; L'Haÿ (Paul came to R0) joined only in 2026
    assert _figures(_csv(client.get(URL + "?annee=2025&format=csv"))) == {"Seine-Saint-Denis": (0, 0, 0)}
    page = get_page(client, URL + "?annee=2025").get_data(as_text=True)
    assert "1 rencontre tenue" in page and '<option selected value="2025">' in page
    years = get_page(client, URL).get_data(as_text=True)
    # this year by default, and every year from the first meeting to the last
    assert '<option selected value="2026">' in years
    assert '<option value="2025">' in years and '<option value="2027">' in years


def test_bad_filter_values_fall_back_to_the_defaults_with_a_message_never_an_error(
    client, db, year_of_meetings, coordinator
):
    client.login(coordinator.email)
    for query in (
        "annee=abc",
        "annee=1850",
        "annee=99999999999999999999",
        "type=soiree",
        "departement=2A",
        "collectivite=pays",
    ):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, query
        assert "field__error" in response.get_data(as_text=True), query
        assert client.get(f"{URL}?{query}&format=csv").status_code == 200


def test_participation_runs_the_same_queries_for_5_or_60_collectivities(
    client, db, year_of_meetings, coordinator, count_queries, territories, people
):
    client.login(coordinator.email)
    client.get(URL + "?annee=2026")
    with count_queries() as few:
        client.get(URL + "?annee=2026")
    for i in range(55):
        t = Territory(
            code=f"9{i:04d}", kind="commune", name=f"Commune {i}", search_name=f"commune {i}", department_code="93"
        )
        db.session.add(Collectivity(territory=t, status="active", joined_on=date(2026, 1, 1)))
    db.session.flush()
    refresh_links()
    db.session.commit()
    with count_queries() as many:
        page = client.get(URL + "?annee=2026").get_data(as_text=True)
    assert "60 collectivités membres" in page
    assert many.count == few.count <= 10


def test_participation_is_for_coordinators_only(client, db, year_of_meetings):
    assert client.get(URL).status_code == 302
    client.login("helene@montreuil.fr")
    assert client.get(URL).status_code == 403
    assert client.get(URL + "?format=csv").status_code == 403
