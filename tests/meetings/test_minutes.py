"""Minutes of a held meeting: writing with a preview, decisions, publishing to the attendees, corrections."""

import re

import sqlalchemy as sa

from clubess.mailing.models import OutboxMessage, Suppression
from clubess.meetings.followup_models import Minutes, MinutesRevision
from tests.fixtures_followup import ATTENDEES, WALK_IN
from tests.pages import check_page, effects_of, get_page


def _as(client, email=None):
    """Another browser: a visitor, or the person `email` logged in."""
    other = client.application.test_client()
    if email:
        other.login(email)
    return other


def _edit_url(meeting) -> str:
    return f"/coordination/rencontres/{meeting.id}/compte-rendu"


def _save(client, meeting, body, decisions=(), action="save", **extra):
    data = {"body": body, "action": action, **extra}
    for i, (text, lever) in enumerate(decisions):
        data[f"decisions-{i}-text"] = text
        data[f"decisions-{i}-lever"] = lever
    return client.submit(_edit_url(meeting), data)


BODY = "## Ouverture\n\nLa rencontre a réuni **les élus** du 93.\n\n<script>alert(1)</script>"
DECISIONS = [("Créer un groupe de travail SPASER", "achats_responsables"), ("Visiter la ressourcerie", "")]


def _publish(client, meeting, expect=None):
    return client.confirm(f"{_edit_url(meeting)}/publier", expect=expect)


def test_the_coordinator_previews_without_javascript_and_nothing_is_saved(client, db, coordinator, held_meeting):
    meeting = held_meeting()
    client.login(coordinator.email)
    page = _save(client, meeting, BODY, DECISIONS, action="preview")
    html = page.get_data(as_text=True)
    check_page(html)
    assert "Aperçu (non enregistré)" in html
    assert "<strong>les élus</strong>" in html and "<script>alert(1)</script>" not in html  # sanitised
    assert "Créer un groupe de travail SPASER" in html and "Achats responsables" in html
    assert "La rencontre a réuni **les élus**" in html  # the form keeps what was typed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Minutes)) == 0


def test_decision_rows_are_added_moved_and_removed_without_saving(client, db, coordinator, held_meeting):
    meeting = held_meeting()
    client.login(coordinator.email)
    added = _save(client, meeting, "Texte", DECISIONS, action="add").get_data(as_text=True)
    assert 'name="decisions-2-text"' in added and "Texte" in added
    moved = _save(client, meeting, "Texte", DECISIONS, action="up:1").get_data(as_text=True)
    assert moved.index("Visiter la ressourcerie") < moved.index("Créer un groupe de travail SPASER")
    removed = _save(client, meeting, "Texte", DECISIONS, action="remove:0").get_data(as_text=True)
    assert "Créer un groupe de travail SPASER" not in removed and "Visiter la ressourcerie" in removed
    odd = _save(client, meeting, "Texte", DECISIONS, action="up:999")  # no such row: it is a plain save
    assert odd.status_code == 302
    assert db.session.scalar(sa.select(Minutes.body)) == "Texte"


def test_the_draft_is_saved_with_its_ordered_decisions_and_stays_private(client, db, coordinator, held_meeting, people):
    meeting = held_meeting()
    client.login(coordinator.email)
    assert _save(client, meeting, BODY, [("", ""), *DECISIONS]).status_code == 302
    minutes = db.session.scalar(sa.select(Minutes))
    assert minutes.status == "draft"
    assert [(d.position, d.text, d.lever) for d in minutes.decisions] == [
        (0, "Créer un groupe de travail SPASER", "achats_responsables"),
        (1, "Visiter la ressourcerie", None),
    ]
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    member = _as(client, "sofia@saint-ouen.fr")
    assert "Créer un groupe de travail" not in member.get(f"/rencontres/{meeting.id}").get_data(as_text=True)


def test_publishing_states_the_count_then_mails_each_attendee_once(
    client, db, coordinator, held_meeting, smtp, deliver
):
    meeting = held_meeting()
    client.login(coordinator.email)
    _save(client, meeting, BODY, DECISIONS)
    page = client.get(f"{_edit_url(meeting)}/publier").get_data(as_text=True)
    assert effects_of(page)[0].startswith("4 personnes recevront le compte rendu par courriel")
    assert "Publier et envoyer à 4 personnes" in page
    assert db.session.scalar(sa.select(Minutes.status)) == "draft"  # the page acts on its button only

    done = _publish(client, meeting)
    assert done.status_code == 302
    assert "publié et envoyé à 4 personnes" in client.get(done.location).get_data(as_text=True)
    assert deliver()["sent"] == 4
    assert sorted(m["To"].lower() for m in smtp.messages) == sorted(ATTENDEES)  # Paul (absent) and Léo: no
    [mail] = smtp.to("sofia@saint-ouen.fr")
    assert mail["Subject"] == "Compte rendu : Rencontre de septembre"
    assert mail["List-Unsubscribe"].startswith("<http://localhost/desabonnement/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = smtp.text_of(mail)
    assert "Bonjour Sofia Martin," in text and "La rencontre a réuni **les élus** du 93." in text
    assert "1. Créer un groupe de travail SPASER (Achats responsables)" in text
    assert f"http://localhost/rencontres/{meeting.id}#compte-rendu" in text
    assert "/questionnaire/" in text
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "<strong>les élus</strong>" in html and "<script>" not in html

    # publishing twice, or the worker passing again, sends nothing more
    again = client.get(f"{_edit_url(meeting)}/publier")
    assert again.status_code == 302 and "déjà publié" in client.get(again.location).get_data(as_text=True)
    forced = client.submit(f"{_edit_url(meeting)}/publier", {"confirmed": "yes"}, form_url=_edit_url(meeting))
    assert forced.status_code == 302
    assert deliver()["sent"] == 0
    assert len(smtp.messages) == 4


def test_publishing_twice_at_once_mails_once_per_person(app, db, coordinator, held_meeting):
    from clubess.meetings import minutes as service

    meeting = held_meeting()
    service.save_minutes(coordinator, meeting, "Texte", [])
    db.session.commit()
    service.publish_minutes(coordinator, meeting)
    db.session.commit()
    # a stale second publication of the same mailing queues nothing: the dedupe key holds
    from clubess.meetings.minutes_mail import queue_minutes

    minutes = db.session.scalar(sa.select(Minutes))
    assert queue_minutes(minutes, service.recipients(meeting), corrected=False) == 0
    keys = db.session.scalars(sa.select(OutboxMessage.dedupe_key)).all()
    assert len(keys) == len(set(keys)) == 4
    assert all(re.fullmatch(rf"minutes:{minutes.id}:1:[^:]+@[^:]+", k) for k in keys)


def test_an_attendee_who_left_the_follow_up_list_gets_nothing_even_if_queued_before(
    client, db, coordinator, held_meeting, smtp, deliver
):
    meeting = held_meeting()
    db.session.add(Suppression(email="karim@montreuil.fr", scope="suivi", reason="unsubscribed"))
    db.session.commit()
    client.login(coordinator.email)
    _save(client, meeting, "Texte", [])
    page = client.get(f"{_edit_url(meeting)}/publier").get_data(as_text=True)
    assert "3 personnes recevront" in page and "1 personne présente s’est désabonnée" in page
    _publish(client, meeting)
    # Sofia unsubscribes between the publication and the worker's pass, with the link of another mail
    from clubess.mailing.services import unsubscribe_headers

    with client.application.test_request_context():
        url, _headers = unsubscribe_headers("sofia@saint-ouen.fr", "suivi")
    assert client.post(smtp.local_path(url), data={"List-Unsubscribe": "One-Click"}).status_code == 204
    deliver()
    assert not smtp.to("karim@montreuil.fr") and not smtp.to("sofia@saint-ouen.fr")
    assert smtp.to(WALK_IN) and smtp.to("helene@montreuil.fr")


def test_unsubscribing_from_the_minutes_mail_leaves_the_follow_up_list_only(
    client, db, coordinator, held_meeting, smtp, deliver
):
    meeting = held_meeting()
    client.login(coordinator.email)
    _save(client, meeting, "Texte", [])
    _publish(client, meeting)
    deliver()
    link = smtp.to("sofia@saint-ouen.fr")[0]["List-Unsubscribe"].strip("<>")
    visitor = client.application.test_client()
    page = visitor.get(smtp.local_path(link)).get_data(as_text=True)
    assert "comptes rendus et questionnaires des rencontres" in page
    visitor.post(smtp.local_path(link))
    scopes = db.session.scalars(sa.select(Suppression.scope).where(Suppression.email == "sofia@saint-ouen.fr")).all()
    assert scopes == ["suivi"]


def test_a_correction_is_kept_as_a_revision_and_is_not_mailed_unless_asked(
    client, db, coordinator, held_meeting, smtp, deliver
):
    meeting = held_meeting()
    client.login(coordinator.email)
    _save(client, meeting, "Première version", DECISIONS)
    _publish(client, meeting)
    deliver()
    smtp.clear()

    _save(client, meeting, "Version corrigée", DECISIONS, note="Nom d’une intervenante corrigé")
    deliver()
    assert smtp.messages == []
    unchanged = _save(client, meeting, "Version corrigée", DECISIONS)  # nothing changed: no revision
    assert unchanged.status_code == 302
    revisions = db.session.scalars(sa.select(MinutesRevision).order_by(MinutesRevision.number)).all()
    assert [(r.number, r.is_mailed, r.author_name, r.note) for r in revisions] == [
        (1, True, coordinator.display_name, ""),
        (2, False, coordinator.display_name, "Nom d’une intervenante corrigé"),
    ]
    assert revisions[0].body == "Première version" and revisions[1].body == "Version corrigée"
    history = get_page(client, f"{_edit_url(meeting)}/versions").get_data(as_text=True)
    assert "Version 2 : correction" in history and "Nom d’une intervenante corrigé" in history
    assert "Non envoyée" in history and "Envoyée" in history

    # asked: a confirmation page with the count, then one more mailing, once per person
    asked = _save(client, meeting, "Version corrigée deux fois", DECISIONS, note="Décision précisée", mail_again="y")
    html = asked.get_data(as_text=True)
    assert "4 personnes recevront le compte rendu par courriel" in html
    assert db.session.scalar(sa.select(Minutes.body)) == "Version corrigée"  # not saved before the button
    from tests.pages import confirmation_form

    action, fields = confirmation_form(html)
    from werkzeug.datastructures import MultiDict

    assert client.post(action, data=MultiDict(fields)).status_code == 302
    assert deliver()["sent"] == 4
    mail = smtp.to("helene@montreuil.fr")[0]
    assert mail["Subject"] == "Compte rendu corrigé : Rencontre de septembre"
    assert "Version corrigée deux fois" in smtp.text_of(mail)
    assert db.session.scalar(sa.select(Minutes.mailings)) == 2


def test_members_read_published_minutes_visitors_only_for_a_public_meeting(
    client, db, coordinator, held_meeting, make_user
):
    members_only = held_meeting()
    public = held_meeting(title="Rencontre publique", audience="public")
    client.login(coordinator.email)
    for meeting in (members_only, public):
        _save(client, meeting, "Compte rendu de la rencontre", DECISIONS)
        _publish(client, meeting)
    visitor = _as(client)
    html = get_page(visitor, f"/rencontres/{members_only.id}").get_data(as_text=True)
    assert "Compte rendu de la rencontre" not in html
    html = get_page(visitor, f"/rencontres/{public.id}").get_data(as_text=True)
    assert "Compte rendu de la rencontre" in html and "Créer un groupe de travail SPASER" in html
    member = get_page(_as(client, "sofia@saint-ouen.fr"), f"/rencontres/{members_only.id}").get_data(as_text=True)
    assert 'id="compte-rendu"' in member and "Visiter la ressourcerie" in member
    make_user(email="sans-collectivite@example.org")  # an account without a membership is not a member
    outsider = _as(client, "sans-collectivite@example.org")
    assert "Compte rendu de la rencontre" not in outsider.get(f"/rencontres/{members_only.id}").get_data(as_text=True)


def test_minutes_wait_for_the_meeting_to_be_held(client, db, coordinator, make_meeting):
    meeting = make_meeting(status="published")
    client.login(coordinator.email)
    page = get_page(client, _edit_url(meeting)).get_data(as_text=True)
    assert "Le compte rendu s’écrit une fois la rencontre tenue" in page
    refused = _save(client, meeting, "Texte", [])
    assert refused.status_code == 200 and "marquez-la d’abord comme tenue" in refused.get_data(as_text=True)
    assert client.get(f"{_edit_url(meeting)}/publier").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Minutes)) == 0


def test_bad_minutes_input_is_refused_with_the_text_kept(client, db, coordinator, held_meeting):
    meeting = held_meeting()
    client.login(coordinator.email)
    too_long = _save(client, meeting, "Texte gardé", [("x" * 501, "")]).get_data(as_text=True)
    assert "Texte gardé" in too_long and "Le formulaire contient des erreurs" in too_long
    bad_lever = _save(client, meeting, "Texte gardé", [("Décision", "levier_inconnu")]).get_data(as_text=True)
    assert "Le formulaire contient des erreurs" in bad_lever
    assert client.get(f"{_edit_url(meeting)}/publier").status_code == 302  # nothing saved: nothing to publish
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Minutes)) == 0
    _save(client, meeting, "Texte", [])
    _publish(client, meeting)
    emptied = _save(client, meeting, "   ", [])
    assert "Un compte rendu publié ne peut pas être vidé" in emptied.get_data(as_text=True)


def test_only_coordinators_write_minutes(client, db, held_meeting):
    meeting = held_meeting()
    member = _as(client, "helene@montreuil.fr")
    assert member.get(_edit_url(meeting)).status_code == 403
    assert member.get(f"{_edit_url(meeting)}/publier").status_code == 403


def test_the_meeting_page_with_minutes_runs_a_bounded_number_of_queries(
    client, db, coordinator, held_meeting, count_queries
):
    meeting = held_meeting()
    client.login(coordinator.email)

    def queries(n):
        _save(client, meeting, "Texte", [(f"Décision {i}", "") for i in range(n)])
        with count_queries() as counter:
            client.get(f"/rencontres/{meeting.id}")
        with count_queries() as back_office:
            client.get(f"/coordination/rencontres/{meeting.id}")
        return counter.count, back_office.count

    assert queries(1) == queries(20)


def test_a_member_leaves_and_rejoins_the_follow_up_list_from_their_profile(
    client, db, coordinator, held_meeting, smtp, deliver
):
    from clubess.mailing.suppression import is_suppressed

    meeting = held_meeting()
    karim = _as(client, "karim@montreuil.fr")
    profile = karim.get("/espace/profil").get_data(as_text=True)
    assert '<input checked id="wants_followup" name="wants_followup"' in profile
    form = {"first_name": "Karim", "last_name": "Benali", "wants_invitations": "y"}
    assert karim.submit("/espace/profil", form).status_code == 302  # the box unticked
    assert is_suppressed("karim@montreuil.fr", "suivi")
    client.login(coordinator.email)
    _save(client, meeting, "Texte", [])
    _publish(client, meeting)
    deliver()
    assert not smtp.to("karim@montreuil.fr") and smtp.to("sofia@saint-ouen.fr")
    karim.submit("/espace/profil", {**form, "wants_followup": "y"})
    assert not is_suppressed("karim@montreuil.fr", "suivi")  # the person themself asked again


def test_the_minutes_mail_links_each_document_the_attendee_may_open(
    client, db, coordinator, held_meeting, make_meeting, smtp, deliver
):
    from clubess.resources.models import Document

    meeting = held_meeting()
    other = make_meeting(title="Une autre rencontre")

    def document(title, visibility, of=meeting, **extra):
        row = Document(meeting_id=of.id, title=title, kind="support", visibility=visibility, **extra)
        db.session.add(row)
        return row

    slides = document("Diaporama d'ouverture", "public", stored_name="a1.pdf", filename="o.pdf", size=10)
    study = document("Étude foncière", "members", stored_name="a2.pdf", filename="e.pdf", size=10)
    document("Replay de la matinée", "registrants", url="https://video.example.org/replay")
    document("Document d'une autre rencontre", "public", of=other, stored_name="a3.pdf", filename="x.pdf", size=1)
    db.session.commit()
    client.login(coordinator.email)
    _save(client, meeting, BODY, DECISIONS)
    _publish(client, meeting)
    assert deliver()["sent"] == 4

    member = smtp.text_of(smtp.to("sofia@saint-ouen.fr")[0])
    assert f"Diaporama d'ouverture : http://localhost/ressources/{slides.id}" in member
    assert f"Étude foncière : http://localhost/ressources/{study.id}" in member
    assert "Replay de la matinée : https://video.example.org/replay" in member
    assert "autre rencontre" not in member
    # each decision on its own line (the text mail keeps its line breaks)
    assert {"1. Créer un groupe de travail SPASER (Achats responsables)", "2. Visiter la ressourcerie"} <= set(
        member.splitlines()
    )
    # someone from outside the club has no account: only what anyone may open is listed
    walk_in = smtp.text_of(smtp.to(WALK_IN)[0])
    assert f"Diaporama d'ouverture : http://localhost/ressources/{slides.id}" in walk_in
    assert "Étude foncière" not in walk_in and "Replay" not in walk_in
    html = smtp.to("sofia@saint-ouen.fr")[0].get_body(preferencelist=("html",)).get_content()
    assert f'href="http://localhost/ressources/{study.id}"' in html
