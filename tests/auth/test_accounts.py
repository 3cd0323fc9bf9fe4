"""Email verification, roles, the accounts back office and the users CLI."""

import re

import pytest
import sqlalchemy as sa

from clubess.auth import services
from clubess.auth.models import User
from clubess.core.audit import AuditEvent
from clubess.core.errors import DomainError, Forbidden
from clubess.mailing.worker import send_pending
from tests.pages import get_page


def test_email_is_unique_whatever_the_case(db, make_user):
    make_user(email="helene@montreuil.fr")
    with pytest.raises(DomainError):
        services.create_user("HELENE@Montreuil.fr", password="une phrase assez longue")


def test_unverified_member_confirms_address_by_mail_and_only_a_post_confirms(app, client, smtp, make_user, db):
    user = make_user(email="karim@est-ensemble.fr", email_verified_at=None)
    client.login("karim@est-ensemble.fr")
    page = client.get("/espace").get_data(as_text=True)
    assert "Confirmez votre adresse électronique" in page
    client.submit("/espace/confirmation", {}, form_url="/espace")
    with app.app_context():
        send_pending()
    link = next(u for u in smtp.links_in(smtp.to("karim@est-ensemble.fr")[0]) if "/connexion/confirmer/" in u)
    path = re.sub(r"^https?://[^/]+", "", link)
    get_page(client, path)  # a mail scanner following the link confirms nothing
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is None
    response = client.submit(path, {})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is not None
    assert "Confirmez votre adresse électronique" not in client.get("/espace").get_data(as_text=True)


def test_members_cannot_reach_the_back_office(client, make_user):
    make_user(email="helene@montreuil.fr")
    client.login("helene@montreuil.fr")
    for url in ["/coordination", "/coordination/journal", "/coordination/courriels/", "/coordination/comptes"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Accès refusé" in response.get_data(as_text=True)


def test_coordinators_reach_the_back_office_but_not_accounts(client, coordinator):
    client.login(coordinator.email)
    get_page(client, "/coordination")
    get_page(client, "/coordination/journal")
    get_page(client, "/coordination/courriels/")
    assert client.get("/coordination/comptes").status_code == 403


def test_services_check_authorization_themselves(db, make_user):
    member = make_user(email="helene@montreuil.fr")
    target = make_user(email="autre@example.org")
    with pytest.raises(Forbidden):
        services.set_role(member, target, "admin")
    with pytest.raises(Forbidden):
        services.list_users(member)


def test_admin_changes_a_role_and_the_change_is_audited(client, admin, make_user, db):
    target = make_user(email="nadia@example.org")
    client.login(admin.email)
    get_page(client, "/coordination/comptes")
    get_page(client, f"/coordination/comptes/{target.id}")
    asked = client.submit(f"/coordination/comptes/{target.id}", {"role": "coordinator"})
    assert "Cette personne accède désormais à l’espace de coordination" in asked.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, target.id).role == "member"  # not before the confirmation
    response = client.confirm(f"/coordination/comptes/{target.id}", {"role": "coordinator"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, target.id).role == "coordinator"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.role_changed"))
    assert event.actor_id == admin.id
    assert event.details == {"before": "member", "after": "coordinator"}
    journal = client.get("/coordination/journal").get_data(as_text=True)
    assert "Rôle changé" in journal and "avant : Membre ; après : Coordination" in journal


def test_admin_cannot_demote_themselves(client, admin):
    client.login(admin.email)
    response = client.submit(f"/coordination/comptes/{admin.id}", {"role": "member"})
    assert response.status_code == 200
    assert "propre rôle" in response.get_data(as_text=True)


def test_disabling_an_account_ends_its_session(app, admin, make_user, db):
    from tests.conftest import FormClient

    app.test_client_class = FormClient
    target = make_user(email="nadia@example.org")
    admin_client, target_client = app.test_client(), app.test_client()
    target_client.login("nadia@example.org")
    admin_client.login(admin.email)
    admin_client.submit(
        f"/coordination/comptes/{target.id}/activation", {}, form_url=f"/coordination/comptes/{target.id}"
    )
    assert target_client.get("/espace").status_code == 200  # a POST without the confirmation changes nothing
    admin_client.confirm(f"/coordination/comptes/{target.id}/activation", expect="ne peut plus se connecter")
    assert target_client.get("/espace").status_code == 302
    reactivated = admin_client.submit(  # reactivating is one click
        f"/coordination/comptes/{target.id}/activation", {}, form_url=f"/coordination/comptes/{target.id}"
    )
    db.session.expire_all()
    assert reactivated.status_code == 302 and db.session.get(User, target.id).is_enabled


def test_users_create_cli_makes_a_verified_coordinator(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "--role", "coordinator", "Nadia@Club.example.org"],
        input="une phrase assez longue\nune phrase assez longue\n",
    )
    assert result.exit_code == 0, result.output
    user = services.get_user_by_email("nadia@club.example.org")
    assert user.role == "coordinator"
    assert user.is_verified
    again = runner.invoke(args=["users", "create", "nadia@club.example.org", "--password", "une phrase assez longue"])
    assert again.exit_code != 0
    assert "existe déjà" in again.output


def test_users_create_cli_refuses_a_weak_password(app, db):
    result = app.test_cli_runner().invoke(args=["users", "create", "x@example.org", "--password", "court"])
    assert result.exit_code != 0
    assert "12 caractères" in result.output
