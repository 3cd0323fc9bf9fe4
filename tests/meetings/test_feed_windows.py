"""Feeds that do not grow with the club's history (issue 20): a window of time by default, `from`/`to`, pages with
their links, and conditional requests answered 304 until a meeting, its agenda or its speakers change."""

import re
from datetime import date, timedelta

import pytest

from clubess.core.timezone import today

TITLES = {"Il y a deux ans": -730, "Il y a six mois": -180, "Dans trois mois": 90, "Dans un an": 365}


def _day(offset: int) -> tuple[int, int, int]:
    d = today() + timedelta(days=offset)
    return (d.year, d.month, d.day)


@pytest.fixture
def history(db, make_meeting):
    meetings = {title: make_meeting(day=_day(offset), title=title, items=1) for title, offset in TITLES.items()}
    db.session.commit()
    return meetings


def _summaries(body: bytes) -> list[str]:
    return re.findall(r"^SUMMARY:(.*?)\r?$", body.decode(), re.M)


def test_the_feeds_hold_the_last_twelve_months_and_what_is_to_come_by_default(client, history):
    assert _summaries(client.get("/rencontres.ics").data) == ["Il y a six mois", "Dans trois mois", "Dans un an"]
    api = client.get("/api/v1/meetings").get_json()
    assert [m["title"] for m in api["results"]] == ["Il y a six mois", "Dans trois mois", "Dans un an"]
    assert api["total"] == 3 and api["to"] is None
    assert api["from"] == (today().replace(year=today().year - 1)).isoformat()


def test_from_and_to_choose_another_window(client, history):
    start = (today() - timedelta(days=800)).isoformat()
    end = (today() + timedelta(days=100)).isoformat()
    titles = _summaries(client.get(f"/rencontres.ics?from={start}&to={end}").data)
    assert titles == ["Il y a deux ans", "Il y a six mois", "Dans trois mois"]
    api = client.get(f"/api/v1/meetings?from={start}").get_json()
    assert api["total"] == 4


@pytest.mark.parametrize(
    "query", ["from=2026-13-01", "from=hier", "to=1999-12-31", "from=２０２６-01-01", "from=2027-01-02&to=2027-01-01"]
)
def test_a_bad_window_gets_a_clear_error(client, history, query):
    api = client.get(f"/api/v1/meetings?{query}")
    message = api.get_json()["error"]["message"]
    assert api.status_code == 400 and ("« from »" in message or "« to »" in message), message
    assert client.get(f"/rencontres.ics?{query}").status_code == 400


def test_pages_come_with_their_links(client, history):
    first = client.get("/api/v1/meetings?limit=2")
    body = first.get_json()
    assert (body["total"], body["pages"], body["page"]) == (3, 2, 1)
    assert [m["title"] for m in body["results"]] == ["Il y a six mois", "Dans trois mois"]
    assert body["links"]["next"].endswith("/api/v1/meetings?limit=2&page=2") and "prev" not in body["links"]
    assert 'rel="next"' in first.headers["Link"]
    second = client.get("/api/v1/meetings?limit=2&page=2").get_json()
    assert [m["title"] for m in second["results"]] == ["Dans un an"]
    assert "next" not in second["links"] and second["links"]["prev"].endswith("page=1")
    feed = client.get("/rencontres.ics?limit=2")
    assert _summaries(feed.data) == ["Il y a six mois", "Dans trois mois"]
    assert 'page=2>; rel="next"' in feed.headers["Link"]
    assert "Link" not in client.get("/rencontres.ics").headers  # the whole window in one calendar
    assert client.get("/api/v1/meetings?limit=0").status_code == 400


@pytest.mark.parametrize("url", ["/rencontres.ics", "/api/v1/meetings"])
def test_a_client_holding_the_current_version_gets_304_until_a_meeting_its_agenda_or_speakers_change(
    client, db, history, speakers, url, count_queries
):
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert "no-cache" in first.headers["Cache-Control"]
    with count_queries() as counter:
        again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and counter.count <= 2
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304

    for change in (
        lambda m: setattr(m, "title", "Dans trois mois en salle B"),
        lambda m: setattr(m.items[0], "title", "Point revu"),
        lambda m: m.items[0].speakers.append(speakers[0]),
    ):
        change(history["Dans trois mois"])
        db.session.commit()
        changed = client.get(url, headers={"If-None-Match": etag})
        assert changed.status_code == 200 and changed.headers["ETag"] != etag
        etag = changed.headers["ETag"]
    assert "Dans trois mois en salle B" in changed.get_data(as_text=True).replace("\\u00e9", "é")


def test_the_window_follows_the_calendar(client, history):
    """Last-Modified is at least today's midnight: a client asking with yesterday's date gets today's window."""
    yesterday = (today() - timedelta(days=1)).strftime("%a, %d %b %Y 23:00:00 GMT")
    assert date.today()  # the clock the app reads
    response = client.get("/rencontres.ics", headers={"If-Modified-Since": yesterday})
    assert response.status_code == 200
