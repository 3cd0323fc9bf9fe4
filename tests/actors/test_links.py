"""Speakers, meetings and practices linked to the directory."""

import pytest

from tests.pages import get_page


@pytest.fixture
def linked(db, actors, corpus, make_meeting, coordinator):
    from clubess.meetings.models import Speaker

    meeting = make_meeting(status="published", audience="public")
    speaker = Speaker(name="Inès Martin", organisation="Recyclerie", title="Directrice")
    db.session.add(speaker)
    db.session.commit()
    return {"meeting": meeting, "speaker": speaker, "practice": corpus["P01"]}


def test_a_coordinator_links_a_structure_to_a_speaker_a_meeting_and_a_practice(
    client, db, actors, linked, coordinator, active_collectivity
):
    listed = actors["listed"]
    url = f"/coordination/acteurs/{listed.id}"
    client.login(coordinator.email)
    page = get_page(client, url).get_data(as_text=True)
    assert "Inès Martin — Recyclerie" in page
    wrong = client.submit(f"{url}/liens", {"practices": "NOPE1"}, form_url=url)
    assert wrong.status_code == 200 and "Pratique inconnue : NOPE1" in wrong.get_data(as_text=True)
    done = client.submit(
        f"{url}/liens",
        {"speakers": str(linked["speaker"].id), "meetings": str(linked["meeting"].id), "practices": "P01"},
        form_url=url,
    )
    assert done.status_code == 302
    meeting_page = get_page(client, f"/rencontres/{linked['meeting'].id}").get_data(as_text=True)
    assert "Co-organisée avec" in meeting_page and "Recyclerie du Bas-Montreuil" in meeting_page
    client.get("/")
    portrait = get_page(client, f"/acteurs/{listed.id}").get_data(as_text=True)
    assert linked["meeting"].title in portrait and linked["practice"].title in portrait and "Inès Martin" in portrait


def test_links_to_a_structure_outside_the_directory_are_not_shown(client, db, actors, linked, coordinator):
    from clubess.actors import links

    links.set_links(coordinator, actors["gone"], [], [linked["meeting"].id], ["P01"])
    db.session.commit()
    html = get_page(client, f"/rencontres/{linked['meeting'].id}").get_data(as_text=True)
    assert "Ancienne Coop" not in html and "Co-organisée avec" not in html
