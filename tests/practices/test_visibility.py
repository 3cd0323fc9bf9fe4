"""One visibility rule for practices (practices/visibility.py), role by role, on pages, the API and the territory
pages: a published practice is a public portrait; its contact is for members and coordinators; drafts for their
author and coordinators only."""

import pytest

from clubess.practices.models import Practice
from clubess.practices.search.index import index_practice
from tests.pages import get_page

PORTRAIT = ("Ressourcerie du quartier", "Une ressourcerie portée par une association", "La démarche pas à pas")
CONTACT = ("Hélène Durand", "helene@montreuil.fr", "Direction de l’économie sociale")


@pytest.fixture
def fiche(db, active_collectivity, territories):
    """A published practice of Montreuil with Hélène as its contact, and a draft."""
    helene = next(m for m in active_collectivity.members if m.first_name == "Hélène")
    published = Practice(
        ref="VIS1",
        title=PORTRAIT[0],
        summary=PORTRAIT[1],
        description=f"## {PORTRAIT[2]}\n\nUn local, des bénévoles.",
        lever="soutien_structures",
        themes=["réemploi"],
        year=2025,
        partners=["Réseau des ressourceries"],
        links=[{"label": "Le site de la ressourcerie", "url": "https://ressourcerie.example.org"}],
        territory_name="Montreuil",
        territory_kind="commune",
        department_code="93",
        territory_id=territories["93048"].id,
        collectivity_id=active_collectivity.id,
        contact_member_id=helene.id,
        contact_role=CONTACT[2],
        status="published",
        review_comment="Commentaire interne de modération",
    )
    draft = Practice(ref="VIS2", title="Brouillon confidentiel", lever="soutien_structures", status="draft")
    db.session.add_all([published, draft])
    db.session.flush()
    index_practice(published)
    db.session.commit()
    return published, draft


def _signed_in(client, who, coordinator, make_user):
    if who == "member":
        client.login("helene@montreuil.fr")
    elif who == "coordinator":
        client.login(coordinator.email)
    elif who == "account":  # an account of no member collectivity
        make_user(email="curieux@example.org")
        client.login("curieux@example.org")


@pytest.mark.parametrize("who", [None, "account", "member", "coordinator"])
def test_everyone_reads_the_portrait_and_only_members_read_the_contact(client, fiche, coordinator, make_user, who):
    published, draft = fiche
    _signed_in(client, who, coordinator, make_user)
    html = get_page(client, f"/bonnes-pratiques/{published.id}").get_data(as_text=True)
    for text in PORTRAIT + ("Réseau des ressourceries", "https://ressourcerie.example.org"):
        assert text in html, text
    sees = who in ("member", "coordinator")
    for text in CONTACT:
        assert (text in html) is sees, (who, text)
    if not sees:
        assert "réservé aux membres du club" in html
    assert "Commentaire interne de modération" not in html
    # the draft has no author (imported): no visitor is taken for its author
    draft_status = client.get(f"/bonnes-pratiques/{draft.id}").status_code
    assert draft_status == (200 if who == "coordinator" else 404)

    library = get_page(client, "/bonnes-pratiques?q=ressourcerie").get_data(as_text=True)
    assert f'href="/bonnes-pratiques/{published.id}"' in library
    assert "Brouillon confidentiel" not in library

    api = client.get("/api/v1/practices/VIS1").get_json()
    assert api["title"] == PORTRAIT[0] and PORTRAIT[2] in api["description"]
    assert api["partners"] == ["Réseau des ressourceries"]
    assert ("contact_role" in api) is sees
    assert "review_comment" not in api and "status" not in api
    assert client.get("/api/v1/practices/VIS2").status_code == 404


def test_the_territory_page_links_the_portraits_for_everyone(client, fiche):
    published, _draft = fiche
    html = get_page(client, "/territoires/93048").get_data(as_text=True)
    assert f'href="/bonnes-pratiques/{published.id}"' in html


@pytest.mark.parametrize("who", [None, "member"])
def test_a_visitor_is_not_told_of_the_members_only_meetings_where_a_practice_was_presented(
    client, db, fiche, make_meeting, coordinator, make_user, who
):
    published, _draft = fiche
    for title, audience in (("Forum ouvert à tous", "public"), ("Séance entre membres", "members")):
        meeting = make_meeting(day=(2026, 3, 12), title=title, audience=audience, items=1)
        meeting.items[0].kind = "retour_experience"
        meeting.items[0].practice_id = published.id
    db.session.commit()
    _signed_in(client, who, coordinator, make_user)
    html = get_page(client, f"/bonnes-pratiques/{published.id}").get_data(as_text=True)
    assert "Forum ouvert à tous" in html
    assert ("Séance entre membres" in html) is (who == "member")
