"""Series rules, occurrences, template agenda, meeting edits, SEQUENCE, bad input."""

from datetime import date

import pytest
import sqlalchemy as sa

from clubess.meetings.models import Meeting, MeetingSeries
from clubess.meetings.series import SeriesRule, rule_dates
from tests.fixtures_meetings import meeting_form, paris
from tests.pages import get_page


def test_third_thursday_of_the_last_month_of_each_quarter(app_ctx):
    rule = SeriesRule(rule="quarterly", year=2027, month_in_quarter=3, weekday=3, nth=3)
    assert rule_dates(rule) == [date(2027, 3, 18), date(2027, 6, 17), date(2027, 9, 16), date(2027, 12, 16)]
    last_friday = SeriesRule(rule="quarterly", year=2027, month_in_quarter=1, weekday=4, nth=-1)
    assert rule_dates(last_friday)[0] == date(2027, 1, 29)


SERIES_FORM = {
    "title": "Rencontres trimestrielles 2027",
    "kind": "rencontre",
    "rule": "quarterly",
    "year": "2027",
    "month_in_quarter": "3",
    "nth": "3",
    "weekday": "3",
    "start_time": "09:30",
    "end_time": "12:30",
    "format": "presentiel",
    "venue": "Maison de l'ESS",
    "address": "Paris",
    "template": "09:30-10:00 | Accueil café | accueil\n10:00-11:30 | Échange de pratiques | echange_bonnes_pratiques",
}


def test_coordinator_creates_a_series_of_draft_occurrences_with_the_template(client, coordinator, db):
    client.login(coordinator.email)
    get_page(client, "/coordination/series/nouvelle")
    response = client.submit("/coordination/series/nouvelle", SERIES_FORM)
    assert response.status_code == 302
    meetings = db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at)).all()
    assert len(meetings) == 4 and {m.status for m in meetings} == {"draft"}
    assert meetings[1].starts_at == paris(2027, 6, 17, 9, 30)
    assert [i.title for i in meetings[0].items] == ["Accueil café", "Échange de pratiques"]
    assert meetings[2].items[0].starts_at == paris(2027, 9, 16, 9, 30)  # summer time kept in Paris


def test_template_change_spares_occurrences_edited_on_their_own(client, coordinator, db):
    client.login(coordinator.email)
    client.submit("/coordination/series/nouvelle", SERIES_FORM)
    series = db.session.scalar(sa.select(MeetingSeries))
    edited = series.meetings[1]
    response = client.submit(
        f"/coordination/rencontres/{edited.id}/ordre-du-jour",
        {"item-title": "Table ronde des élus", "item-kind": "table_ronde", "item-start": "11:30", "item-end": "12:30"},
        form_url=f"/coordination/rencontres/{edited.id}",
    )
    assert response.status_code == 302
    response = client.submit(f"/coordination/series/{series.id}", {"template": "09:30-12:30 | Journée | intervention"})
    assert response.status_code == 302
    db.session.expire_all()
    series = db.session.get(MeetingSeries, series.id)
    assert [i.title for i in series.meetings[0].items] == ["Journée"]
    assert [i.title for i in series.meetings[1].items] == [
        "Accueil café",
        "Échange de pratiques",
        "Table ronde des élus",
    ]


def test_cancelling_one_occurrence_leaves_the_others(client, coordinator, db):
    client.login(coordinator.email)
    client.submit("/coordination/series/nouvelle", SERIES_FORM)
    first, *others = db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at)).all()
    client.confirm(f"/coordination/rencontres/{first.id}/statut?status=cancelled", expect="personne n’est prévenu")
    db.session.expire_all()
    assert db.session.get(Meeting, first.id).status == "cancelled"
    assert {db.session.get(Meeting, m.id).status for m in others} == {"draft"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rule": "quarterly", "year": ""}, "Cette règle ne donne aucune date"),
        ({"rule": "dates", "dates": ""}, "Cette règle ne donne aucune date"),
        ({"rule": "dates", "dates": "31/02/2027"}, "Date non comprise"),
        ({"end_time": "09:00"}, "L&#39;heure de fin doit suivre"),
        ({"template": "08:00-09:00 | Trop tôt | accueil"}, "sort des horaires"),
        ({"template": "n'importe quoi"}, "Ligne non comprise"),
        ({"online_url": "pas-une-url"}, "adresse web complète"),
    ],
)
def test_bad_series_input_gives_field_errors(client, coordinator, db, changes, message):
    client.login(coordinator.email)
    response = client.submit("/coordination/series/nouvelle", {**SERIES_FORM, **changes})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert 'value="Rencontres trimestrielles 2027"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


MEETING_FORM = {
    "title": "Atelier réemploi",
    "kind": "atelier_thematique",
    "day": "2027-01-14",
    "start_time": "14:00",
    "end_time": "17:00",
    "format": "hybride",
    "venue": "Ressourcerie",
    "address": "Montreuil",
    "online_url": "https://visio.example.org/atelier",
    "audience": "members",
    "capacity": "30",
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "13:00"}, "La fin doit suivre le début."),
        ({"capacity": "-5"}, "La capacité ne peut pas être négative."),
        ({"capacity": "2147483648"}, "Ce nombre est trop grand."),
        ({"capacity": "150000"}, "100 000 places au plus"),
        ({"capacity": "²"}, "N&#39;est pas un entier valide."),
        ({"online_url": "javascript:alert(1)"}, "adresse web complète"),
        ({"day": "2027-13-45"}, "Indiquez une date valide."),
        ({"format": "en_ligne", "online_url": ""}, "Indiquez le lien de connexion"),
        ({"registration_deadline": "2027-02-01"}, "La clôture des inscriptions doit précéder"),
    ],
)
def test_bad_meeting_input_gives_field_errors(client, coordinator, db, changes, message):
    client.login(coordinator.email)
    response = client.submit("/coordination/rencontres/nouvelle", {**MEETING_FORM, **changes})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_agenda_item_outside_the_meeting_is_refused_and_overlaps_are_flagged(client, coordinator, make_meeting, db):
    meeting = make_meeting()
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}/ordre-du-jour"
    outside = client.submit(
        url,
        {"item-title": "Trop tard", "item-kind": "intervention", "item-start": "12:00", "item-end": "13:00"},
        form_url=f"/coordination/rencontres/{meeting.id}",
    )
    assert "Ce point sort des horaires de la rencontre." in outside.get_data(as_text=True)
    for title, start, end in [("A", "09:30", "10:30"), ("B", "10:00", "11:00")]:
        client.submit(
            url,
            {"item-title": title, "item-kind": "intervention", "item-start": start, "item-end": end},
            form_url=f"/coordination/rencontres/{meeting.id}",
        )
    page = get_page(client, f"/coordination/rencontres/{meeting.id}").get_data(as_text=True)
    assert page.count("chevauchement") == 2


def test_sequence_rises_on_time_place_or_link_changes_only(client, coordinator, make_meeting, db):
    meeting = make_meeting(description="Texte")
    client.login(coordinator.email)
    base = meeting_form(meeting, description="Texte corrigé")
    url = f"/coordination/rencontres/{meeting.id}"
    client.submit(url, base)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).sequence == 0  # a typo fixed: no update for calendars
    client.submit(url, {**base, "start_time": "10:00"})
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).sequence == 1
    client.submit(url, {**base, "start_time": "10:00", "venue": "Hôtel de ville"})
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).sequence == 2


def test_duplicate_copies_agenda_speakers_and_settings(client, coordinator, make_meeting, speakers, db):
    meeting = make_meeting(items=2, capacity=40)
    meeting.items[0].speakers = speakers
    db.session.commit()
    client.login(coordinator.email)
    response = client.submit(
        f"/coordination/rencontres/{meeting.id}/dupliquer",
        {"dup-day": "2027-09-16"},
        form_url=f"/coordination/rencontres/{meeting.id}",
    )
    assert response.status_code == 302
    copy = db.session.scalar(sa.select(Meeting).where(Meeting.id != meeting.id))
    assert copy.status == "draft" and copy.capacity == 40 and copy.uid != meeting.uid
    assert copy.starts_at == paris(2027, 9, 16, 9, 30)
    assert [s.name for s in copy.items[0].speakers] == ["Claire Fontaine", "Marc Rousseau"]


def test_reorder_swaps_agenda_items(client, coordinator, make_meeting, db):
    meeting = make_meeting()
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}/ordre-du-jour"
    for title, start, end in [("Accueil", "09:30", "10:00"), ("Table ronde", "10:00", "11:00")]:
        client.submit(
            url,
            {"item-title": title, "item-kind": "accueil", "item-start": start, "item-end": end},
            form_url=f"/coordination/rencontres/{meeting.id}",
        )
    db.session.expire_all()
    second = db.session.get(Meeting, meeting.id).items[1]
    client.submit(
        f"/coordination/ordre-du-jour/{second.id}/deplacer",
        {"direction": "up"},
        form_url=f"/coordination/rencontres/{meeting.id}",
    )
    db.session.expire_all()
    items = db.session.get(Meeting, meeting.id).items
    assert [i.title for i in items] == ["Table ronde", "Accueil"]
    assert items[0].starts_at == paris(2027, 6, 17, 9, 30) and items[1].ends_at == paris(2027, 6, 17, 11, 0)


def test_members_cannot_plan_meetings(client, make_user):
    make_user(email="membre@example.org")
    client.login("membre@example.org")
    for url in [
        "/coordination/rencontres",
        "/coordination/series/nouvelle",
        "/coordination/intervenants",
        "/coordination/rencontres/nouvelle",
    ]:
        assert client.get(url).status_code == 403


def test_speakers_directory(client, coordinator, db):
    client.login(coordinator.email)
    get_page(client, "/coordination/intervenants")
    response = client.submit(
        "/coordination/intervenants", {"name": "Awa Traoré", "organisation": "Coopérative", "kind": "structure_ess"}
    )
    assert response.status_code == 302
    assert "Awa Traoré" in get_page(client, "/coordination/intervenants").get_data(as_text=True)


def test_speaker_can_be_linked_to_a_member_person(client, coordinator, active_collectivity, db):
    from clubess.meetings.models import Speaker
    from clubess.members.models import Member

    helene = db.session.scalar(sa.select(Member).where(Member.first_name == "Hélène"))
    client.login(coordinator.email)
    assert "Hélène Durand — Montreuil" in client.get("/coordination/intervenants").get_data(as_text=True)
    client.submit("/coordination/intervenants", {"name": "Hélène Durand", "kind": "elu", "member_id": helene.id})
    assert db.session.scalar(sa.select(Speaker)).member_id == helene.id


def test_editing_an_agenda_item_shows_its_speakers_checked(client, coordinator, make_meeting, speakers, db):
    meeting = make_meeting(items=1)
    meeting.items[0].speakers = [speakers[1]]
    db.session.commit()
    client.login(coordinator.email)
    html = get_page(client, f"/coordination/rencontres/{meeting.id}/ordre-du-jour/{meeting.items[0].id}").get_data(
        as_text=True
    )
    assert f'checked id="item-speakers-1" name="item-speakers" type="checkbox" value="{speakers[1].id}"' in html or (
        f'value="{speakers[1].id}"' in html and "checked" in html
    )
    assert 'value="Point 1"' in html
