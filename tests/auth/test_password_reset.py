"""Forgotten password: a signed, expiring, single-use link sent by mail through the outbox."""

import re

import sqlalchemy as sa
from freezegun import freeze_time

from clubess.mailing.worker import send_pending
from tests.pages import get_page


def _reset_link(smtp, app, address):
    with app.app_context():
        send_pending()
    mails = smtp.to(address)
    assert len(mails) == 1
    link = next(u for u in smtp.links_in(mails[0]) if "/nouveau-mot-de-passe/" in u)
    return re.sub(r"^https?://[^/]+", "", link)


def test_reset_mail_arrives_and_its_link_works_once(app, client, smtp, make_user):
    make_user(email="helene@montreuil.fr")
    response = client.submit("/connexion/mot-de-passe-oublie", {"email": "Helene@montreuil.fr"})
    assert response.status_code == 302
    assert "Si un compte existe" in client.get("/connexion").get_data(as_text=True)

    path = _reset_link(smtp, app, "helene@montreuil.fr")
    mail = smtp.to("helene@montreuil.fr")[0]
    assert mail["Subject"] == "Choisir un nouveau mot de passe"
    assert mail["From"] == app.config["MAIL_FROM"]
    assert mail.get_body(preferencelist=("html",)) is not None

    get_page(client, path)
    response = client.submit(path, {"password": "nouvelle phrase secrète", "confirm": "nouvelle phrase secrète"})
    assert response.status_code == 302
    client.login("helene@montreuil.fr", "nouvelle phrase secrète")
    client.submit("/deconnexion", {}, form_url="/espace")

    again = client.get(path)
    assert again.status_code == 410
    assert "Lien expiré ou déjà utilisé" in again.get_data(as_text=True)


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client, smtp):
    response = client.submit("/connexion/mot-de-passe-oublie", {"email": "inconnu@example.org"}, follow_redirects=True)
    assert "Si un compte existe" in response.get_data(as_text=True)
    with app.app_context():
        assert send_pending() == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    assert smtp.messages == []


def test_reset_link_expires_after_an_hour(app, client, smtp, make_user):
    make_user(email="helene@montreuil.fr")
    with freeze_time("2026-11-23 10:00:00"):
        client.submit("/connexion/mot-de-passe-oublie", {"email": "helene@montreuil.fr"})
        path = _reset_link(smtp, app, "helene@montreuil.fr")
    with freeze_time("2026-11-23 11:01:00"):
        assert client.get(path).status_code == 410


def test_tampered_link_is_refused(client):
    assert client.get("/connexion/nouveau-mot-de-passe/abc.def.ghi").status_code == 410


def test_weak_or_mismatched_passwords_are_refused_with_field_errors(app, client, smtp, make_user):
    make_user(email="helene@montreuil.fr")
    client.submit("/connexion/mot-de-passe-oublie", {"email": "helene@montreuil.fr"})
    path = _reset_link(smtp, app, "helene@montreuil.fr")
    short = client.submit(path, {"password": "court", "confirm": "court"})
    assert short.status_code == 200
    assert "au moins 12 caractères" in short.get_data(as_text=True)
    assert 'aria-invalid="true"' in short.get_data(as_text=True)
    mismatch = client.submit(path, {"password": "nouvelle phrase secrète", "confirm": "autre phrase secrète"})
    assert "ne sont pas identiques" in mismatch.get_data(as_text=True)
    # the link still works after failed attempts
    assert client.get(path).status_code == 200


def test_reset_requests_are_rate_limited_per_account(client, make_user):
    make_user(email="helene@montreuil.fr")
    statuses = [
        client.submit("/connexion/mot-de-passe-oublie", {"email": "helene@montreuil.fr"}).status_code for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]


def test_changing_password_ends_other_sessions(app, make_user):
    make_user(email="helene@montreuil.fr")
    from tests.conftest import FormClient

    app.test_client_class = FormClient
    laptop, phone = app.test_client(), app.test_client()
    laptop.login("helene@montreuil.fr")
    phone.login("helene@montreuil.fr")
    response = laptop.submit(
        "/espace/mot-de-passe",
        {
            "current_password": "un mot de passe solide",
            "password": "nouvelle phrase secrète",
            "confirm": "nouvelle phrase secrète",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/espace").status_code == 200
    assert phone.get("/espace").status_code == 302


def test_change_password_with_wrong_current_password_shows_the_error(client, make_user):
    make_user(email="helene@montreuil.fr")
    client.login("helene@montreuil.fr")
    response = client.submit(
        "/espace/mot-de-passe",
        {"current_password": "faux", "password": "nouvelle phrase secrète", "confirm": "nouvelle phrase secrète"},
    )
    assert response.status_code == 200
    assert "Le mot de passe actuel est incorrect." in response.get_data(as_text=True)


def _reset_statements(client, count_queries, address):
    token = client.csrf_token("/connexion/mot-de-passe-oublie")
    with count_queries() as counter:
        response = client.post("/connexion/mot-de-passe-oublie", data={"email": address, "csrf_token": token})
    assert response.status_code == 302
    return [" ".join(s.split()[:3]).upper() for s in counter.statements]


def test_a_reset_request_does_the_same_work_whether_or_not_the_account_exists(client, make_user, count_queries):
    """The same statements, in the same order, so the answer takes the same time (bench/reset_timing.py)."""
    make_user(email="helene@montreuil.fr")
    known = _reset_statements(client, count_queries, "helene@montreuil.fr")
    unknown = _reset_statements(client, count_queries, "inconnu@montreuil.fr")
    disabled_user = make_user(email="parti@montreuil.fr", is_enabled=False)
    disabled = _reset_statements(client, count_queries, disabled_user.email)
    assert known == unknown == disabled
    assert any(s.startswith("INSERT") for s in known)


def test_the_outbox_page_does_not_tell_which_reset_requests_had_an_account(
    app, client, coordinator, db, smtp, make_user
):
    from clubess.mailing.models import OutboxMessage

    make_user(email="helene@montreuil.fr")
    client.submit("/connexion/mot-de-passe-oublie", {"email": "helene@montreuil.fr"})
    client.submit("/connexion/mot-de-passe-oublie", {"email": "inconnu@montreuil.fr"})
    request_ids = db.session.scalars(sa.select(OutboxMessage.id)).all()
    client.login(coordinator.email)

    waiting = client.get("/coordination/courriels/").get_data(as_text=True)
    assert "helene@montreuil.fr" not in waiting and "inconnu@montreuil.fr" not in waiting
    assert [client.get(f"/coordination/courriels/{i}").status_code for i in request_ids] == [404, 404]

    with app.app_context():
        assert send_pending() == {"sent": 1, "retry": 0, "failed": 0, "skipped": 0}
    page = client.get("/coordination/courriels/").get_data(as_text=True)
    assert "helene@montreuil.fr" in page  # a mail that went, as before
    assert "inconnu@montreuil.fr" not in page
    assert [m["To"] for m in smtp.messages] == ["helene@montreuil.fr"]
    db.session.expire_all()
    assert db.session.scalars(sa.select(OutboxMessage.recipient)).all() == ["helene@montreuil.fr"]


def test_a_reset_request_older_than_a_link_lives_is_dropped(app, client, smtp, make_user):
    make_user(email="helene@montreuil.fr")
    with freeze_time("2026-11-23 10:00:00"):
        client.submit("/connexion/mot-de-passe-oublie", {"email": "helene@montreuil.fr"})
    with freeze_time("2026-11-23 11:30:00"), app.app_context():
        send_pending()
    assert smtp.messages == []


def test_the_reset_mail_states_the_validity_the_link_really_has(app, client, smtp, make_user):
    make_user(email="helene@montreuil.fr")
    app.config["RESET_TOKEN_MAX_AGE"] = 30 * 60
    try:
        answer = client.submit(
            "/connexion/mot-de-passe-oublie", {"email": "helene@montreuil.fr"}, follow_redirects=True
        )
        assert "un lien valable 30 minutes." in answer.get_data(as_text=True)
        _reset_link(smtp, app, "helene@montreuil.fr")
    finally:
        app.config["RESET_TOKEN_MAX_AGE"] = 3600
    mail = smtp.to("helene@montreuil.fr")[0]
    assert "(valable 30 minutes, une seule fois)" in smtp.text_of(mail)
    assert "Ce lien est valable 30 minutes et ne sert qu’une fois." in mail.get_body(("html",)).get_content()
