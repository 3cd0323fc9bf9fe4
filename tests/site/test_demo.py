"""Demo data is marked as fictitious wherever it shows: pages, lists, the API, exports and calendars.

The demo invents practices, budgets, jobs, speakers and members for real, named collectivities (Montreuil,
Seine-Saint-Denis…). Every row `flask demo load` writes is flagged, and every place that shows a flagged row
says « Exemple fictif (données de démonstration) ».
"""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from clubess.meetings.models import Meeting, Speaker
from clubess.members.models import Collectivity
from clubess.practices.models import Practice
from clubess.press.models import Communique
from tests.fixtures_meetings import paris
from tests.pages import get_page

FICTITIOUS = "Exemple fictif (données de démonstration)"
FICTITIOUS_EN = "Fictitious example (demo data)"
FLAGGED = [Practice, Meeting, Speaker, Collectivity, Communique]


@pytest.fixture
def demo_loaded(db):
    from clubess.demo import load_demo

    load_demo()
    return db


def test_the_demo_loader_flags_every_row_it_invents(demo_loaded):
    db = demo_loaded
    for model in FLAGGED:
        rows = db.session.scalars(sa.select(model)).all()
        assert rows, model
        assert all(row.demo for row in rows), [row for row in rows if not row.demo]


def test_a_database_loaded_before_the_flag_existed_is_flagged_by_the_migration(demo_loaded, app):
    from clubess.meetings.followup_demo import WORKSHOP

    db = demo_loaded
    # rows the demo writes since the flag exists were never unflagged: the migration need not know them
    since = {Meeting: Meeting.title != WORKSHOP}
    counts = {
        model: db.session.scalar(sa.select(sa.func.count()).select_from(model).where(since.get(model, sa.true())))
        for model in FLAGGED
    }
    db.session.remove()
    downgrade(revision="6656bfd725f9")  # the schema before the flag: the demo rows stay
    upgrade()
    for model, count in counts.items():
        flagged = db.session.scalar(
            sa.select(sa.func.count()).select_from(model).where(model.demo, since.get(model, sa.true()))
        )
        assert flagged == count, model


def test_rows_written_by_people_are_not_fictitious(db, territories):
    practice = Practice(ref="R1", title="Real", lever="soutien_structures", status="published")
    db.session.add(practice)
    db.session.commit()
    assert practice.demo is False


# --- every page, list, API answer and export ----------------------------------------------------

NS = "{http://www.w3.org/1999/xhtml}"
DEMO_TITLES = ["Solidarity fund", "Quarterly meeting", "Robin Hood", "Launch"]
REAL_TITLES = ["Real fund", "Real meeting", "Real news"]


@pytest.fixture
def demo_site(site, db, territories):
    """The site's data, where the practice, the meeting, the speaker, Montreuil and a communiqué are demo rows,
    next to real ones of each kind."""
    from clubess.members.models import Member
    from clubess.practices.search.index import index_practice

    for model, where in [
        (Practice, Practice.ref == "X01"),
        (Meeting, Meeting.title == "Quarterly meeting"),
        (Speaker, Speaker.name == "Robin Hood"),
        (Communique, Communique.slug == "launch"),
        (Collectivity, Collectivity.status == "active"),
    ]:
        db.session.execute(sa.update(model).where(where).values(demo=True))
    real = Practice(
        ref="X03",
        title="Real fund",
        summary="A fund.",
        lever="ecosysteme_financement",
        themes=["funding"],
        territory_name="Val-de-Marne",
        status="published",
        published_at=datetime(2026, 1, 3, tzinfo=UTC),
    )
    db.session.add(real)
    db.session.flush()
    index_practice(real)
    lhay = Collectivity(territory=territories["94038"], status="active", joined_on=date(2026, 2, 1))
    db.session.add_all(
        [
            lhay,
            Member(collectivity=lhay, kind="elu", first_name="Pat", last_name="Real", email="pat@lhay.fr"),
            Meeting(
                kind="rencontre",
                title="Real meeting",
                starts_at=paris(2027, 9, 16, 9, 30),
                ends_at=paris(2027, 9, 16, 12, 30),
                format="presentiel",
                venue="Hall",
                status="published",
            ),
            Communique(
                slug="real-news",
                title="Real news",
                body="News.",
                status="published",
                published_at=datetime(2026, 1, 6, tzinfo=UTC),
            ),
        ]
    )
    db.session.commit()
    return site


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _items(root, title: str) -> list:
    """The innermost list items or table rows that show `title`."""
    found = [el for el in root.iter() if el.tag in (f"{NS}li", f"{NS}tr") and title in _text(el)]
    return [el for el in found if not any(other is not el and other in found for other in el.iter())]


def _check_page(html: str) -> list[str]:
    """What is wrong on one page: a demo row shown without the notice, or a list that does not tell them apart."""
    import html5lib

    root = html5lib.parse(html)
    main = root.find(f".//{NS}main")
    if main is None:
        return []
    text = _text(main)
    shown = [t for t in DEMO_TITLES if t in text]
    notice = 'class="notice notice--warning demo-notice"' in html
    wrong = []
    if shown and not notice:
        wrong.append(f"shows {shown} without the page notice")
    mixed = [t for t in REAL_TITLES if t in text]
    if shown and mixed:  # a list of both: each item says what it is
        for title in shown:
            wrong += [
                f"item {_text(el)[:60]!r} lacks the mark" for el in _items(main, title) if FICTITIOUS not in _text(el)
            ]
        for title in mixed:
            wrong += [
                f"real item {_text(el)[:60]!r} is marked" for el in _items(main, title) if FICTITIOUS in _text(el)
            ]
    return wrong


@pytest.mark.parametrize("who", ["visitor", "member", "coordinator", "admin"])
def test_every_page_that_shows_a_demo_row_says_it_is_fictitious(app, db, client, demo_site, coordinator, admin, who):
    from tests.site.test_english import _urls

    accounts = {"member": demo_site["member"], "coordinator": coordinator.email, "admin": admin.email}
    if who in accounts:
        client.login(accounts[who])
        client.choose_language("fr", "/")
    problems, shown = {}, 0
    for _endpoint, url in _urls(app, demo_site):
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        shown += any(t in html for t in DEMO_TITLES)
        wrong = _check_page(html)
        if wrong:
            problems[url] = wrong
    assert shown >= {"visitor": 5, "member": 10, "coordinator": 20, "admin": 20}[who], shown
    assert not problems, "\n".join(f"{url}: {wrong}" for url, wrong in problems.items())


def test_pages_of_real_rows_carry_no_notice(client, demo_site, coordinator, db):
    client.login(coordinator.email)
    real_meeting = db.session.scalar(sa.select(Meeting.id).where(Meeting.title == "Real meeting"))
    for url in [f"/rencontres/{real_meeting}", "/presse/real-news"]:
        html = get_page(client, url).get_data(as_text=True)
        assert "demo-notice" not in html and FICTITIOUS not in html, url
        assert "clubess:fictitious" not in html  # the placeholder never reaches the reader
    real_practice = db.session.scalar(sa.select(Practice.id).where(Practice.ref == "X03"))
    html = get_page(client, f"/bonnes-pratiques/{real_practice}").get_data(as_text=True)
    related = html.split("Pratiques proches", 1)[1]
    assert "Solidarity fund" in related and FICTITIOUS in related  # the page shows a demo row, marked


def test_the_directory_and_the_applications_tell_demo_collectivities_apart(client, demo_site, coordinator):
    import html5lib

    def marks(url):
        root = html5lib.parse(get_page(client, url).get_data(as_text=True))
        main = root.find(f".//{NS}main")
        return {
            name: [FICTITIOUS in _text(el) for el in _items(main, name)] for name in ("Montreuil", "L'Haÿ-les-Roses")
        }

    assert marks("/annuaire") == {"Montreuil": [True], "L'Haÿ-les-Roses": [False]}
    client.login(coordinator.email)
    assert marks("/coordination/adhesions?status=active") == {"Montreuil": [True], "L'Haÿ-les-Roses": [False]}


def test_the_api_says_which_items_are_fictitious(client, demo_site):
    practices = {p["ref"]: p for p in client.get("/api/v1/practices").get_json()["results"]}
    assert practices["X01"]["fictitious"] is True and practices["X01"]["fictitious_notice"] == FICTITIOUS
    assert practices["X03"]["fictitious"] is False and "fictitious_notice" not in practices["X03"]
    detail = client.get("/api/v1/practices/X01", headers={"Accept-Language": "en"}).get_json()
    assert detail["fictitious"] is True and detail["fictitious_notice"] == FICTITIOUS_EN
    matches = client.get("/api/v1/practices/match?text=un fonds pour financer les associations").get_json()
    flags = {m["ref"]: m["fictitious"] for m in matches["results"]}
    assert flags.get("X01") is True and flags.get("X03") is False
    meetings = {m["title"]: m for m in client.get("/api/v1/meetings").get_json()["results"]}
    assert meetings["Quarterly meeting"]["fictitious"] is True
    assert meetings["Real meeting"]["fictitious"] is False
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "fictitious" in schema["Practice"]["properties"] and "fictitious" in schema["Meeting"]["properties"]


def test_exports_say_which_practices_are_fictitious_and_an_import_keeps_it(app, client, demo_site, coordinator, db):
    from clubess.practices import transfer

    client.login(coordinator.email)
    rows = list(csv.DictReader(io.StringIO(client.get("/coordination/pratiques/export.csv").get_data(as_text=True))))
    by_ref = {row["ref"]: row for row in rows}
    assert by_ref["X01"]["fictitious"] == FICTITIOUS and by_ref["X03"]["fictitious"] == ""
    exported = json.loads(client.get("/coordination/pratiques/export.json").get_data(as_text=True))["practices"]
    assert {p["ref"]: p["fictitious"] for p in exported} == {"X01": FICTITIOUS, "X03": ""}
    for record in exported:
        record["ref"] = "COPY-" + record["ref"]
    report = transfer.import_records(exported)
    db.session.commit()
    assert report.created == 2
    copies = dict(db.session.execute(sa.select(Practice.ref, Practice.demo).where(Practice.ref.like("COPY-%"))).all())
    assert copies == {"COPY-X01": True, "COPY-X03": False}


def test_calendars_and_the_press_feed_say_it_too(client, demo_site, db):
    from icalendar import Calendar

    feed = Calendar.from_ical(client.get("/rencontres.ics").get_data())
    descriptions = {str(e["summary"]): str(e.get("description", "")) for e in feed.walk("VEVENT")}
    assert descriptions["Quarterly meeting"].startswith(FICTITIOUS)
    assert FICTITIOUS not in descriptions["Real meeting"]
    meeting_id = db.session.scalar(sa.select(Meeting.id).where(Meeting.title == "Quarterly meeting"))
    assert FICTITIOUS in client.get(f"/rencontres/{meeting_id}.ics").get_data(as_text=True).replace("\r\n ", "")
    atom = client.get("/presse/atom.xml").get_data(as_text=True)
    assert f"<title>Launch — {FICTITIOUS}</title>" in atom and "<title>Real news</title>" in atom
    page = client.get(f"/rencontres/{meeting_id}").get_data(as_text=True)
    assert f'"description": "{FICTITIOUS}"' in page  # the schema.org Event read by search engines


def test_a_problems_answers_tell_demo_practices_apart(client, demo_site, db):
    import html5lib

    from clubess.practices.models import Problem

    client.login(demo_site["member"])
    client.choose_language("fr", "/")
    problem_id = db.session.scalar(sa.select(Problem.id))
    main = html5lib.parse(get_page(client, f"/problematiques/{problem_id}").get_data(as_text=True)).find(f".//{NS}main")
    assert [FICTITIOUS in _text(el) for el in _items(main, "Solidarity fund")] == [True]
    assert [FICTITIOUS in _text(el) for el in _items(main, "Real fund")] == [False]
