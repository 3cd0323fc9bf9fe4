"""Behind the reverse proxy every per-IP rule sees the client's address, and only the trusted proxies are believed."""

import pytest

from clubess import create_app
from config import TestingConfig
from tests.conftest import FormClient

WRONG = "Adresse électronique ou mot de passe incorrect."


@pytest.fixture
def make_app(app):
    def make(trusted_proxies: int):
        class Config(TestingConfig):
            SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
            TRUSTED_PROXIES = trusted_proxies
            RATELIMIT_LOGIN_IP = "3 per minute"

        proxied = create_app(Config)
        proxied.test_client_class = FormClient
        return proxied

    return make


def _client(app, forwarded_for: str | None, **headers) -> FormClient:
    client = app.test_client()
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    for name, value in headers.items():
        client.environ_base[f"HTTP_{name.upper()}"] = value
    return client


def _failed_login(client, n: int):
    # a different unknown account each time, so only the per-IP limit can answer 429
    return client.submit("/connexion", {"email": f"inconnu{n}@example.org", "password": "pas le bon"})


def test_behind_one_proxy_the_login_limit_hits_one_client_not_the_others(make_app):
    proxied = make_app(trusted_proxies=1)
    a = _client(proxied, "203.0.113.10")
    statuses = [_failed_login(a, n).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    b = _client(proxied, "198.51.100.20")
    response = _failed_login(b, 99)
    assert response.status_code == 200
    assert WRONG in response.get_data(as_text=True)


def test_only_the_address_the_proxy_appended_counts(make_app):
    """A client behind the proxy cannot dodge the limit by sending its own X-Forwarded-For: nginx appends
    the real address last, and with one trusted proxy only that last one is believed."""
    proxied = make_app(trusted_proxies=1)
    statuses = [_failed_login(_client(proxied, f"10.0.0.{n}, 203.0.113.10"), n).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_without_a_trusted_proxy_a_forged_header_is_ignored(make_app):
    direct = make_app(trusted_proxies=0)
    statuses = [_failed_login(_client(direct, f"198.51.100.{n}"), n).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]  # every request counted against the real peer, 127.0.0.1


def test_behind_the_proxy_absolute_links_use_the_public_scheme_and_host(make_app, make_user):
    proxied = make_app(trusted_proxies=1)
    make_user(email="helene@montreuil.fr")
    client = _client(
        proxied,
        "203.0.113.10",
        x_forwarded_proto="https",
        x_forwarded_host="club-ess.example.org",
        referer="https://club-ess.example.org/connexion",  # over HTTPS, CSRF also checks the Referer
    )
    client.login("helene@montreuil.fr")
    client.submit("/espace/agenda", {}, form_url="/espace/agenda")
    page = client.get("/espace/agenda").get_data(as_text=True)
    assert "https://club-ess.example.org/" in page
    assert "http://localhost/" not in page
