"""App factory, configuration, security defaults, error pages, Markdown sanitizing."""

import re

import pytest
import sqlalchemy as sa

from clubess import create_app
from clubess.core.db import UtcDateTime
from clubess.core.security import is_safe_next
from clubess.core.templating import render_markdown
from config import ProductionConfig


def test_production_refuses_to_start_without_a_secret_key():
    class Prod(ProductionConfig):
        SECRET_KEY = None
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://u:p@127.0.0.1/db"

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Prod)


def test_production_refuses_sqlite_unless_explicitly_allowed():
    class Prod(ProductionConfig):
        SECRET_KEY = "x" * 40
        SQLALCHEMY_DATABASE_URI = None
        BASE_URL = "https://club-ess.example.org"
        RATELIMIT_STORAGE_URI = "memory://"

    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(Prod)

    class AllowedProd(Prod):
        ALLOW_SQLITE_IN_PRODUCTION = True

    assert create_app(AllowedProd).config["SESSION_COOKIE_SECURE"] is True


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLUB_NAME", "Club ESS de test")
    monkeypatch.setenv("MAIL_PORT", "2525")
    import importlib

    import config

    importlib.reload(config)
    try:
        assert config.Config.CLUB_NAME == "Club ESS de test"
        assert config.Config.MAIL_PORT == 2525
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_security_headers_on_every_page(client):
    response = client.get("/connexion")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # HSTS only in production
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_hsts_in_production():
    class Prod(ProductionConfig):
        SECRET_KEY = "x" * 40
        ALLOW_SQLITE_IN_PRODUCTION = True
        BASE_URL = "https://club-ess.example.org"
        RATELIMIT_STORAGE_URI = "memory://"

    app = create_app(Prod)
    response = app.test_client().get("/healthz")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_pages_have_no_inline_script_or_style(client):
    html = client.get("/connexion").get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/espace", True),
        ("/a?b=c", True),
        ("//evil.org", False),
        ("https://evil.org", False),
        ("/\\evil.org", False),
        ("javascript:alert(1)", False),
        ("", False),
        (None, False),
        ("/\t/evil", False),
    ],
)
def test_only_local_paths_are_safe_redirects(target, safe):
    assert is_safe_next(target) is safe


def test_markdown_is_sanitized(app_ctx):
    html = str(render_markdown("**gras** <script>alert(1)</script> [lien](javascript:alert(1)) [ok](https://ess.fr)"))
    assert "<strong>gras</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert 'href="https://ess.fr"' in html and 'rel="noopener noreferrer"' in html


def test_utc_datetime_refuses_naive_values(db):
    from datetime import datetime

    with pytest.raises(Exception, match="naive"):
        UtcDateTime().process_bind_param(datetime(2026, 1, 1), db.engine.dialect)


def test_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nulle-part")
    assert response.status_code == 404
    assert response.json["error"]["status"] == 404
    assert response.json["error"]["message"]


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json["openapi"].startswith("3.")


def test_unexpected_errors_give_the_french_500_page_and_roll_back():
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    app = create_app(Config)

    @app.route("/_boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/_boom")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)


def test_malformed_input_never_gives_a_500(client):
    for url, data in [
        ("/connexion", {"email": "\x00" * 10, "password": "x" * 5000}),
        ("/connexion/mot-de-passe-oublie", {"email": "pas une adresse"}),
        ("/langue", {"lang": "zz", "next": "//evil.org"}),
    ]:
        response = client.submit(url, data, form_url="/connexion")
        assert response.status_code < 500, url
    assert client.get("/coordination/courriels/?page=-3&statut=%00").status_code in (302, 403)
    assert client.get("/connexion?next=%00%0a").status_code == 200


def test_timestamps_are_stored_and_read_back_in_utc(db, make_user):
    from clubess.auth.models import User

    user = make_user(email="tz@example.org")
    db.session.expire_all()
    created = db.session.scalar(sa.select(User.created_at).where(User.id == user.id))
    assert created.utcoffset().total_seconds() == 0


def test_openapi_documents_every_api_route(app, client):
    documented = set(client.get("/api/v1/openapi.json").json["paths"])
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule.removeprefix("/api/v1"))
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/") and r.rule != "/api/v1/openapi.json"
    }
    assert routes == documented


def test_a_refusal_raised_with_a_code_shows_people_a_sentence_not_the_code(app):
    from clubess.core.errors import DomainError, Forbidden, NotFound

    with app.test_request_context():
        missing = NotFound("practice")
        assert missing.code == "practice" and missing.status == 404
        assert missing.message != "practice" and "n'existe pas" in str(missing.message)
        assert missing.errors == {None: missing.message}  # a form showing it shows the sentence too
        assert "droits" in str(Forbidden("not the referent").message)
        said = NotFound("Document introuvable.")
        assert said.message == "Document introuvable." and isinstance(said, DomainError)
