"""Applying to join, confirming by mail, review by coordinators."""

import sqlalchemy as sa

from clubess.auth.models import User
from clubess.core.audit import AuditEvent
from clubess.mailing.worker import send_pending
from clubess.members.models import Collectivity
from tests.pages import get_page

REFERENT = {
    "kind": "elu",
    "first_name": "Hélène",
    "last_name": "Durand",
    "function": "Maire adjointe",
    "delegation": "adjointe déléguée à l'ESS",
    "email": "helene@montreuil.fr",
    "phone": "0102030405",
}


def _apply(client, territory, **extra):
    data = {
        **REFERENT,
        "territory_id": str(territory.id),
        "territory_query": territory.name,
        "consent": "y",
        "action": "submit",
        "message": "Nous soutenons une ressourcerie.",
        **extra,
    }
    return client.submit("/adherer", data)


def test_without_javascript_the_search_lists_matching_collectivities(client, territories):
    response = client.submit("/adherer", {"territory_query": "st ouen", "action": "search", "first_name": "Hélène"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Saint-Ouen-sur-Seine" in html and 'type="radio"' in html
    assert 'value="Hélène"' in html  # what was typed is kept


def test_full_application_journey(app, client, smtp, territories, coordinator, db):
    others = {
        "others-0-kind": "agent",
        "others-0-first_name": "Karim",
        "others-0-last_name": "Benali",
        "others-0-function": "Chargé de mission",
        "others-0-email": "karim@montreuil.fr",
    }
    response = _apply(client, territories["93048"], **others)
    assert response.status_code == 302
    collectivity = db.session.scalar(sa.select(Collectivity))
    assert collectivity.status == "pending" and collectivity.confirmed_at is None
    assert sorted(m.email for m in collectivity.members) == ["helene@montreuil.fr", "karim@montreuil.fr"]
    assert collectivity.referent.email == "helene@montreuil.fr"
    assert all(m.consent_at is not None for m in collectivity.members)

    with app.app_context():
        send_pending()
    [mail] = smtp.to("helene@montreuil.fr")
    assert "Montreuil" in mail["Subject"]
    confirm = smtp.link_path(mail, "/adherer/confirmer/")
    get_page(client, confirm)
    assert client.submit(confirm, {}).status_code == 200

    smtp.clear()
    with app.app_context():
        send_pending()
    assert smtp.to(coordinator.email), "coordinators are told a confirmed application waits"

    client.login(coordinator.email)
    queue = get_page(client, "/coordination/adhesions").get_data(as_text=True)
    assert "Montreuil" in queue
    get_page(client, f"/coordination/adhesions/{collectivity.id}")
    response = client.confirm(
        f"/coordination/adhesions/{collectivity.id}/approuver",
        expect="2 personnes reçoivent un compte et un courriel pour choisir leur mot de passe.",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Collectivity, collectivity.id).status == "active"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.role == "member")) == 2
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "collectivity.approved"))

    smtp.clear()
    with app.app_context():
        send_pending()
    welcome = smtp.to("karim@montreuil.fr")[0]
    assert "(valable 14\u00a0jours)" in smtp.text_of(welcome)  # WELCOME_TOKEN_MAX_AGE, 14 days by default
    link = smtp.link_path(welcome, "/connexion/bienvenue/")
    client.submit("/deconnexion", {}, form_url="/espace")
    client.submit(link, {"password": "une phrase de bienvenue", "confirm": "une phrase de bienvenue"})
    client.login("karim@montreuil.fr", "une phrase de bienvenue")
    page = get_page(client, "/espace/collectivite").get_data(as_text=True)
    assert "Montreuil" in page and "Hélène Durand" in page


def test_a_collectivity_already_member_or_pending_is_never_duplicated(client, territories, active_collectivity, db):
    response = _apply(client, territories["93048"], email="nouvelle@montreuil.fr", first_name="Léa", last_name="Martin")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "déjà membre du club" in html and "Hélène Durand" not in html  # no personal data shown
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Collectivity)) == 1
    response = client.submit(
        f"/adherer/demande-ajout/{active_collectivity.id}",
        {"name": "Léa Martin", "email": "lea@montreuil.fr", "message": "Je suis à l'ESS."},
        form_url="/adherer",
    )
    assert response.status_code == 302
    from clubess.mailing.models import OutboxMessage

    request_mail = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.category == "members.addition_request")
    )
    assert request_mail.recipient == "helene@montreuil.fr" and request_mail.reply_to == "lea@montreuil.fr"


def test_errors_redisplay_the_form_with_what_was_typed(client, territories):
    response = _apply(client, territories["93048"], email="pas-une-adresse", consent="")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Saisissez une adresse électronique valide" in html
    assert "Votre accord est nécessaire" in html
    assert 'value="Durand"' in html


def test_a_bot_filling_the_honeypot_stores_nothing(client, territories, db, smtp):
    response = _apply(client, territories["93048"], website="http://spam.example")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Collectivity)) == 0


def test_rejection_is_mailed_with_its_reason_and_audited(app, client, smtp, territories, coordinator, db):
    _apply(client, territories["93070"])
    collectivity = db.session.scalar(sa.select(Collectivity))
    client.login(coordinator.email)
    empty = client.submit(
        f"/coordination/adhesions/{collectivity.id}/refuser",
        {"reason": ""},
        form_url=f"/coordination/adhesions/{collectivity.id}",
    )
    assert "Indiquez la raison du refus" in empty.get_data(as_text=True)
    client.confirm(
        f"/coordination/adhesions/{collectivity.id}/refuser",
        {"reason": "Hors de la région."},
        form_url=f"/coordination/adhesions/{collectivity.id}",
        expect="reçoit un courriel avec votre raison : « Hors de la région. »",
    )
    smtp.clear()
    with app.app_context():
        send_pending()
    mail = smtp.to("helene@montreuil.fr")[-1]
    assert "Hors de la région." in smtp.text_of(mail)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "collectivity.rejected"))
    assert event.actor_id == coordinator.id


def test_review_queue_runs_a_bounded_number_of_queries(client, territories, coordinator, db, count_queries):
    for code in ["93048", "93070", "94038"]:
        _apply(client, territories[code], email=f"ref-{code}@example.org")
    client.login(coordinator.email)
    with count_queries() as counter:
        get_page(client, "/coordination/adhesions")
    assert counter.count <= 5, counter.statements


def test_members_cannot_review_applications(client, active_collectivity):
    client.login("helene@montreuil.fr")
    assert client.get("/coordination/adhesions").status_code == 403
