"""The bilan's pages: the coordinators' report, its texts and publication, the public version, the PDFs."""

import re

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from clubess.core.audit import AuditEvent
from clubess.report.models import AnnualReport
from tests.dashboard.test_dashboard import _page, _table, _text, _value
from tests.pages import effects_of, get_page
from tests.report.bilan_fixture import NOW, PRIVATE_TITLE, PROBLEM_TEXT, PUBLIC_TITLE
from tests.territories.test_diagnostic import pdf_text

URL = "/coordination/bilan/2026"


@pytest.fixture
def coord(client, bilan, coordinator):
    with freeze_time(NOW):
        client.login(coordinator.email)
        yield client


def _actions(db) -> list[str]:
    db.session.expire_all()
    return [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def test_the_report_shows_the_hand_counted_figures(coord):
    with freeze_time(NOW):
        doc, html = _page(coord, URL)
    meetings = _table(doc, "bilan-meetings")
    assert meetings[PRIVATE_TITLE] == ["12 mars 2026", "4", "3"]
    assert meetings["R2"] == ["11 juin 2026", "1", "2"]
    assert meetings[PUBLIC_TITLE] == ["20 septembre 2026", "0", "0"]
    assert "3 rencontres tenues : 5 inscrits, 5 présents." in _text(doc, "bilan-meetings-summary")
    assert _table(doc, "bilan-departments-table") == {"93 Seine-Saint-Denis": ["5", "2"], "94 Val-de-Marne": ["2", "1"]}
    assert "membres pendant l’année : 6 ; venues à au moins une rencontre : 3" in _text(
        doc, "bilan-collectivities-summary"
    )
    practices = _table(doc, "bilan-practices-table")
    assert practices["Achats responsables"] == ["2"] or any(v == ["2"] for k, v in practices.items() if "chats" in k)
    assert (_value(doc, "bilan-problems-stated"), _value(doc, "bilan-problems-answered")) == ("5", "2")
    assert (_value(doc, "bilan-commitments-made"), _value(doc, "bilan-commitments-kept")) == ("3", "1")
    assert "Documents ajoutés au centre de ressources et aux rencontres : 3." in _text(doc, "bilan-documents-summary")
    assert [_value(doc, f"bilan-press-{k}") for k in ("sent", "reach", "bounces", "unsubscribes")] == [
        "2",
        "3",
        "1",
        "1",
    ]
    assert "brouillon" in _text(doc, "bilan-status")


def test_an_empty_year_says_so(coord):
    with freeze_time(NOW):
        doc, html = _page(coord, "/coordination/bilan/2023")
    assert _text(doc, "bilan-meetings-summary") == "Aucune rencontre tenue cette année."
    assert "Aucune donnée pour cette période." in html


@pytest.mark.parametrize(
    "url",
    [
        "/coordination/bilan/1999",
        "/coordination/bilan/2027",
        "/coordination/bilan/99999999999999999999999",
        "/coordination/bilan/deux-mille",
        "/coordination/bilan/-2026",
        "/coordination/bilan/99999999999999999999999.pdf",
        "/le-club/bilan/2026",
        "/le-club/bilan/2026.pdf",
        "/le-club/bilan/1e9",
    ],
)
def test_a_year_out_of_range_or_not_a_number_is_not_found(coord, url):
    with freeze_time(NOW):
        assert coord.get(url).status_code == 404


def test_a_control_character_in_the_year_is_refused_not_a_500(coord):
    with freeze_time(NOW):
        assert coord.get("/coordination/bilan/2026%00").status_code == 400


def test_the_list_of_years_says_draft_or_published(coord, db):
    with freeze_time(NOW):
        doc, html = _page(coord, "/coordination/bilan")
        rows = _table(doc, "bilan-years")
        assert rows["Bilan 2026"][0] == "brouillon"
        coord.confirm(URL + "/publier")
        doc, html = _page(coord, "/coordination/bilan")
    assert _table(doc, "bilan-years")["Bilan 2026"][0] == "publié"


def test_texts_are_saved_audited_and_a_too_long_one_is_shown_again_with_its_error(coord, db):
    with freeze_time(NOW):
        response = coord.submit(URL + "/textes", {"introduction": "Une **belle** année", "highlights": "- Forum"}, URL)
        assert response.status_code == 302
        page = get_page(coord, URL).get_data(as_text=True)
        assert "Une <strong>belle</strong> année" in page
        long = "x" * 20_001
        response = coord.submit(URL + "/textes", {"introduction": "Gardé", "highlights": long}, URL)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Le texte est trop long : 20000 caractères au plus." in html or "20 000" in html
    assert re.search(r'id="introduction"[^>]*>\s*Gardé</textarea>', html)
    assert _actions(db) == ["report.text_saved"]
    assert db.session.scalar(sa.select(AnnualReport.highlights)) == "- Forum"


def test_markdown_is_sanitised(coord):
    with freeze_time(NOW):
        coord.submit(URL + "/textes", {"introduction": "<script>alert(1)</script>[x](javascript:alert(1))"}, URL)
        page = get_page(coord, URL).get_data(as_text=True)
    assert "<script>alert" not in page and 'href="javascript' not in page


def test_publishing_states_its_effect_freezes_the_figures_and_is_audited(coord, db, make_meeting):
    with freeze_time(NOW):
        coord.submit(URL + "/textes", {"introduction": "Notre année", "highlights": ""}, URL)
        asked = get_page(coord, URL + "/publier").get_data(as_text=True)
        effects = " ".join(effects_of(asked))
        assert "visible de tous, sans compte" in effects and "/le-club/bilan/2026" in effects
        assert coord.confirm(URL + "/publier").status_code == 302
        public = get_page(coord, "/le-club/bilan/2026").get_data(as_text=True)
        assert "Notre année" in public
        make_meeting(day=(2026, 10, 8), status="held", title="Une de plus", audience="public")
        doc, html = _page(coord, URL)
        assert "Une de plus" in html and "bilan-stale" in html
        assert "Une de plus" not in coord.get("/le-club/bilan/2026").get_data(as_text=True)
        coord.confirm(URL + "/publier", expect="La version publique actuelle sera remplacée.")
        assert "Une de plus" in coord.get("/le-club/bilan/2026").get_data(as_text=True)
        assert "bilan-up-to-date" in coord.get(URL).get_data(as_text=True)
    assert _actions(db) == ["report.text_saved", "report.published", "report.republished"]


def test_a_post_without_the_confirmation_publishes_nothing(coord, db):
    with freeze_time(NOW):
        response = coord.submit(URL + "/publier", {}, URL + "/publier")
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnnualReport)) == 0


def test_the_public_page_shows_no_private_data_to_a_visitor(coord, client, db, people):
    with freeze_time(NOW):
        coord.submit(URL + "/textes", {"introduction": "Bonne année", "highlights": ""}, URL)
        coord.confirm(URL + "/publier")
        coord.get("/deconnexion")
        visitor = client.application.test_client()
        html = get_page(visitor, "/le-club/bilan/2026").get_data(as_text=True)
        club = get_page(visitor, "/le-club").get_data(as_text=True)
        pdf = visitor.get("/le-club/bilan/2026.pdf")
    assert "Bonne année" in html and PUBLIC_TITLE in html
    for private in (
        PRIVATE_TITLE,
        "R2",
        PROBLEM_TEXT,
        "Hélène",
        "Karim",
        "Sofia",
        "Paul",
        "Léo",
        "E1",
        "Document interne Bêta",
    ):
        assert not re.search(rf"\b{re.escape(private)}\b", html), private
    assert "Rencontre — pour les membres" in html
    assert 'href="/le-club/bilan/2026"' in club
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_unpublishing_states_its_effect_and_takes_the_page_down(coord, db):
    with freeze_time(NOW):
        coord.confirm(URL + "/publier")
        asked = get_page(coord, URL + "/retirer").get_data(as_text=True)
        assert "ne seront plus accessibles au public" in " ".join(effects_of(asked))
        coord.confirm(URL + "/retirer")
        assert coord.get("/le-club/bilan/2026").status_code == 404
        assert 'href="/le-club/bilan/2026"' not in coord.get("/le-club").get_data(as_text=True)
    assert _actions(db) == ["report.published", "report.unpublished"]


def test_members_and_visitors_cannot_reach_the_coordinators_pages(client, bilan, people):
    with freeze_time(NOW):
        for url in (URL, URL + ".pdf", "/coordination/bilan", URL + "/publier"):
            assert client.get(url).status_code in (302, 401, 403), url
        client.login(people["helene"].email)
        for url in (URL, URL + ".pdf", "/coordination/bilan", URL + "/publier"):
            assert client.get(url).status_code == 403, url


def test_the_coordinators_pdf_shows_the_live_figures_and_texts(coord):
    with freeze_time(NOW):
        coord.submit(URL + "/textes", {"introduction": "Une année **pleine**", "highlights": "- Le forum"}, URL)
        _pages, text = pdf_text(coord.get(URL + ".pdf"))
    assert "Bilan 2026" in text and "Une année pleine" in text and "• Le forum" in text
    assert PRIVATE_TITLE in text
    assert "Total 3 rencontres 5 5" in text
    assert "93 Seine-Saint-Denis 5 2" in text and "94 Val-de-Marne 2 1" in text
    assert "exprimées : 5 ; ayant reçu une réponse utile : 2" in text
    assert "Communiqués envoyés 2" in text and "Désabonnements 1" in text


def test_the_public_pdf_is_the_frozen_version_without_private_titles(coord, make_meeting):
    with freeze_time(NOW):
        coord.confirm(URL + "/publier")
        make_meeting(day=(2026, 10, 8), status="held", title="Une de plus", audience="public")
        _pages, text = pdf_text(coord.get("/le-club/bilan/2026.pdf"))
    assert PUBLIC_TITLE in text and "Rencontre — pour les membres" in text
    assert PRIVATE_TITLE not in text and "Une de plus" not in text
    assert "Total 3 rencontres 5 5" in text


def test_queries_do_not_grow_with_the_data(coord, count_queries, make_meeting, db, people):
    from tests.meetings.test_attendance import register

    def count(url):
        with freeze_time(NOW), count_queries() as counter:
            assert coord.get(url).status_code == 200
        return len(counter.statements)

    with freeze_time(NOW):
        coord.confirm(URL + "/publier")
    before = {url: count(url) for url in (URL, "/le-club/bilan/2026", "/coordination/bilan")}
    with freeze_time(NOW):
        for day in range(1, 9):
            meeting = make_meeting(day=(2026, 10, day), status="held", title=f"Extra {day}")
            for name in ("helene", "sofia", "paul"):
                register(db, meeting, people[name], attendance="present")
    after = {url: count(url) for url in before}
    assert after == before
    assert before[URL] <= 25, before
