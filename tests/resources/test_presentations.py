"""From the meeting to the library: a « retour d'expérience » linked to its fiche, or the fiche drafted for the
speaker's référent (told by mail), and the practice page listing the meetings where it was presented."""

import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from clubess.meetings.models import Speaker
from clubess.practices.models import Practice
from tests.pages import get_page


def _speaker(db, item, member=None, name="Hélène Durand"):
    speaker = Speaker(name=name, organisation="Ville", kind="elu", member_id=member.id if member else None)
    item.speakers = [speaker]
    db.session.commit()
    return speaker


def test_drafting_the_fiche_gives_it_to_the_speakers_referent_who_is_told_by_mail(
    client, db, coordinator, held_meeting, active_collectivity, corpus, deliver, smtp
):
    item = held_meeting.items[1]
    karim = next(m for m in active_collectivity.members if m.first_name == "Karim")
    _speaker(db, item, karim, "Karim Benali")
    client.login(coordinator.email)
    back_office = get_page(client, f"/coordination/rencontres/{held_meeting.id}").get_data(as_text=True)
    assert "Rédiger la fiche…" in back_office
    url = f"/coordination/rencontres/{held_meeting.id}/points/{item.id}/fiche"
    page = get_page(client, url).get_data(as_text=True)
    assert "Le brouillon sera confié à Hélène Durand, référent·e de Montreuil" in page
    assert 'value="La ressourcerie de Montreuil"' in page
    # the lever the library's closest fiches share (a ressourcerie: « soutien aux structures »)
    assert 'selected value="soutien_structures"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Practice)) == len(corpus)  # nothing yet

    response = client.submit(url, {"title": "La ressourcerie de Montreuil", "lever": "soutien_structures"})
    assert response.status_code == 302
    practice = db.session.scalar(sa.select(Practice).where(Practice.title == "La ressourcerie de Montreuil"))
    helene = active_collectivity.referent
    assert practice.status == "draft" and practice.author_id == helene.user_id
    assert practice.collectivity_id == active_collectivity.id and practice.territory_name == "Montreuil"
    assert practice.contact_member_id == karim.id and practice.year == 2026
    db.session.refresh(item)
    assert item.practice_id == practice.id
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "agenda.practice_drafted"))

    deliver()
    [mail] = smtp.to("helene@montreuil.fr")
    assert "Une fiche pratique à rédiger" in mail["Subject"]
    assert f"/bonnes-pratiques/{practice.id}/modifier" in smtp.text_of(mail)
    # the référent finds it in their drafts and may edit it
    client.post("/deconnexion", data={"csrf_token": client.csrf_token("/espace")})
    client.login("helene@montreuil.fr")
    assert "La ressourcerie de Montreuil" in get_page(client, "/espace/pratiques").get_data(as_text=True)
    assert client.get(f"/bonnes-pratiques/{practice.id}/modifier").status_code == 200


def test_without_a_referent_the_page_says_so_and_the_coordinator_chooses(
    client, db, coordinator, held_meeting, active_collectivity, people, smtp, deliver
):
    item = held_meeting.items[1]
    _speaker(db, item, None, "Marc Rousseau")  # not a member person
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{held_meeting.id}/points/{item.id}/fiche"
    page = get_page(client, url).get_data(as_text=True)
    assert "Aucun intervenant de ce point n’est une personne d’une collectivité membre." in page
    assert "Montreuil — Hélène Durand" in page and "Garder la fiche dans l’équipe de coordination" in page
    refused = client.submit(url, {"title": "Fiche", "lever": "soutien_structures", "assignee": "999"})
    assert refused.status_code == 200 and db.session.scalar(sa.select(sa.func.count()).select_from(Practice)) == 0
    client.submit(url, {"title": "Fiche gardée", "lever": "soutien_structures", "assignee": "coordination"})
    practice = db.session.scalar(sa.select(Practice))
    assert practice.author_id == coordinator.id and practice.collectivity_id is None
    deliver()
    assert smtp.messages == []

    # a collectivity whose référent has no account: said, and another one chosen
    saint_ouen = people["leo"].collectivity
    saint_ouen.referent = people["leo"]  # Léo has no account
    other = held_meeting.items[0]
    other.kind = "retour_experience"
    db.session.commit()
    _speaker(db, other, people["leo"], "Léo Petit")
    url = f"/coordination/rencontres/{held_meeting.id}/points/{other.id}/fiche"
    page = get_page(client, url).get_data(as_text=True)
    assert "Saint-Ouen-sur-Seine n’a pas de référent·e avec un compte actif pour recevoir la fiche." in page
    client.submit(
        url, {"title": "Fiche de Saint-Ouen", "lever": "soutien_structures", "assignee": str(active_collectivity.id)}
    )
    practice = db.session.scalar(sa.select(Practice).where(Practice.title == "Fiche de Saint-Ouen"))
    assert practice.author_id == active_collectivity.referent.user_id


def test_linking_an_existing_fiche_shows_it_on_the_meeting_and_the_meeting_on_the_fiche(
    client, db, coordinator, held_meeting, corpus, active_collectivity
):
    item = held_meeting.items[1]
    p01 = corpus["P01"]
    client.login(coordinator.email)
    action = f"/coordination/rencontres/{held_meeting.id}/points/{item.id}/fiche-liee"
    form = f"/coordination/rencontres/{held_meeting.id}"
    refused = client.submit(action, {f"item{item.id}-practice": "P99"}, form_url=form)
    db.session.refresh(item)
    assert item.practice_id is None
    # the page says why and keeps what was typed
    html = get_page(client, refused.headers["Location"]).get_data(as_text=True)
    assert "Pratique introuvable (ou archivée) : P99." in html
    assert f'name="item{item.id}-practice" maxlength="500" value="P99"' in html
    client.submit(action, {f"item{item.id}-practice": "P01"}, form_url=form)
    db.session.refresh(item)
    assert item.practice_id == p01.id
    # an item that is not a « retour d'expérience » takes no fiche
    other = held_meeting.items[0]
    client.submit(
        f"/coordination/rencontres/{held_meeting.id}/points/{other.id}/fiche-liee",
        {f"item{other.id}-practice": "P01"},
        form_url=form,
    )
    db.session.refresh(other)
    assert other.practice_id is None

    html = get_page(client, f"/rencontres/{held_meeting.id}").get_data(as_text=True)
    block = html.split("La ressourcerie de Montreuil</h3>")[1].split("</li>")[0]
    assert f'href="/bonnes-pratiques/{p01.id}"' in block
    client.post("/deconnexion", data={"csrf_token": client.csrf_token("/espace")})
    client.login("karim@montreuil.fr")
    html = get_page(client, f"/bonnes-pratiques/{p01.id}").get_data(as_text=True)
    assert "Présentée lors de" in html and "Rencontre de juin" in html
