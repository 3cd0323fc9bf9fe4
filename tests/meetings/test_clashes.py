"""Warnings before creating what may already exist: meetings at the same time, an identical speaker.

A clash: a draft or published meeting overlapping in time (touching ends do not clash; cancelled and held
meetings do not count). An identical speaker: same name and organisation once normalised, or the same member.
Nothing is created before the coordinator goes on; nothing legitimate is refused.
"""

from datetime import time

import pytest
import sqlalchemy as sa

from clubess.meetings import clashes
from clubess.meetings.models import Meeting, MeetingSeries, Speaker
from tests.fixtures_meetings import meeting_form, paris
from tests.meetings.test_series_and_meetings import SERIES_FORM
from tests.pages import check_page

# SERIES_FORM: the third Thursday of March, June, September and December 2027, 09:30-12:30


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _key(page: str) -> str:
    return page.split('name="acknowledge" value="')[1].split('"')[0]


@pytest.mark.parametrize(
    ("start", "end", "status", "clash"),
    [
        ((9, 30), (12, 30), "published", True),  # the same time
        ((11, 0), (13, 0), "published", True),  # overlapping the end
        ((8, 0), (10, 0), "published", True),  # overlapping the start
        ((8, 0), (18, 0), "published", True),  # around it
        ((10, 0), (11, 0), "draft", True),  # inside a draft
        ((12, 30), (14, 0), "published", False),  # starts when the other ends
        ((8, 0), (9, 30), "published", False),  # ends when the other starts
        ((9, 30), (12, 30), "cancelled", False),  # a cancelled meeting frees its time
        ((9, 30), (12, 30), "held", False),
    ],
)
def test_what_counts_as_a_clash(db, make_meeting, start, end, status, clash):
    existing = make_meeting(status=status)  # 17 June 2027, 09:30-12:30
    found = clashes.overlapping([(paris(2027, 6, 17, *start), paris(2027, 6, 17, *end))])
    assert found == ([existing] if clash else [])
    assert clashes.overlapping([(paris(2027, 6, 18, *start), paris(2027, 6, 18, *end))]) == []  # another day


@pytest.mark.parametrize(
    ("name", "organisation", "same"),
    [
        ("Claire Fontaine", "CRESS Île-de-France", True),
        ("  claire   FONTAINE ", "cress ile de france", True),  # case, accents, spaces, hyphens
        ("Claire Fontaine", "CRESS Ile-de-France.", True),
        ("Claire Fontaine", "", False),  # the organisation tells homonyms apart
        ("Claire Fontaine", "RTES", False),
        ("Claire Fontenay", "CRESS Île-de-France", False),
        ("Fontaine Claire", "CRESS Île-de-France", False),  # a different name as written
    ],
)
def test_what_counts_as_an_identical_speaker(db, name, organisation, same):
    existing = Speaker(name="Claire Fontaine", organisation="CRESS Île-de-France")
    db.session.add(existing)
    db.session.commit()
    assert clashes.same_speakers(name, organisation, None) == ([existing] if same else [])


def test_a_speaker_linked_to_the_same_member_is_the_same_person(db, people):
    existing = Speaker(name="Hélène Durand", organisation="Montreuil", member_id=people["helene"].id)
    db.session.add(existing)
    db.session.commit()
    assert clashes.same_speakers("H. Durand", "Ville de Montreuil", people["helene"].id) == [existing]
    assert clashes.same_speakers("H. Durand", "Ville de Montreuil", people["karim"].id) == []


def test_a_series_at_the_time_of_published_meetings_warns_first_then_goes_on(client, coordinator, db, make_meeting):
    june = make_meeting(title="Rencontre de juin")  # 17 June 2027, 09:30-12:30: an occurrence of the series
    september = make_meeting(title="Atelier de septembre", status="draft", day=(2027, 9, 16), start=time(11))
    make_meeting(title="Annulée", status="cancelled", day=(2027, 3, 18))
    client.login(coordinator.email)
    response = client.submit("/coordination/series/nouvelle", SERIES_FORM)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    check_page(page)
    assert "2 rencontres ont lieu au même moment" in page
    assert f'href="/coordination/rencontres/{june.id}"' in page and "Rencontre de juin" in page
    assert f'href="/coordination/rencontres/{september.id}"' in page and "Annulée" not in page
    assert "Rien n’est enregistré" in page and 'href="/coordination/rencontres"' in page  # go back
    assert 'value="Rencontres trimestrielles 2027"' in page  # the form is kept
    assert _count(db, MeetingSeries) == 0 and _count(db, Meeting) == 3

    stale = client.submit("/coordination/series/nouvelle", {**SERIES_FORM, "acknowledge": f"meeting:{june.id}"})
    assert stale.status_code == 200 and _count(db, MeetingSeries) == 0  # confirmed for another warning: asks again

    response = client.submit("/coordination/series/nouvelle", {**SERIES_FORM, "acknowledge": _key(page)})
    assert response.status_code == 302
    assert _count(db, MeetingSeries) == 1 and _count(db, Meeting) == 7


def test_a_series_that_clashes_with_nothing_is_created_without_a_warning(client, coordinator, db, make_meeting):
    make_meeting(title="Rencontre de juin")  # 09:30-12:30
    make_meeting(title="Annulée", status="cancelled", day=(2027, 3, 18))
    client.login(coordinator.email)
    afternoon = {**SERIES_FORM, "start_time": "14:00", "end_time": "17:00", "template": ""}
    assert client.submit("/coordination/series/nouvelle", afternoon).status_code == 302
    assert _count(db, MeetingSeries) == 1


def test_a_meeting_created_or_moved_onto_another_warns_first(client, coordinator, db, make_meeting):
    existing = make_meeting(title="Rencontre de juin")
    other = make_meeting(title="Atelier du 18", day=(2027, 6, 18))
    client.login(coordinator.email)
    form = {**meeting_form(existing), "title": "Atelier réemploi"}
    page = client.submit("/coordination/rencontres/nouvelle", form).get_data(as_text=True)
    check_page(page)
    assert "Une rencontre a lieu au même moment" in page and "Créer quand même" in page
    assert _count(db, Meeting) == 2
    assert client.submit("/coordination/rencontres/nouvelle", {**form, "acknowledge": _key(page)}).status_code == 302
    assert _count(db, Meeting) == 3

    # moving the 18 June workshop onto the 17th warns; saving it at its own time does not
    url = f"/coordination/rencontres/{other.id}"
    moved = meeting_form(other, title="Atelier du 18")
    page = client.submit(url, moved).get_data(as_text=True)
    assert "2 rencontres ont lieu au même moment" in page
    db.session.expire_all()
    assert db.session.get(Meeting, other.id).starts_at == paris(2027, 6, 18, 9, 30)
    assert client.submit(url, {**moved, "acknowledge": _key(page)}).status_code == 302
    assert client.submit(url, {**moved, "title": "Atelier (titre corrigé)"}).status_code == 302  # not moved


def test_a_duplicate_kept_at_the_same_date_warns_and_one_at_a_free_date_does_not(client, coordinator, db, make_meeting):
    meeting = make_meeting(title="Rencontre de juin")
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}/dupliquer"
    response = client.submit(url, {"dup-day": "2027-06-17"}, form_url=f"/coordination/rencontres/{meeting.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    check_page(page)
    assert f'href="/coordination/rencontres/{meeting.id}"' in page and "Créer la copie quand même" in page
    assert _count(db, Meeting) == 1
    response = client.submit(
        url, {"dup-day": "2027-06-17", "acknowledge": _key(page)}, form_url=f"/coordination/rencontres/{meeting.id}"
    )
    assert response.status_code == 302 and _count(db, Meeting) == 2
    response = client.submit(url, {"dup-day": "2027-10-14"}, form_url=f"/coordination/rencontres/{meeting.id}")
    assert response.status_code == 302 and _count(db, Meeting) == 3


def test_an_identical_speaker_warns_with_the_existing_one_and_an_edit_does_not(client, coordinator, db):
    existing = Speaker(name="Claire Fontaine", organisation="CRESS Île-de-France", kind="partenaire")
    db.session.add(existing)
    db.session.commit()
    client.login(coordinator.email)
    form = {"name": "claire fontaine", "organisation": "CRESS Ile de France", "kind": "partenaire", "member_id": "0"}
    page = client.submit("/coordination/intervenants", form).get_data(as_text=True)
    check_page(page)
    assert "Cet intervenant est déjà dans l’annuaire" in page
    assert f'href="/coordination/intervenants/{existing.id}"' in page
    assert _count(db, Speaker) == 1
    homonym = {**form, "organisation": "RTES"}
    assert client.submit("/coordination/intervenants", homonym).status_code == 302  # another person: no warning
    assert client.submit("/coordination/intervenants", {**form, "acknowledge": _key(page)}).status_code == 302
    assert _count(db, Speaker) == 3
    edit = {"name": "Claire Fontaine", "organisation": "CRESS Île-de-France", "kind": "partenaire", "bio": "Directrice"}
    response = client.submit(f"/coordination/intervenants/{existing.id}", {**edit, "member_id": "0"})
    assert response.status_code == 302  # changing the bio of a speaker is not creating a duplicate
