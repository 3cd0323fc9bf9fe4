"""Sending a communiqué: what journalists receive, the embargo line, unsubscribes, bounces, throttling."""

from datetime import timedelta

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.mailing.models import MessageStatus, OutboxMessage
from clubess.press.models import ContactStatus, Delivery, PressContact
from tests.fixtures_press import PDF, attach, png, send_all
from tests.pages import get_page


def _status(db, email: str) -> str:
    db.session.expire_all()
    return db.session.scalar(sa.select(PressContact.status).where(PressContact.email == email))


def test_journalists_receive_the_communique_with_embargo_line_attachments_and_unsubscribe_headers(
    client, coordinator, make_contact, make_communique, smtp, deliver, db
):
    make_contact("alice@parisien.example.org")
    make_contact("bob@humanite.example.org", outlet="L’Humanité")
    communique = make_communique(embargo_hours=48)
    client.login(coordinator.email)
    assert attach(client, communique.id, "dossier de presse.pdf", PDF).status_code == 302
    assert attach(client, communique.id, "photo.png", png()).status_code == 302

    assert send_all(client, communique.id) == 2
    assert smtp.messages == []  # nothing leaves inside the request
    assert deliver()["sent"] == 2

    mail = smtp.to("alice@parisien.example.org")[0]
    assert "ne-pas-repondre@club-ess.example.org" in mail["From"]
    assert mail["Reply-To"] == "presse@club-ess.example.org"
    assert mail["Subject"] == "[Sous embargo] Communiqué : Le club accueille 20 nouvelles communes"
    text = smtp.text_of(mail)
    assert text.startswith("SOUS EMBARGO JUSQU’AU ")
    assert "(heure de Paris)" in text.splitlines()[0]
    assert "Le club réunit désormais **120 collectivités**." in text
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "Sous embargo jusqu’au" in html and "<strong>120 collectivités</strong>" in html
    files = {part.get_filename(): part for part in mail.iter_attachments()}
    assert set(files) == {"dossier_de_presse.pdf", "photo.png"}
    assert files["dossier_de_presse.pdf"].get_content_type() == "application/pdf"
    assert files["dossier_de_presse.pdf"].get_content() == PDF
    assert files["photo.png"].get_content_type() == "image/png"

    unsubscribe = mail["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://localhost/desabonnement/") and unsubscribe.endswith(">")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # each recipient has their own link
    assert smtp.to("bob@humanite.example.org")[0]["List-Unsubscribe"] != unsubscribe

    page = client.get(f"/coordination/presse/communiques/{communique.id}/envois").get_data(as_text=True)
    assert 'data-status="sent">2<' in page


def test_one_click_post_without_login_unsubscribes_and_the_next_communique_does_not_go(
    client, app, coordinator, make_contact, make_communique, smtp, deliver, db
):
    make_contact("alice@parisien.example.org")
    make_contact("bob@humanite.example.org")
    client.login(coordinator.email)
    first = make_communique("Premier communiqué")
    send_all(client, first.id)
    deliver()
    link = smtp.local_path(smtp.to("alice@parisien.example.org")[0]["List-Unsubscribe"].strip("<>"))

    anonymous = app.test_client()
    response = anonymous.post(link, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 204
    assert _status(db, "alice@parisien.example.org") == ContactStatus.UNSUBSCRIBED

    smtp.clear()
    second = make_communique("Deuxième communiqué")
    assert send_all(client, second.id) == 1
    deliver()
    assert smtp.to("alice@parisien.example.org") == []
    assert len(smtp.to("bob@humanite.example.org")) == 1


def test_get_on_the_unsubscribe_link_only_asks(
    client, app, coordinator, make_contact, make_communique, smtp, deliver, db
):
    make_contact("alice@parisien.example.org")
    client.login(coordinator.email)
    send_all(client, make_communique().id)
    deliver()
    link = smtp.link_path(smtp.to("alice@parisien.example.org")[0], "/desabonnement/")
    page = app.test_client().get(link).get_data(as_text=True)
    assert "communiqués de presse du club" in page and "Confirmer le désabonnement" in page
    assert _status(db, "alice@parisien.example.org") == ContactStatus.ACTIVE


def test_unsubscribing_after_the_send_is_queued_still_stops_the_mail(
    client, app, coordinator, make_contact, make_communique, smtp, deliver, db
):
    """The address is checked when the worker sends, not only when the coordinator queued."""
    make_contact("alice@parisien.example.org")
    make_contact("bob@humanite.example.org")
    client.login(coordinator.email)
    communique = make_communique()
    send_all(client, communique.id)
    from clubess.press.subscriptions import stop_communiques

    stop_communiques("alice@parisien.example.org")
    db.session.commit()
    assert deliver() == {"sent": 1, "retry": 0, "failed": 0, "skipped": 1}
    assert smtp.to("alice@parisien.example.org") == []
    delivery = db.session.scalar(sa.select(Delivery).where(Delivery.email == "alice@parisien.example.org"))
    assert delivery.status == "skipped"


def test_a_permanent_refusal_marks_the_address_bounced_and_it_is_never_mailed_again(
    client, coordinator, make_contact, make_communique, smtp, deliver, db
):
    make_contact("parti@ancien-journal.example.org")
    make_contact("bob@humanite.example.org")
    smtp.handler.refuse.add("parti@ancien-journal.example.org")
    client.login(coordinator.email)
    send_all(client, make_communique("Premier").id)
    stats = deliver()
    assert stats["sent"] == 1 and stats["failed"] == 1
    assert _status(db, "parti@ancien-journal.example.org") == ContactStatus.BOUNCED
    delivery = db.session.scalar(sa.select(Delivery).where(Delivery.email == "parti@ancien-journal.example.org"))
    assert delivery.status == "bounced" and "550" in delivery.error

    smtp.handler.refuse.clear()
    assert send_all(client, make_communique("Second").id) == 1  # bob only
    deliver()
    assert smtp.to("parti@ancien-journal.example.org") == []
    page = client.get("/coordination/presse/contacts?statut=bounced").get_data(as_text=True)
    assert "parti@ancien-journal.example.org" in page and "bob@humanite.example.org" not in page
    contact_id = db.session.scalar(
        sa.select(PressContact.id).where(PressContact.email == "parti@ancien-journal.example.org")
    )
    status = client.get(f"/coordination/presse/contacts/{contact_id}").get_data(as_text=True)
    assert "Mailbox does not exist" in status  # the coordinator sees the server's answer


def test_sending_twice_to_everyone_mails_only_the_new_contacts(
    client, coordinator, make_contact, make_communique, smtp, deliver
):
    make_contact("alice@parisien.example.org")
    client.login(coordinator.email)
    communique = make_communique()
    assert send_all(client, communique.id) == 1
    make_contact("nouveau@lemonde.example.org")
    assert send_all(client, communique.id) == 1
    deliver()
    assert len(smtp.to("alice@parisien.example.org")) == 1
    assert len(smtp.to("nouveau@lemonde.example.org")) == 1


def test_nothing_is_queued_before_confirmation_and_a_changed_count_is_refused(
    client, coordinator, make_contact, make_communique, db
):
    make_contact("alice@parisien.example.org")
    client.login(coordinator.email)
    communique = make_communique()
    url = f"/coordination/presse/communiques/{communique.id}/envoyer"
    page = client.submit(url, {"action": "preview"}).get_data(as_text=True)
    assert 'id="recipient-count">1 destinataire' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0

    make_contact("arrive@entre-temps.example.org")
    response = client.submit(url, {"action": "send", "expected": "1"})
    assert response.status_code == 200
    assert "Le nombre de destinataires a changé (2 au lieu de 1)" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 0


def test_segments_choose_by_beat_departement_and_kind_of_outlet(
    client, coordinator, make_contact, make_communique, smtp, deliver
):
    make_contact("eco93@parisien.example.org", beats="économie, ess", departement="93", outlet_kind="regionale")
    make_contact("sport93@parisien.example.org", beats="sport", departement="93", outlet_kind="regionale")
    make_contact("eco75@lemonde.example.org", beats="économie", departement="75", outlet_kind="nationale")
    client.login(coordinator.email)
    communique = make_communique()
    assert send_all(client, communique.id, beats=["économie"], departements=["93"]) == 1
    assert send_all(client, communique.id, outlet_kinds=["nationale"]) == 1
    deliver()
    assert {m["To"] for m in smtp.messages} == {"eco93@parisien.example.org", "eco75@lemonde.example.org"}


def test_a_beat_is_matched_whole_and_the_list_shows_who_the_send_reaches(
    client, coordinator, make_contact, make_communique, smtp, deliver
):
    make_contact("ess@example.org", beats="économie, ess")
    make_contact("presse@example.org", beats="presse")
    make_contact("business@example.org", beats="business, emploi")
    make_contact("100pourcent@example.org", beats="ess_100%")
    client.login(coordinator.email)
    listed = client.get("/coordination/presse/contacts?thematique=ess").get_data(as_text=True)
    assert "ess@example.org" in listed
    assert "presse@example.org" not in listed and "business@example.org" not in listed
    searched = client.get("/coordination/presse/contacts?q=_").get_data(as_text=True)  # a literal underscore
    assert "100pourcent@example.org" in searched and "ess@example.org</td>" not in searched
    assert send_all(client, make_communique().id, beats=["ess"]) == 1
    deliver()
    assert [m["To"] for m in smtp.messages] == ["ess@example.org"]


def test_bulk_mail_is_throttled_per_minute_and_transactional_mail_goes_first(
    app, coordinator, make_contact, make_communique, smtp, db
):
    from clubess.mailing.services import queue
    from clubess.mailing.worker import send_pending
    from clubess.press import communiques, contacts

    for n in range(5):
        make_contact(f"journaliste{n}@example.org")
    communique = make_communique()
    communiques.send(coordinator, communique, contacts.Segment(), expected=5)
    queue("someone@example.org", "auth/verify_email", {"user": coordinator, "url": "http://x"}, category="auth.verify")
    db.session.commit()
    app.config["MAIL_BULK_PER_MINUTE"] = 3
    try:
        assert send_pending(limit=50)["sent"] == 4  # the transactional mail and 3 communiqués
        assert send_pending(limit=50)["sent"] == 0  # this minute's budget is spent
        assert len(smtp.to("someone@example.org")) == 1
        db.session.execute(
            sa.update(OutboxMessage)
            .values(sent_at=now_utc() - timedelta(minutes=2))
            .where(OutboxMessage.sent_at.isnot(None))
        )
        db.session.commit()
        assert send_pending(limit=50)["sent"] == 2
    finally:
        app.config["MAIL_BULK_PER_MINUTE"] = 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.status == MessageStatus.SENT)
        )
        == 6
    )


def test_the_send_is_audited(client, coordinator, make_contact, make_communique, db):
    from clubess.core.audit import AuditEvent

    make_contact("alice@parisien.example.org")
    client.login(coordinator.email)
    send_all(client, make_communique().id)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "press.communique_sent"))
    assert event is not None and event.details["recipients"] == 1


def test_two_workers_deliver_each_communique_exactly_once(app, coordinator, make_contact, make_communique, smtp, db):
    import threading

    from clubess.mailing.worker import send_pending
    from clubess.press import communiques, contacts

    for n in range(40):
        make_contact(f"journaliste{n}@example.org")
    communiques.send(coordinator, make_communique(), contacts.Segment(), expected=40)
    db.session.commit()

    def work():
        with app.app_context():
            while send_pending(limit=4)["sent"]:
                pass

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    recipients = [m["To"] for m in smtp.messages]
    assert len(recipients) == 40 and len(set(recipients)) == 40
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery).where(Delivery.status == "sent")) == 40


def test_in_development_a_queued_communique_is_readable_in_the_outbox_before_the_worker_runs(
    client, coordinator, make_contact, make_communique, db
):
    from clubess.press.subscriptions import stop_communiques

    make_contact("alice@parisien.example.org")
    make_contact("bob@humanite.example.org")
    client.login(coordinator.email)
    send_all(client, make_communique().id)
    ids = dict(db.session.execute(sa.select(OutboxMessage.recipient, OutboxMessage.id)).all())
    page = get_page(client, f"/coordination/courriels/{ids['alice@parisien.example.org']}").get_data(as_text=True)
    assert "Le club réunit désormais" in page and "Rédigé à l’envoi" in page
    html = client.get(f"/coordination/courriels/{ids['alice@parisien.example.org']}/html")
    assert "<strong>120 collectivités</strong>" in html.get_data(as_text=True)
    assert (
        db.session.scalar(sa.select(OutboxMessage.body_text).where(OutboxMessage.id == ids["bob@humanite.example.org"]))
        == ""
    )

    stop_communiques("bob@humanite.example.org")
    db.session.commit()
    page = client.get(f"/coordination/courriels/{ids['bob@humanite.example.org']}").get_data(as_text=True)
    assert "Ce message ne partira pas" in page


def test_a_mail_that_cannot_be_delivered_after_its_last_attempt_is_logged_failed_not_bounced(
    client, app, coordinator, make_contact, make_communique, smtp, deliver, db
):
    make_contact("alice@parisien.example.org")
    client.login(coordinator.email)
    communique = make_communique()
    send_all(client, communique.id)
    smtp.stop()  # the relay is down
    app.config["OUTBOX_MAX_ATTEMPTS"] = 1
    try:
        deliver()
    finally:
        app.config["OUTBOX_MAX_ATTEMPTS"] = 8
    page = client.get(f"/coordination/presse/communiques/{communique.id}/envois").get_data(as_text=True)
    assert 'data-status="failed">1<' in page and 'data-status="bounced">0<' in page
    assert _status(db, "alice@parisien.example.org") == ContactStatus.ACTIVE  # the address is not blamed
