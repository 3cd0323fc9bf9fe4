"""/espace/engagements: the référent records and updates; the collectivity's people read; nobody else sees."""

import sqlalchemy as sa

from clubess.commitments import services
from clubess.commitments.models import Commitment, CommitmentChange
from tests.pages import get_page


def _count(db, model=Commitment) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_referent_records_a_commitment_made_at_a_meeting(db, client, club):
    c = club
    client.login(c.helene.email)
    page = get_page(client, "/espace/engagements/nouveau").get_data(as_text=True)
    assert "Rencontre de septembre" in page and "Atelier réemploi" not in page  # the meetings Montreuil attended
    assert "T4 2026" in page and "T3 2026" not in page  # the current quarter and the next ones
    response = client.submit(
        "/espace/engagements/nouveau",
        {
            "title": "Ouvrir un tiers-lieu de l’ESS",
            "lever": "foncier_tiers_lieux",
            "success": "Un local de 400 m² ouvert.",
            "responsible_id": str(c.karim.id),
            "target": "2027-1",
            "meeting_id": str(c.s1.id),
            "note": "Annoncé au tour de table.",
        },
    )
    assert response.status_code == 302
    commitment = db.session.scalar(sa.select(Commitment))
    assert (commitment.title, commitment.target_label, commitment.meeting_id) == (
        "Ouvrir un tiers-lieu de l’ESS",
        "T1 2027",
        c.s1.id,
    )
    page = get_page(client, response.headers["Location"]).get_data(as_text=True)
    assert "L’engagement « Ouvrir un tiers-lieu de l’ESS » est enregistré." in page
    assert "Annoncé au tour de table." in page and "Prochain suivi" in page
    assert "Rencontre de mars" in page  # S3 (18/03/2027) is the first meeting of the series in T1 2027


def test_a_form_sent_wrong_comes_back_with_what_was_typed_and_nothing_is_stored(db, client, club):
    c = club
    client.login(c.helene.email)
    values = {
        "title": "Mon engagement",
        "lever": "achats_responsables",
        "success": "Un texte gardé.",
        "responsible_id": str(c.sofia.id),  # Saint-Ouen's référent, not a person of Montreuil
        "target": "2026-4",
        "meeting_id": "",
    }
    for field, value, message in [
        ("responsible_id", str(c.sofia.id), "Choisissez une personne de Montreuil, en fonction."),
        ("meeting_id", str(c.workshop.id), "Choisissez une rencontre à laquelle Montreuil a participé."),
        ("target", "2026-3", "Ce trimestre est passé"),
        ("target", "2026-9", "Choisissez le trimestre visé."),
        ("lever", "", "Choisissez le levier de l’engagement."),
        ("lever", "levier_inconnu", "Levier : N&#39;est pas un choix valide."),
        ("responsible_id", "99999999999999999999", "Choisissez une personne de Montreuil, en fonction."),
    ]:
        data = {**values, "responsible_id": str(c.karim.id), field: value}
        response = client.submit("/espace/engagements/nouveau", data)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and message in html, (field, value)
        assert "Mon engagement" in html and "Un texte gardé." in html
    assert _count(db) == 0


def test_a_referent_reaches_no_other_collectivitys_commitment(db, client, club, commit):
    c = club
    theirs = commit(c.sofia.user, c.saint_ouen, title="Recenser les ressourceries")
    client.login(c.helene.email)
    assert client.get(f"/espace/engagements/{theirs.id}").status_code == 404
    assert client.get(f"/espace/engagements/{theirs.id}/modifier").status_code == 404
    form = "/espace/engagements/nouveau"
    status = client.submit(f"/espace/engagements/{theirs.id}/statut", {"status": "abandoned", "note": "x"}, form)
    assert status.status_code == 404
    edit = client.submit(f"/espace/engagements/{theirs.id}/modifier", {"title": "Pris", "target": "2027-1"}, form)
    assert edit.status_code == 404
    # the coordinators' form of a meeting is not theirs either
    at_meeting = client.submit(
        f"/coordination/rencontres/{c.s1.id}/engagements",
        {"commitment-title": "Pris", "commitment-responsible_id": str(c.sofia.id)},
        form,
    )
    assert at_meeting.status_code == 403
    assert "Recenser les ressourceries" not in client.get("/espace/engagements").get_data(as_text=True)
    db.session.expire_all()
    assert _count(db) == 1 and _count(db, CommitmentChange) == 1
    assert db.session.get(Commitment, theirs.id).status == "planned"


def test_the_people_of_the_collectivity_read_without_acting(db, client, club, commit):
    c = club
    ours = commit(c.helene.user, c.montreuil, title="Voter le SPASER", responsible_id=c.karim.id)
    client.login(c.karim.email)
    page = get_page(client, "/espace/engagements").get_data(as_text=True)
    assert "Voter le SPASER" in page and "Enregistrer un engagement" not in page
    detail = get_page(client, f"/espace/engagements/{ours.id}").get_data(as_text=True)
    assert "Historique" in detail and "Mettre à jour" not in detail and "/modifier" not in detail
    assert client.get("/espace/engagements/nouveau").status_code == 403
    status = client.submit(
        f"/espace/engagements/{ours.id}/statut", {"status": "done", "note": "Fait"}, "/espace/profil"
    )
    assert status.status_code == 403
    assert db.session.get(Commitment, ours.id).status == "planned"


def test_visitors_see_nothing(client, club, commit):
    ours = commit(club.helene.user, club.montreuil)
    for url in ("/espace/engagements", f"/espace/engagements/{ours.id}", "/coordination/engagements"):
        response = client.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_the_list_groups_by_status_with_due_and_overdue(db, client, club, commit, frozen):
    c = club
    late = commit(c.helene.user, c.montreuil, title="Voter le SPASER", target=(2026, 4))
    commit(c.helene.user, c.montreuil, title="Ouvrir un tiers-lieu", target=(2027, 1))
    done = commit(c.helene.user, c.montreuil, title="Former les agents", target=(2026, 4))
    services.change_status(c.helene.user, late, "in_progress", "Commencé.")
    services.change_status(c.helene.user, done, "done", "")
    db.session.commit()
    frozen.move_to("2027-01-05 09:00:00")
    client.login(c.helene.email)
    page = get_page(client, "/espace/engagements").get_data(as_text=True)
    in_progress, planned, finished = page.index("En cours (1)"), page.index("Prévu (1)"), page.index("Réalisé (1)")
    assert in_progress < page.index("Voter le SPASER") < planned < page.index("Ouvrir un tiers-lieu") < finished
    assert page.count("En retard") == 1 and page.count("À suivre") == 1  # T4 2026 over; T1 2027 started
    assert "Abandonné (" not in page


def test_the_referent_updates_the_status_with_a_note_and_sees_the_history(db, client, club, commit, frozen):
    c = club
    ours = commit(c.helene.user, c.montreuil, title="Voter le SPASER")
    client.login(c.helene.email)
    url = f"/espace/engagements/{ours.id}"
    refused = client.submit(f"{url}/statut", {"status": "abandoned", "note": ""}, url)
    assert refused.status_code == 200 and "la note est obligatoire" in refused.get_data(as_text=True)
    for sent in ({"note": "Sans statut"}, {"status": "fini", "note": "Un statut inconnu"}):
        refused = client.submit(f"{url}/statut", sent, url)
        html = refused.get_data(as_text=True)
        assert refused.status_code == 200 and "Statut : N&#39;est pas un choix valide." in html
        assert sent["note"] in html  # what was typed stays
    assert _count(db, CommitmentChange) == 1 and db.session.get(Commitment, ours.id).status == "planned"
    frozen.move_to("2026-11-03 10:00:00")
    client.login(c.helene.email)  # a session ends after 8 hours without use
    done = client.submit(f"{url}/statut", {"status": "done", "note": "Voté le 2 novembre."}, url)
    assert done.status_code == 302
    page = get_page(client, url).get_data(as_text=True)
    assert "Statut : Prévu → Réalisé" in page and "Voté le 2 novembre." in page
    assert "mardi 3 novembre 2026 à 11:00" in page and "Hélène Durand" in page
    edit = client.submit(
        f"{url}/modifier",
        {
            "title": "Voter le SPASER",
            "lever": "achats_responsables",
            "success": "Voté en conseil.",
            "responsible_id": str(c.karim.id),
            "target": "2026-4",
            "note": "",
        },
    )
    assert edit.status_code == 302
    assert "Personne en charge : Hélène Durand → Karim Benali." in get_page(client, url).get_data(as_text=True)


def test_the_pages_run_a_bounded_number_of_queries(db, client, club, commit, count_queries):
    c = club
    first = commit(c.helene.user, c.montreuil, meeting_id=c.s1.id, responsible_id=c.karim.id)
    client.login(c.helene.email)

    def queries():
        counts = []
        for url in ("/espace/engagements", f"/espace/engagements/{first.id}"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    before = queries()
    for n in range(8):
        more = commit(c.helene.user, c.montreuil, title=f"Engagement {n}", meeting_id=c.s1.id)
        services.change_status(c.helene.user, more, "in_progress", f"Note {n}")
        services.change_status(c.helene.user, first, "in_progress" if n % 2 == 0 else "planned", f"Note {n}")
    db.session.commit()
    assert queries() == before
