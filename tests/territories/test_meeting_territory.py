"""A meeting's « Territoire concerné »: typed by name or code in the coordinators' form, without JavaScript."""

import pytest
import sqlalchemy as sa

from clubess.meetings.models import Meeting
from tests.meetings.test_series_and_meetings import MEETING_FORM

NEW = "/coordination/rencontres/nouvelle"


def saved(db) -> Meeting:
    db.session.expire_all()
    return db.session.scalar(sa.select(Meeting))


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Montreuil", "93048"),
        ("93048", "93048"),
        ("Montreuil (93048)", "93048"),
        (" est ensemble ", "200057875"),
        ("Seine-Saint-Denis (93)", "93"),
        ("st ouen", "93070"),
    ],
)
def test_a_coordinator_names_the_meeting_s_territory_by_name_or_code(client, db, coordinator, territories, typed, code):
    client.login(coordinator.email)
    response = client.submit(NEW, {**MEETING_FORM, "territory_code": typed})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert saved(db).territory_id == territories[code].id
    edit = client.get(response.headers["Location"]).get_data(as_text=True)
    name = territories[code].name.replace("'", "&#39;")
    assert f'value="{name} ({code})"' in edit  # the edit form shows it back, readable


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Atlantis", "Aucun territoire de la région ne s’appelle « Atlantis »"),
        ("99999", "Aucun territoire de la région n’a le code « 99999 »"),
        ("Montreuil (12345)", "n’a le code « 12345 »"),
        ("saint", "Plusieurs territoires correspondent"),
        ("x" * 201, "200"),
    ],
)
def test_an_unknown_or_ambiguous_territory_is_refused_and_what_was_typed_stays(
    client, db, coordinator, territories, typed, message
):
    client.login(coordinator.email)
    response = client.submit(NEW, {**MEETING_FORM, "territory_code": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert 'aria-invalid="true"' in html
    assert 'value="Atelier réemploi"' in html  # the rest of the form is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_the_territory_can_be_changed_and_removed(client, db, coordinator, territories, make_meeting):
    meeting = make_meeting(territory_id=territories["93048"].id)
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}"
    form = {**MEETING_FORM, "day": "2027-06-17", "start_time": "09:30", "end_time": "12:30", "format": "presentiel"}
    assert client.submit(url, {**form, "territory_code": "94038"}).status_code == 302
    assert saved(db).territory_id == territories["94038"].id
    assert client.submit(url, {**form, "territory_code": ""}).status_code == 302
    assert saved(db).territory_id is None


def test_a_copy_keeps_the_territory(db, coordinator, territories, make_meeting):
    from datetime import timedelta

    from clubess.meetings.services import duplicate_meeting

    meeting = make_meeting(territory_id=territories["93"].id)
    copy = duplicate_meeting(coordinator, meeting, meeting.starts_at + timedelta(days=7))
    assert copy.territory_id == territories["93"].id


def test_the_meeting_page_links_to_its_territory(client, territories, make_meeting):
    meeting = make_meeting(territory_id=territories["200057875"].id)
    html = client.get(f"/rencontres/{meeting.id}").get_data(as_text=True)
    assert '<dd><a href="/territoires/200057875">Est Ensemble</a></dd>' in html
    other = make_meeting(day=(2027, 7, 1))
    assert "Territoire concerné" not in client.get(f"/rencontres/{other.id}").get_data(as_text=True)


def test_a_name_with_an_acronym_in_parentheses_is_read_as_a_name(client, db, coordinator, territories):
    from clubess.members.models import Territory
    from clubess.members.territories import normalize

    name = "CC du Pays Houdanais (CCPH)"
    db.session.add(Territory(code="247800550", kind="epci", name=name, search_name=normalize(name)))
    db.session.commit()
    client.login(coordinator.email)
    for typed in (name, f"{name} (247800550)"):
        response = client.submit(NEW, {**MEETING_FORM, "territory_code": typed})
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        assert saved(db).territory.code == "247800550"
        db.session.delete(saved(db))
        db.session.commit()
