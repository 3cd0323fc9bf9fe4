"""*Préparer un communiqué*: a draft prefilled from a held meeting, its figures counted by hand."""

import sqlalchemy as sa

from clubess.press.models import Communique
from tests.fixtures_followup import PRESENT_COLLECTIVITIES, PRESENT_PEOPLE
from tests.pages import get_page


def _as(client, email):
    other = client.application.test_client()
    other.login(email)
    return other


def test_figures_match_the_hand_counted_attendance(app, db, held_meeting):
    from clubess.meetings.press_release import attendance_figures

    figures = attendance_figures(held_meeting())
    assert (figures.collectivities, figures.people) == (PRESENT_COLLECTIVITIES, PRESENT_PEOPLE) == (2, 4)


def test_the_coordinator_prepares_a_communique_from_the_held_meeting(client, db, held_meeting, coordinator):
    meeting = held_meeting()
    coordination = _as(client, coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}/compte-rendu"
    coordination.submit(
        url,
        {
            "body": "Texte",
            "action": "save",
            "decisions-0-text": "Lancer un groupe SPASER",
            "decisions-0-lever": "achats_responsables",
            "decisions-1-text": "Visiter la ressourcerie",
            "decisions-1-lever": "",
        },
    )
    coordination.confirm(f"{url}/publier")
    page = get_page(coordination, f"/coordination/rencontres/{meeting.id}").get_data(as_text=True)
    assert "Préparer un communiqué" in page
    figures = page[page.index('id="followup-figures"') :]
    assert '<span class="stat__value">4</span><span class="stat__label">personnes présentes' in figures
    assert '<span class="stat__value">2</span><span class="stat__label">collectivités représentées' in figures

    prepared = coordination.submit(
        f"/coordination/rencontres/{meeting.id}/communique", {}, form_url=f"/coordination/rencontres/{meeting.id}"
    )
    communique = db.session.scalar(sa.select(Communique))
    assert prepared.location.endswith(f"/coordination/presse/communiques/{communique.id}")
    assert (communique.status, communique.meeting_id, communique.title) == ("draft", meeting.id, meeting.title)
    lead = (
        "Le 17 septembre 2026, le club a réuni 2 collectivités membres (4 personnes présentes) "
        "à Maison de l'ESS, Paris 11e pour « Rencontre de septembre »."
    )
    assert communique.standfirst == lead
    assert "## Les décisions\n\n- Lancer un groupe SPASER\n- Visiter la ressourcerie" in communique.body
    assert f"http://localhost/rencontres/{meeting.id}" in communique.body
    assert communique.contact_block  # the club's press contact, as for any new communiqué
    # the coordinator edits it as any draft; the meeting page links it
    editor = get_page(coordination, prepared.location).get_data(as_text=True)
    assert "Lancer un groupe SPASER" in editor
    page = coordination.get(f"/coordination/rencontres/{meeting.id}").get_data(as_text=True)
    assert "Préparer un autre communiqué" in page and f"/coordination/presse/communiques/{communique.id}" in page


def test_a_communique_before_publication_leaves_the_decisions_out(app, db, held_meeting, coordinator):
    from clubess.meetings import minutes
    from clubess.meetings.press_release import draft_text

    meeting = held_meeting()
    minutes.save_minutes(coordinator, meeting, "Texte", [minutes.DecisionData("Décision pas encore publiée")])
    assert "Décision pas encore publiée" not in draft_text(meeting).body


def test_a_communique_waits_for_the_meeting_to_be_held(client, db, make_meeting, coordinator):
    meeting = make_meeting(status="published")
    coordination = _as(client, coordinator.email)
    refused = coordination.submit(
        f"/coordination/rencontres/{meeting.id}/communique", {}, form_url=f"/coordination/rencontres/{meeting.id}"
    )
    assert refused.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Communique)) == 0
    assert "Préparer un communiqué" not in coordination.get(f"/coordination/rencontres/{meeting.id}").get_data(
        as_text=True
    )
