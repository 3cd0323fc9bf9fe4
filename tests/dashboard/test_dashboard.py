"""The coordinators' dashboard shows the hand-counted figures of tests/dashboard/club_fixture.py."""

import html5lib
import pytest
from freezegun import freeze_time

from tests.dashboard.club_fixture import NOW, club  # noqa: F401 (a fixture)
from tests.pages import get_page

NS = "{http://www.w3.org/1999/xhtml}"


def _page(client, url="/coordination"):
    html = get_page(client, url).get_data(as_text=True)
    return html5lib.HTMLParser(namespaceHTMLElements=True).parse(html), html


def _text(doc, element_id: str) -> str:
    found = [el for el in doc.iter() if el.get("id") == element_id]
    assert found, element_id
    return " ".join("".join(found[0].itertext()).replace("\u202f", " ").replace("\xa0", " ").split())


def _value(doc, element_id: str) -> str:
    found = [el for el in doc.iter() if el.get("id") == element_id][0]
    value = next(el for el in found.iter() if el.get("class") == "stat__value")
    return "".join(value.itertext()).replace("\u202f", " ").replace("\xa0", " ")


def _table(doc, table_id: str) -> dict[str, list[str]]:
    table = [el for el in doc.iter() if el.get("id") == table_id][0]
    rows = {}
    for tr in table.find(f"{NS}tbody").findall(f"{NS}tr"):
        cells = [" ".join("".join(c.itertext()).replace("\u202f", " ").split()) for c in tr]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture
def board(client, club, coordinator):  # noqa: F811
    with freeze_time(NOW):
        client.login(coordinator.email)
        yield client


def test_to_do_counts_each_waiting_task_and_links_to_its_list(board):
    with freeze_time(NOW):
        doc, html = _page(board)
    expected = {
        "todo-applications": ("1", "/coordination/adhesions?status=pending"),
        "todo-practices": ("1", "/coordination/pratiques?statut=submitted"),
        "todo-problems": ("2", "/coordination/problematiques?sans_reponse=1"),
        "todo-offers": ("1", "/inscrits?statut=offered"),
        "todo-bounced": ("1", "/coordination/presse/contacts?statut=bounced"),
        "todo-mail_failures": ("2", "/coordination/courriels/?statut=failed"),
    }
    for element_id, (count, link) in expected.items():
        assert _value(doc, element_id) == count, element_id
        li = [el for el in doc.iter() if el.get("id") == element_id][0]
        assert link in li.find(f"{NS}a").get("href"), element_id


def test_problems_without_a_good_answer_are_the_loop_s_unanswered(board, club, coordinator):  # noqa: F811
    from clubess.practices.problem_loop import loop

    with freeze_time(NOW):
        unanswered = loop(coordinator).unanswered_total
        doc, _html = _page(board)
    assert _value(doc, "todo-problems") == str(unanswered) == "2"


def test_the_club_counts_members_by_kind_and_by_departement_on_the_period_s_day(board):
    with freeze_time(NOW):
        doc, html = _page(board, "/coordination?annee=2026")
    assert _value(doc, "club-members") == "5"
    assert _table(doc, "chart-kinds-table") == {
        "Commune": ["3"], "Établissement public territorial (EPT)": ["1"], "Intercommunalité (EPCI)": ["1"]
    }  # fmt: skip
    assert _table(doc, "chart-departments-table") == {"93 Seine-Saint-Denis": ["4"], "94 Val-de-Marne": ["2"]}
    assert "223 934 habitants sur 12 000 000" in _text(doc, "club-coverage")
    assert _value(doc, "club-coverage") == "1,9 %"
    assert _value(doc, "club-elus") == "3"
    assert _value(doc, "club-agents") == "2"
    assert _value(doc, "club-accounts") == "3"
    assert "dont 1 utilisés" in _text(doc, "club-accounts")
    assert _table(doc, "chart-new-members-table") == {
        "T1 2026": ["3"], "T2 2026": ["1"], "T3 2026": ["1"], "T4 2026": ["0"]
    }  # fmt: skip
    assert "<svg" in html and 'role="img"' in html and '<title id="chart-kinds-title">' in html


def test_a_member_that_left_counts_until_its_last_day(board):
    with freeze_time(NOW):
        doc, _html = _page(board, "/coordination?annee=2026&trimestre=1")
    assert _value(doc, "club-members") == "4"  # Seine-Saint-Denis left on 31 March
    assert "203 934 habitants" in _text(doc, "club-coverage")
    assert _value(doc, "club-elus") == "4"
    assert _value(doc, "club-agents") == "3"
    assert "pendant la période : 2 sur 4." in _text(doc, "never-came")
    assert _value(doc, "press-sent") == "1"
    assert _value(doc, "press-reach") == "2"
    assert _value(doc, "press-bounces") == "1"
    assert _value(doc, "press-unsubscribes") == "0"


def test_meetings_show_fill_rate_trend_attendance_and_who_never_came(board):
    with freeze_time(NOW):
        doc, _html = _page(board, "/coordination?annee=2026")
    rows = _table(doc, "next-meetings")
    assert list(rows) == ["N1", "N2"]  # (their own page names them; the rows link to the registrants)
    assert rows["N1"][1:] == ["3 sur 10", "30,0 %", "1", "3 cette semaine, 1 la semaine précédente (en hausse)"]
    assert rows["N2"][2] == "sans limite de places"
    assert _table(doc, "chart-attendance-table") == {
        "T1 2026": ["1", "3"], "T2 2026": ["1", "2"], "T3 2026": ["0", "0"], "T4 2026": ["0", "0"]
    }  # fmt: skip
    assert _text(doc, "chart-attendance-caption") == "En 2026 : rencontres tenues : 2 ; présences : 5."
    assert "pendant la période : 3 sur 6." in _text(doc, "never-came")
    link = [el for el in doc.iter(f"{NS}a") if "/coordination/participation" in el.get("href", "")][0].get("href")
    with freeze_time(NOW):
        listed = board.get(link).get_data(as_text=True)
    never = listed[listed.index('id="jamais-venues"') :]
    for name in ("Entre Deux", "Est Ensemble", "Seine-Saint-Denis"):
        assert name in never


def test_library_and_problems_figures(board):
    with freeze_time(NOW):
        doc, _html = _page(board, "/coordination?annee=2026")
    practices = _table(doc, "practices-table")
    assert practices["Soutien aux structures de l’ESS"] == ["0", "1", "2", "0"]
    assert practices["Achats responsables"] == ["1", "0", "1", "1"]
    assert practices["Foncier et tiers-lieux"] == ["0", "0", "0", "0"]
    assert _table(doc, "chart-practices-table")["Soutien aux structures de l’ESS"] == ["2"]
    assert _table(doc, "chart-problems-table") == {
        "T1 2026": ["1", "1"], "T2 2026": ["1", "1"], "T3 2026": ["2", "0"], "T4 2026": ["0", "0"]
    }  # fmt: skip
    assert _text(doc, "chart-problems-caption") == (
        "En 2026 : problématiques exprimées : 4 ; avec une réponse utile : 2."
    )
    assert list(_table(doc, "chart-themes-table").items()) == [
        ("Tiers-lieux", ["2"]),
        ("Emploi", ["1"]),
        ("foncier", ["1"]),
    ]


def test_press_figures_of_the_year(board):
    with freeze_time(NOW):
        doc, _html = _page(board, "/coordination?annee=2026")
    assert [_value(doc, f"press-{k}") for k in ("sent", "reach", "bounces", "unsubscribes")] == ["2", "3", "1", "1"]


def test_an_empty_period_shows_zeros_and_no_chart(board):
    with freeze_time(NOW):
        doc, html = _page(board, "/coordination?annee=2023")
    assert _value(doc, "club-members") == "0"
    assert _value(doc, "club-coverage") == "0,0 %"
    assert [_value(doc, f"press-{k}") for k in ("sent", "reach", "bounces", "unsubscribes")] == ["0", "0", "0", "0"]
    assert "Aucune donnée pour cette période." in html
    assert _table(doc, "chart-attendance-table")["T1 2023"] == ["0", "0"]


@pytest.mark.parametrize(
    "query",
    [
        "annee=99999999999999",
        "annee=abc&trimestre=9",
        "annee=%00&trimestre=-1",
        "annee=%C2%B2&trimestre=%C2%B2",
        "annee=２０２６",
        "trimestre=" + "1" * 5000,
    ],
)
def test_a_malformed_period_falls_back_to_this_year(board, query):
    with freeze_time(NOW):
        doc, _html = _page(board, "/coordination?" + query)
    assert "année 2026" in _text(doc, "period")


def test_the_dashboard_is_for_coordinators_only(client, club):  # noqa: F811
    assert client.get("/coordination").status_code == 302
    client.login("helene@montreuil.fr")
    assert client.get("/coordination").status_code == 403


def test_the_dashboard_runs_the_same_queries_whatever_the_size(board, db, count_queries, make_meeting):
    from datetime import date

    from clubess.members.hierarchy import refresh_links
    from clubess.members.models import Collectivity, Member, Territory
    from clubess.practices.models import Practice, Problem
    from tests.dashboard.club_fixture import utc
    from tests.meetings.test_attendance import register

    with freeze_time(NOW):
        board.get("/coordination")
        with count_queries() as few:
            get_page(board, "/coordination?annee=2026")
        members = []
        for i in range(40):
            t = Territory(code=f"95{i:03d}", kind="commune", name=f"C{i}", search_name=f"c{i}", department_code="95")
            c = Collectivity(territory=t, status="active", joined_on=date(2026, 1 + i % 10, 1))
            members.append(Member(collectivity=c, kind="elu", first_name="E", last_name=f"{i}", email=f"e{i}@x.fr"))
            db.session.add_all([t, c])
            db.session.add(Practice(ref=f"X-{i}", title="x", lever="foncier_tiers_lieux", status="published"))
            db.session.add(Problem(text="x", created_at=utc(2026, 1 + i % 12, 2), themes=[f"thème {i % 7}"]))
        db.session.add_all(members)
        refresh_links()
        db.session.commit()
        for i in range(8):
            meeting = make_meeting(day=(2026, 12, 1 + i), title=f"M{i}", capacity=5)
            for member in members[i * 5 : i * 5 + 5]:
                register(db, meeting, member)
        with count_queries() as many:
            doc, _html = _page(board, "/coordination?annee=2026")
    assert _value(doc, "club-members") == "45"
    assert many.count == few.count <= 25, many.statements


def test_each_to_do_link_opens_its_filtered_list(board):
    with freeze_time(NOW):
        doc, _html = _page(board)
        links = {
            el.get("id"): el.find(f"{NS}a").get("href")
            for el in doc.iter(f"{NS}li")
            if el.get("id", "").startswith("todo-")
        }
        pages = {key: board.get(href) for key, href in links.items()}
    assert {key: r.status_code for key, r in pages.items()} == dict.fromkeys(links, 200)
    assert "Paul Roux" in pages["todo-offers"].get_data(as_text=True)
    assert "P2" in pages["todo-problems"].get_data(as_text=True)
    assert "z@presse.fr" in pages["todo-bounced"].get_data(as_text=True)
