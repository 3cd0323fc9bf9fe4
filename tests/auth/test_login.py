"""Logging in and out."""

import sqlalchemy as sa

from clubess.auth.models import User
from tests.pages import get_page


def test_member_logs_in_and_reaches_their_space(client, make_user):
    make_user(email="helene@montreuil.fr", display_name="Hélène Durand")
    response = client.submit("/connexion", {"email": "helene@montreuil.fr", "password": "un mot de passe solide"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/espace"
    page = get_page(client, "/espace").get_data(as_text=True)
    assert "Bonjour Hélène Durand" in page
    assert "helene@montreuil.fr" in page


def test_email_is_case_insensitive_at_login(client, make_user):
    make_user(email="helene@montreuil.fr")
    response = client.submit("/connexion", {"email": "  Helene@Montreuil.FR ", "password": "un mot de passe solide"})
    assert response.status_code == 302


def test_wrong_password_and_unknown_account_give_the_same_message(client, make_user):
    make_user(email="helene@montreuil.fr")
    wrong = client.submit("/connexion", {"email": "helene@montreuil.fr", "password": "pas le bon"})
    unknown = client.submit("/connexion", {"email": "personne@nulle-part.fr", "password": "pas le bon"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Adresse électronique ou mot de passe incorrect." in response.get_data(as_text=True)
    # the address typed is kept in the form
    assert 'value="personne@nulle-part.fr"' in unknown.get_data(as_text=True)


def test_disabled_account_cannot_log_in(client, make_user):
    make_user(email="parti@example.org", is_enabled=False)
    response = client.submit("/connexion", {"email": "parti@example.org", "password": "un mot de passe solide"})
    assert "Adresse électronique ou mot de passe incorrect." in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user(email="helene@montreuil.fr")
    response = client.post("/connexion", data={"email": "helene@montreuil.fr", "password": "un mot de passe solide"})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)


def test_next_parameter_only_redirects_to_local_paths(client, make_user):
    make_user(email="helene@montreuil.fr")
    for target, expected in [
        ("/coordination/journal", "/coordination/journal"),
        ("https://evil.example/", "/espace"),
        ("//evil.example/", "/espace"),
        ("/\\evil.example", "/espace"),
    ]:
        response = client.submit(
            "/connexion", {"email": "helene@montreuil.fr", "password": "un mot de passe solide", "next": target}
        )
        assert response.headers["Location"] == expected, target
        client.submit("/deconnexion", {}, form_url="/espace")


def test_logout_needs_a_post_and_ends_the_session(client, make_user):
    make_user(email="helene@montreuil.fr")
    client.login("helene@montreuil.fr")
    assert client.get("/deconnexion").status_code == 405
    response = client.submit("/deconnexion", {}, form_url="/espace")
    assert response.status_code == 302
    assert client.get("/espace").status_code == 302  # back to the login page


def test_member_area_requires_login(client):
    response = client.get("/espace")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")


def test_too_many_failed_logins_on_one_account_give_the_french_429_page(client, make_user):
    make_user(email="helene@montreuil.fr")
    statuses = []
    for _ in range(7):
        response = client.submit("/connexion", {"email": "helene@montreuil.fr", "password": "mauvais"})
        statuses.append(response.status_code)
    assert statuses[:5] == [200] * 5
    assert statuses[-1] == 429
    page = response.get_data(as_text=True)
    assert "Trop de tentatives" in page
    assert '<html lang="fr"' in page
    # even the right password is refused while the account is throttled
    response = client.submit("/connexion", {"email": "helene@montreuil.fr", "password": "un mot de passe solide"})
    assert response.status_code == 429


def test_successful_logins_do_not_count_against_the_account_limit(client, make_user):
    make_user(email="helene@montreuil.fr")
    for _ in range(7):
        client.login("helene@montreuil.fr")
        client.submit("/deconnexion", {}, form_url="/espace")


def test_per_ip_limit_stops_password_spraying_across_accounts(client, make_user):
    statuses = [
        client.submit("/connexion", {"email": f"cible{i}@example.org", "password": "Printemps2026"}).status_code
        for i in range(22)
    ]
    assert 429 in statuses
    assert statuses.index(429) == 20


def test_rehash_on_login_when_cost_parameters_change(app, client, make_user, db):
    from argon2 import PasswordHasher

    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash("un mot de passe solide")
    user = make_user(email="helene@montreuil.fr", password_hash=stronger)
    client.login("helene@montreuil.fr")
    db.session.expire_all()
    refreshed = db.session.scalar(sa.select(User).where(User.id == user.id))
    assert refreshed.password_hash != stronger
    assert refreshed.password_hash.startswith("$argon2id$")
