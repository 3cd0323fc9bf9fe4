"""The public agenda, meeting pages and calendar files, checked with ical.js (an independent parser)."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from clubess.meetings.models import Meeting
from tests.calendar_checks import ical_js
from tests.fixtures_meetings import meeting_form
from tests.pages import get_page


def test_meeting_ics_reads_the_same_in_ical_js_in_summer_and_winter(client, make_meeting):
    summer = make_meeting(day=(2027, 6, 17))
    winter = make_meeting(day=(2027, 12, 16), title="Rencontre de décembre")
    for meeting in (summer, winter):
        response = client.get(f"/rencontres/{meeting.id}.ics")
        assert response.mimetype == "text/calendar"
        body = response.get_data()
        assert b"DTSTART;TZID=Europe/Paris:" in body and b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in body
        assert b"RDATE" not in body  # the RDATE form is misread by ical.js
        parsed = ical_js(body)
        [event] = parsed["events"]
        expected = meeting.starts_at.astimezone(ZoneInfo("Europe/Paris")).astimezone(UTC)
        assert datetime.fromisoformat(event["start_utc"].replace("Z", "+00:00")) == expected
        assert parsed["method"] == "PUBLISH" and event["attendees"] == 0
        assert event["url"].endswith(f"/rencontres/{meeting.id}")
    # 09:30 in Paris is 07:30Z in June and 08:30Z in December
    assert ical_js(client.get(f"/rencontres/{summer.id}.ics").get_data())["events"][0]["start_utc"].startswith(
        "2027-06-17T07:30"
    )
    assert ical_js(client.get(f"/rencontres/{winter.id}.ics").get_data())["events"][0]["start_utc"].startswith(
        "2027-12-16T08:30"
    )


def test_uid_is_stable_and_sequence_rises_on_a_time_change_only(client, coordinator, make_meeting, db):
    meeting = make_meeting()
    first = ical_js(client.get(f"/rencontres/{meeting.id}.ics").get_data())["events"][0]
    again = ical_js(client.get(f"/rencontres/{meeting.id}.ics").get_data())["events"][0]
    assert first["uid"] == again["uid"] == meeting.uid and first["sequence"] == 0
    client.login(coordinator.email)
    form = meeting_form(meeting, description="Une coquille corrigée")
    client.submit(f"/coordination/rencontres/{meeting.id}", form)
    assert ical_js(client.get(f"/rencontres/{meeting.id}.ics").get_data())["events"][0]["sequence"] == 0
    client.submit(f"/coordination/rencontres/{meeting.id}", {**form, "start_time": "10:00"})
    event = ical_js(client.get(f"/rencontres/{meeting.id}.ics").get_data())["events"][0]
    assert event["sequence"] == 1 and event["uid"] == meeting.uid
    assert event["start_utc"].startswith("2027-06-17T08:00")


def test_public_feed_lists_published_and_cancelled_meetings_never_drafts(client, make_meeting):
    make_meeting(title="Publiée")
    make_meeting(title="Annulée", status="cancelled", day=(2027, 3, 18))
    make_meeting(title="Brouillon", status="draft", day=(2027, 9, 16))
    parsed = ical_js(client.get("/rencontres.ics").get_data())
    statuses = {e["summary"]: e["status"] for e in parsed["events"]}
    assert statuses == {"Publiée": "CONFIRMED", "Annulée": "CANCELLED"}
    assert parsed["method"] == "PUBLISH" and all(e["attendees"] == 0 for e in parsed["events"])


def test_online_link_not_public_and_personal_feed_revocable(client, make_user, make_meeting, db):
    meeting = make_meeting(format="hybride", online_url="https://visio.example.org/secret")
    public = client.get(f"/rencontres/{meeting.id}.ics").get_data()
    assert b"visio.example.org" not in public
    assert "visio.example.org" not in client.get(f"/rencontres/{meeting.id}").get_data(as_text=True)
    make_user(email="membre@example.org")
    client.login("membre@example.org")
    get_page(client, "/espace/agenda")
    client.submit("/espace/agenda", {"action": "renew"})
    page = client.get("/espace/agenda").get_data(as_text=True)
    feed_url = page.split('id="feed-url" value="')[1].split('"')[0]
    path = feed_url.replace("http://localhost", "")
    parsed = ical_js(client.get(path).get_data())
    assert parsed["events"] == []  # neither invited nor registered: see test_online_link.py for the rest
    client.confirm("/espace/agenda", {"action": "renew"}, expect="cesse de fonctionner")
    assert client.get(path).status_code == 404  # the old link is revoked


def test_draft_meetings_are_not_public(client, make_meeting):
    draft = make_meeting(status="draft")
    assert client.get(f"/rencontres/{draft.id}").status_code == 404
    assert client.get(f"/rencontres/{draft.id}.ics").status_code == 404


def test_meeting_page_shows_the_timeline_speakers_map_and_calendar_links(client, make_meeting, speakers, db):
    meeting = make_meeting(items=2)
    meeting.items[1].speakers = speakers
    db.session.commit()
    html = get_page(client, f"/rencontres/{meeting.id}").get_data(as_text=True)
    assert "Claire Fontaine" in html and "Ressourcerie du Val" in html
    assert "openstreetmap.org/search" in html
    assert "calendar.google.com/calendar/render" in html and "outlook.office.com" in html
    ld = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["@type"] == "Event" and ld["startDate"].startswith("2027-06-17T09:30:00+02:00")


def test_agenda_filters_and_past_meetings(client, make_meeting):
    make_meeting(title="Atelier à Montreuil", kind="atelier_territorial", department_code="93", day=(2030, 1, 10))
    make_meeting(
        title="Webinaire sur la commande publique",
        kind="webinaire",
        format="en_ligne",
        venue="",
        online_url="https://v.example",
        day=(2030, 2, 10),
    )
    make_meeting(title="Rencontre passée", day=(2020, 3, 19))
    assert "Atelier à Montreuil" in get_page(client, "/rencontres?departement=93").get_data(as_text=True)
    assert "Webinaire sur" not in get_page(client, "/rencontres?departement=93").get_data(as_text=True)
    assert "Webinaire sur" in get_page(client, "/rencontres?format=en_ligne").get_data(as_text=True)
    past = get_page(client, "/rencontres?periode=passees").get_data(as_text=True)
    assert "Rencontre passée" in past and "Webinaire sur" not in past


def test_query_counts_do_not_grow_with_50_meetings_of_10_items(
    client, make_meeting, speakers, count_queries, db, no_page_cache
):
    def measure():
        with count_queries() as listing:
            get_page(client, "/rencontres")
        meeting = db.session.scalar(sa.select(Meeting).order_by(Meeting.id.desc()))
        with count_queries() as page:
            get_page(client, f"/rencontres/{meeting.id}")
        return listing.count, page.count

    first = make_meeting(items=10, day=(2030, 1, 1))
    first.items[0].speakers = speakers
    db.session.commit()
    small = measure()
    for i in range(49):
        m = make_meeting(items=10, day=(2030, 1 + i % 12, 1 + i % 28))
        m.items[0].speakers = speakers
    db.session.commit()
    assert measure() == small
    # the meeting's page: the meeting, its items, their speakers, its minutes, its documents, its co-organisers
    assert small[0] <= 3 and small[1] <= 6


def test_api_lists_published_meetings(client, make_meeting):
    make_meeting(title="Publiée")
    make_meeting(title="Brouillon", status="draft")
    data = client.get("/api/v1/meetings").json
    assert [m["title"] for m in data["results"]] == ["Publiée"]
    assert data["results"][0]["starts_at"] == "2027-06-17T09:30:00+02:00"


def test_home_shows_the_next_published_meeting_only(client, make_meeting):
    make_meeting(title="Rencontre en brouillon", status="draft", day=(2030, 1, 5))
    assert "Prochaine rencontre" not in client.get("/").get_data(as_text=True)
    make_meeting(title="Rencontre publiée", day=(2030, 2, 5))
    html = get_page(client, "/").get_data(as_text=True)
    assert "Prochaine rencontre" in html and "Rencontre publiée" in html and "brouillon" not in html


def test_demo_year_of_club_life(app, db):
    from clubess.meetings.models import MeetingSeries

    app.test_cli_runner().invoke(args=["demo", "load"])
    meetings = db.session.scalars(sa.select(Meeting)).all()
    kinds = [m.kind for m in meetings]
    assert kinds.count("rencontre") >= 4 and kinds.count("webinaire") == 1
    # two ateliers planned, and a territorial one held last month (its minutes and contributions: followup_demo)
    assert kinds.count("atelier_thematique") + kinds.count("atelier_territorial") == 3
    assert [m.status for m in meetings if m.kind.startswith("atelier")].count("held") == 1
    assert db.session.scalar(sa.select(MeetingSeries)).title == "Rencontres trimestrielles 2027"
    assert all(m.items for m in meetings) and any(i.speakers for m in meetings for i in m.items)


def test_calendar_feed_query_count_does_not_grow_with_meetings(client, make_meeting, speakers, count_queries, db):
    def measure():
        with count_queries() as counter:
            client.get("/rencontres.ics")
        return counter.count

    make_meeting(items=3, day=(2030, 1, 1)).items[0].speakers = speakers
    db.session.commit()
    small = measure()
    for i in range(20):
        make_meeting(items=3, day=(2030, 2, 1 + i)).items[0].speakers = speakers
    db.session.commit()
    assert measure() == small <= 5  # the data version, the window's count, the meetings, agenda, speakers


def test_a_meetings_ics_is_kept_per_data_version_and_answers_304(client, make_meeting, make_user, db, count_queries):
    meeting = make_meeting(title="Rencontre de printemps")
    url = f"/rencontres/{meeting.id}.ics"
    first = client.get(url)
    assert first.status_code == 200 and b"Rencontre de printemps" in first.data
    assert first.headers["Content-Disposition"] == f'attachment; filename="rencontre-{meeting.id}.ics"'
    etag = first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    with count_queries() as warm:
        again = client.get(url)
    assert again.data == first.data and warm.count <= 2  # its status and the data version: not its agenda
    meeting.title = "Rencontre d'été"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Rencontre d'été" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag
    # a draft stays a 404 for visitors, even once a coordinator's copy is kept
    draft = make_meeting(title="Brouillon", status="draft")
    make_user(role="coordinator", email="coord2@example.org")
    other = client.application.test_client()
    other.login("coord2@example.org")
    kept = other.get(f"/rencontres/{draft.id}.ics")
    assert kept.status_code == 200 and "private" in kept.headers["Cache-Control"]
    assert client.get(f"/rencontres/{draft.id}.ics").status_code == 404
