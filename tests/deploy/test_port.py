"""PORT: `make run` serves on it, and mail links follow it when BASE_URL is not set."""

import subprocess

from clubess import create_app
from config import ROOT, TestingConfig
from tests.conftest import FormClient


def test_mail_links_follow_port_when_base_url_is_not_set(app, smtp, make_user):
    make_user(email="helene@montreuil.fr")

    class OnPort5123(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        MAIL_PORT = smtp.port
        BASE_URL = None
        PORT = 5123

    other = create_app(OnPort5123)
    other.test_client_class = FormClient
    client = other.test_client()
    response = client.submit("/connexion/mot-de-passe-oublie", {"email": "helene@montreuil.fr"})
    assert response.status_code == 302
    # The worker renders the reset mail when it sends it: in this app's context (the CLI runner would reuse
    # the test app's context, which is already pushed).
    from clubess.mailing.worker import send_pending

    with other.app_context():
        assert send_pending()["sent"] == 1
    (message,) = smtp.to("helene@montreuil.fr")
    links = smtp.links_in(message)
    assert links and all((link + "/").startswith("http://127.0.0.1:5123/") for link in links), links


def test_base_url_when_set_wins_over_port(app):
    class Both(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        BASE_URL = "https://club-ess.example.org"
        PORT = 5123

    assert create_app(Both).config["BASE_URL"] == "https://club-ess.example.org"


def test_make_run_serves_on_port():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=5123"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "--port 5123" in dry_run
    assert "http://127.0.0.1:5123" in dry_run
    assert "5000" not in dry_run
