"""/coordination/engagements (figures against a hand-counted fixture, filters, CSV) and a meeting's section."""

import csv
import io

import pytest
import sqlalchemy as sa

from clubess.commitments import services
from clubess.commitments.models import Commitment
from clubess.core.csvfile import unescape_cell
from tests.pages import get_page


@pytest.fixture
def spread(db, club, commit, frozen):
    """Eight commitments, counted by hand (on 5 January 2027, T1 2027):

    | # | collectivity (dép.) | made at  | target  | status      | due | overdue |
    |---|---------------------|----------|---------|-------------|-----|---------|
    | 1 | Montreuil (93)      | S1       | T4 2026 | planned     | yes | yes     |
    | 2 | Montreuil (93)      | S1       | T1 2027 | in_progress | yes | no      |
    | 3 | Montreuil (93)      | S1       | T4 2026 | done        | no  | no      |
    | 4 | Montreuil (93)      | —        | T2 2027 | planned     | no  | no      |
    | 5 | Saint-Ouen (93)     | S1       | T4 2026 | in_progress | yes | yes     |
    | 6 | Saint-Ouen (93)     | W        | T1 2027 | abandoned   | no  | no      |
    | 7 | Saint-Ouen (93)     | W        | T1 2027 | planned     | yes | no      |
    | 8 | L'Haÿ (94)          | —        | T4 2026 | planned     | yes | yes     |
    """
    c = club
    h, s = c.helene.user, c.sofia.user
    rows = [
        commit(h, c.montreuil, title="Un", meeting_id=c.s1.id, target=(2026, 4)),
        commit(h, c.montreuil, title="Deux", meeting_id=c.s1.id, target=(2027, 1)),
        commit(h, c.montreuil, title="Trois", meeting_id=c.s1.id, target=(2026, 4), lever="foncier_tiers_lieux"),
        commit(h, c.montreuil, title="Quatre", target=(2027, 2)),
        commit(s, c.saint_ouen, title="Cinq", meeting_id=c.s1.id, target=(2026, 4)),
        commit(s, c.saint_ouen, title="Six", meeting_id=c.workshop.id, target=(2027, 1), lever="foncier_tiers_lieux"),
        commit(s, c.saint_ouen, title='=HYPERLINK("http://x.example")', meeting_id=c.workshop.id, target=(2027, 1)),
        commit(c.coordinator, c.lhay, title="Huit", responsible_id=c.paul.id, target=(2026, 4)),
    ]
    services.change_status(h, rows[1], "in_progress", "Commencé.")
    services.change_status(h, rows[2], "done", "Fait en décembre.")
    services.change_status(s, rows[4], "in_progress", "")
    services.change_status(s, rows[5], "abandoned", "Plus de budget.")
    db.session.commit()
    frozen.move_to("2027-01-05 09:00:00")
    return rows


def _counts(html: str) -> dict:
    import re

    block = html[html.index('id="commitment-counts"') :].split("</ul>")[0]
    return {label: int(n) for label, n in re.findall(r"<li>([^<:]+?) : (\d+)</li>", block)}


def _titles(client, query: str = "") -> set[str]:
    text = client.get("/coordination/engagements.csv" + query).get_data(as_text=True)
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    return {unescape_cell(row["engagement"]) for row in rows}


def test_counts_per_status_and_filters_match_the_hand_count(client, club, spread):
    client.login(club.coordinator.email)
    page = get_page(client, "/coordination/engagements").get_data(as_text=True)
    assert _counts(page) == {"Prévu": 4, "En cours": 2, "Réalisé": 1, "Abandonné": 1}
    assert "8 engagements" in page
    # counts ignore the status filter (they say what each status holds among the other filters)
    filtered = get_page(client, "/coordination/engagements?statut=planned&departement=93").get_data(as_text=True)
    assert _counts(filtered) == {"Prévu": 3, "En cours": 2, "Réalisé": 1, "Abandonné": 1}
    assert "3 engagements" in filtered
    assert _titles(client, "?statut=planned&departement=93") == {"Un", "Quatre", '=HYPERLINK("http://x.example")'}
    assert _titles(client, "?echeance=due") == {"Un", "Deux", "Cinq", '=HYPERLINK("http://x.example")', "Huit"}
    assert _titles(client, "?echeance=overdue") == {"Un", "Cinq", "Huit"}
    assert _titles(client, "?departement=94") == {"Huit"}
    assert _titles(client, f"?rencontre={club.workshop.id}") == {"Six", '=HYPERLINK("http://x.example")'}
    assert _titles(client, "?trimestre=2026-4&levier=foncier_tiers_lieux") == {"Trois"}
    # a value that is not a choice filters nothing (and breaks nothing)
    assert len(_titles(client, "?statut=x&rencontre=%C2%B2&trimestre=2026-9&echeance=demain")) == 8


def test_the_csv_export_is_in_french_and_formula_safe(client, club, spread):
    client.login(club.coordinator.email)
    response = client.get("/coordination/engagements.csv?departement=93&statut=planned")
    assert response.mimetype == "text/csv" and "engagements.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "collectivité", "département", "engagement", "levier", "résultat attendu", "personne en charge",
        "trimestre visé", "statut", "échéance", "pris à la rencontre", "date de la rencontre", "enregistré le",
        "dernière note", "mis à jour le", "exemple fictif",
    ]  # fmt: skip
    by_title = {r[2]: r for r in rows[1:]}
    assert by_title['\'=HYPERLINK("http://x.example")'][0] == "Saint-Ouen-sur-Seine"  # neutralised
    one = by_title["Un"]
    assert one[1] == "93" and one[3] == "Achats responsables" and one[5] == "Hélène Durand"
    assert one[6:11] == ["T4 2026", "Prévu", "En retard", "Rencontre de septembre", "17/09/2026"]
    assert by_title["Quatre"][8:10] == ["", ""]  # not due yet, made outside a meeting


def test_the_list_runs_a_bounded_number_of_queries(db, client, club, spread, count_queries, commit):
    client.login(club.coordinator.email)

    def queries():
        with count_queries() as page:
            client.get("/coordination/engagements")
        with count_queries() as export:
            client.get("/coordination/engagements.csv")
        return page.count, export.count

    before = queries()
    for n in range(12):
        commit(club.coordinator, club.lhay, title=f"Encore {n}", responsible_id=club.paul.id, target=(2027, 1))
    assert queries() == before
    assert before[0] <= 16 and before[1] <= 12


def test_a_commitments_page_in_the_back_office_updates_it(db, client, club, spread):
    c = club
    five = spread[4]
    client.login(c.coordinator.email)
    url = f"/coordination/engagements/{five.id}"
    page = get_page(client, url).get_data(as_text=True)
    assert "Saint-Ouen-sur-Seine" in page and "Statut : Prévu → En cours" in page
    response = client.submit(f"{url}/statut", {"status": "done", "note": "Livré."}, url)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Commitment, five.id).status == "done"
    assert client.get("/coordination/engagements/99999999").status_code == 404


def test_on_the_meeting_page_the_coordinator_records_one_for_a_collectivity_present(db, client, club):
    c = club
    client.login(c.coordinator.email)
    page = get_page(client, f"/coordination/rencontres/{c.s1.id}").get_data(as_text=True)
    section = page[page.index('id="engagements"') :]
    assert '<optgroup label="Montreuil">' in section and '<optgroup label="Saint-Ouen-sur-Seine">' in section
    assert "L&#39;Haÿ-les-Roses" not in section and "Paul Roux" not in section  # marked absent
    data = {
        "commitment-title": "Recenser les ressourceries",
        "commitment-lever": "soutien_structures",
        "commitment-success": "",
        "commitment-responsible_id": str(c.sofia.id),
        "commitment-target": "2027-1",
        "commitment-note": "",
    }
    url = f"/coordination/rencontres/{c.s1.id}/engagements"
    response = client.submit(url, data, form_url=f"/coordination/rencontres/{c.s1.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("#engagements")
    commitment = db.session.scalar(sa.select(Commitment))
    assert (commitment.collectivity_id, commitment.meeting_id) == (c.saint_ouen.id, c.s1.id)
    page = get_page(client, f"/coordination/rencontres/{c.s1.id}").get_data(as_text=True)
    assert "Recenser les ressourceries" in page[page.index("Engagements pris à cette rencontre") :]
    # a person of a collectivity marked absent: refused, the form keeps what was typed
    refused = client.submit(url, {**data, "commitment-responsible_id": str(c.paul.id)}, form_url=url)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "parmi celles des collectivités présentes" in html
    assert "Recenser les ressourceries" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == 1


def test_no_recording_before_a_meeting_starts_nor_at_a_cancelled_one(client, club):
    c = club
    client.login(c.coordinator.email)
    for meeting, reason in ((c.s2, "pendant ou après la rencontre"), (c.cancelled, "La rencontre est annulée")):
        page = get_page(client, f"/coordination/rencontres/{meeting.id}").get_data(as_text=True)
        assert reason in page and 'name="commitment-title"' not in page
        posted = client.submit(
            f"/coordination/rencontres/{meeting.id}/engagements",
            {"commitment-title": "x"},
            form_url=f"/coordination/rencontres/{meeting.id}",
        )
        assert posted.status_code == 200 and reason in posted.get_data(as_text=True)


def test_the_meeting_page_runs_a_bounded_number_of_queries(db, client, club, commit, count_queries):
    c = club
    commit(c.helene.user, c.montreuil, meeting_id=c.s1.id)
    client.login(c.coordinator.email)

    def queries():
        counts = []
        for meeting in (c.s1, c.s2):  # commitments made there; commitments due there
            with count_queries() as counter:
                assert client.get(f"/coordination/rencontres/{meeting.id}").status_code == 200
            counts.append(counter.count)
        return counts

    before = queries()
    for n in range(6):
        commit(c.sofia.user, c.saint_ouen, title=f"Engagement {n}", meeting_id=c.s1.id, responsible_id=c.sofia.id)
        commit(c.helene.user, c.montreuil, title=f"Autre {n}", meeting_id=c.s1.id, responsible_id=c.karim.id)
    assert queries() == before
