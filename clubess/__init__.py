"""clubess: the platform of a regional club of local authorities for the social and solidarity economy."""

import logging
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import ROOT, config_from_env


def create_app(config=None) -> Flask:
    """Build the application; `config` is a Config class or a mapping, default from CLUBESS_ENV."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    load_config(app, config)
    if app.config["TRUSTED_PROXIES"]:
        # the client's address, scheme and host as the proxy saw them: per-IP limits, Secure cookies, links
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    register_input_guard(app)
    register_extensions(app)
    register_blueprints(app)
    register_mail(app)
    register_territory_sections(app)
    register_access(app)
    register_cli(app)
    register_hooks(app)
    return app


def load_config(app: Flask, config) -> None:
    if config is None:
        config = config_from_env()
    if isinstance(config, dict):
        app.config.from_object(config_from_env())
        app.config.update(config)
    else:
        app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    env = app.config.get("ENV_NAME")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'clubess.db'}"
    if not app.config.get("BASE_URL") and env != "production":
        app.config["BASE_URL"] = f"http://127.0.0.1:{app.config['PORT']}"
    if env == "production":
        _check_production(app)
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    app.config["UPLOAD_FOLDER"] = app.config.get("UPLOAD_FOLDER") or str(Path(app.instance_path) / "uploads")
    # a document as large as its setting allows must reach the form (which then says what is wrong with it)
    largest = max(app.config["RESOURCE_FILE_MAX_MB"], app.config["RESOURCE_IMAGE_MAX_MB"]) + 1
    app.config["MAX_CONTENT_LENGTH"] = max(app.config["MAX_CONTENT_LENGTH"] or 0, largest * 1024 * 1024)
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    app.config["MAIL_DEFAULT_SENDER"] = app.config["MAIL_FROM"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite has no pool_pre_ping need and serialises writers; wait for locks instead of failing.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("clubess").setLevel(logging.INFO)


def _check_production(app: Flask) -> None:
    if not app.config.get("SECRET_KEY") or len(app.config["SECRET_KEY"]) < 32:
        raise RuntimeError("SECRET_KEY must be set (32 characters or more) in production.")
    if not app.config.get("BASE_URL"):
        raise RuntimeError("BASE_URL must be set in production (e.g. https://club-ess.example.org): mail links use it.")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and not app.config["ALLOW_SQLITE_IN_PRODUCTION"]:
        raise RuntimeError(
            "Production needs a real database: set DATABASE_URL to PostgreSQL "
            "(or ALLOW_SQLITE_IN_PRODUCTION=1 if you really mean it)."
        )
    storage = app.config.get("RATELIMIT_STORAGE_URI")
    if app.config["RATELIMIT_ENABLED"] and not storage:
        raise RuntimeError(
            "Production needs a shared store for rate limits: set RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 "
            "(or RATELIMIT_STORAGE_URI=memory:// with a single gunicorn worker)."
        )
    if app.config["RATELIMIT_ENABLED"] and storage.startswith("memory"):
        logging.getLogger("clubess").warning(
            "RATELIMIT_STORAGE_URI=memory:// in production: each gunicorn worker counts on its own, so every "
            "limit is multiplied by the number of workers. Use redis:// unless you run a single worker."
        )


def _instance_secret(app: Flask) -> str:
    """Development only: a random key kept in the instance folder, so sessions survive restarts."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def register_input_guard(app: Flask) -> None:
    """Before the routes exist: strict `<int:…>` ids, and the guard every request passes first."""
    from clubess.core import inputs

    inputs.register_input_guard(app)


def register_extensions(app: Flask) -> None:
    from clubess.core.templating import select_locale, select_timezone
    from clubess.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

    _import_models()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)  # before the limiter: requests refused for CSRF are not counted
    limiter.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"


def _import_models() -> None:
    """Every model module, so the metadata (and Alembic) sees every table."""
    import clubess.actors.models  # noqa: F401
    import clubess.auth.models  # noqa: F401
    import clubess.commitments.models  # noqa: F401
    import clubess.core.audit  # noqa: F401
    import clubess.digest.models  # noqa: F401
    import clubess.mailing.models  # noqa: F401
    import clubess.meetings.followup_models  # noqa: F401
    import clubess.meetings.models  # noqa: F401
    import clubess.members.models  # noqa: F401
    import clubess.ops.models  # noqa: F401
    import clubess.practices.models  # noqa: F401
    import clubess.press.models  # noqa: F401
    import clubess.resources.models  # noqa: F401
    import clubess.territories.models  # noqa: F401
    import clubess.territories.policy_models  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from clubess.actors.coordination_views import bp as actors_coordination_bp
    from clubess.actors.import_views import bp as actors_transfer_bp
    from clubess.actors.views import bp as actors_bp
    from clubess.api.views import bp as api_bp
    from clubess.auth.views import bp as auth_bp
    from clubess.commitments.area_views import bp as commitment_area_bp
    from clubess.commitments.coordination_views import bp as commitments_bp
    from clubess.dashboard.views import bp as dashboard_bp
    from clubess.digest.views import bp as digest_bp
    from clubess.exports.views import bp as exports_bp
    from clubess.home.views import bp as home_bp
    from clubess.mailing.unsubscribe import bp as unsubscribe_bp
    from clubess.mailing.views import bp as mailing_bp
    from clubess.meetings.attendance_views import bp as attendance_bp
    from clubess.meetings.contribution_views import bp as contributions_bp
    from clubess.meetings.minutes_views import bp as minutes_bp
    from clubess.meetings.planning_views import bp as planning_bp
    from clubess.meetings.registrant_views import bp as registrants_bp
    from clubess.meetings.registration_views import bp as registrations_bp
    from clubess.meetings.series_views import bp as series_bp
    from clubess.meetings.survey_views import bp as survey_bp
    from clubess.meetings.views import bp as meetings_bp
    from clubess.members.area_views import bp as member_area_bp
    from clubess.members.directory_views import bp as directory_bp
    from clubess.members.views import bp as members_bp
    from clubess.ops.views import bp as ops_bp
    from clubess.pages.views import bp as pages_bp
    from clubess.practices.import_views import bp as practice_import_bp
    from clubess.practices.problem_views import bp as problems_bp
    from clubess.practices.views import bp as practices_bp
    from clubess.press.communique_views import bp as press_communiques_bp
    from clubess.press.contact_views import bp as press_contacts_bp
    from clubess.press.import_views import bp as press_import_bp
    from clubess.press.views import bp as press_bp
    from clubess.report.views import bp as report_bp
    from clubess.resources.manage_views import bp as resources_manage_bp
    from clubess.resources.views import bp as resources_bp
    from clubess.territories.indicator_views import bp as indicators_bp
    from clubess.territories.map_views import bp as territory_map_bp
    from clubess.territories.policy_views import bp as policy_bp
    from clubess.territories.views import bp as territories_bp

    blueprints = (
        pages_bp,
        auth_bp,
        members_bp,
        member_area_bp,
        directory_bp,
        meetings_bp,
        planning_bp,
        series_bp,
        registrations_bp,
        registrants_bp,
        attendance_bp,
        minutes_bp,
        contributions_bp,
        survey_bp,
        commitment_area_bp,
        commitments_bp,
        policy_bp,
        unsubscribe_bp,
        practices_bp,
        problems_bp,
        practice_import_bp,
        actors_bp,
        actors_coordination_bp,
        actors_transfer_bp,
        press_bp,
        press_communiques_bp,
        press_contacts_bp,
        press_import_bp,
        resources_bp,
        resources_manage_bp,
        indicators_bp,
        territories_bp,
        dashboard_bp,
        digest_bp,
        home_bp,
        exports_bp,
        report_bp,
        territory_map_bp,
        mailing_bp,
        api_bp,
        ops_bp,
    )
    for bp in blueprints:
        app.register_blueprint(bp)


def register_mail(app: Flask) -> None:
    """The mail each domain renders at delivery (sources) and what unsubscribing from a list changes in its
    data: `mailing` imports no domain, the domains are wired to it here."""
    from clubess.auth.services import ResetSource
    from clubess.digest.notifications import DigestSource
    from clubess.digest.services import stop_news
    from clubess.mailing.models import Scope
    from clubess.mailing.sources import register_source
    from clubess.mailing.suppression import register_scope
    from clubess.meetings.minutes_mail import MinutesSource
    from clubess.meetings.notifications import InvitationSource
    from clubess.members.services import stop_invitations
    from clubess.press.mail import DeliverySource
    from clubess.press.subscriptions import stop_communiques

    register_source(app, ResetSource())
    register_source(app, InvitationSource(), scope=Scope.INVITATIONS)
    register_source(app, DeliverySource(), scope=Scope.COMMUNIQUES)
    register_source(app, MinutesSource(), scope=Scope.SUIVI)
    register_source(app, DigestSource(), scope=Scope.DIGEST)
    register_scope(app, Scope.INVITATIONS, on_unsubscribe=stop_invitations)
    register_scope(app, Scope.COMMUNIQUES, on_unsubscribe=stop_communiques)
    register_scope(app, Scope.DIGEST, on_unsubscribe=stop_news)


def register_territory_sections(app: Flask) -> None:
    """The sections of the territory pages, each registered by the feature that fills it (territories.sections):
    one line per feature."""
    from clubess.territories import indicator_section, map_sections, overview, policy

    overview.register_sections()  # the core sections: members, practices, meetings, problems, participation
    indicator_section.register_sections()
    policy.register_sections()
    map_sections.register_sections()


def register_access(app: Flask) -> None:
    """The rules of the domains under which an account gives no access, checked by auth wherever it loads
    a user (auth imports no domain: they are wired to it here)."""
    from clubess.auth.sessions import register_access_rule
    from clubess.members.access import MANDATE_ENDED

    register_access_rule(app, MANDATE_ENDED)


def register_cli(app: Flask) -> None:
    from clubess.actors.cli import actors_cli
    from clubess.auth.cli import users_cli
    from clubess.demo import demo_cli
    from clubess.digest.cli import digest_cli
    from clubess.mailing.cli import outbox_cli
    from clubess.meetings.cli import meetings_cli
    from clubess.members.cli import territories_cli
    from clubess.ops.cli import backup_command, restore_command
    from clubess.ops.schedule_cli import schedule_cli
    from clubess.practices.cli import practices_cli
    from clubess.resources.cli import resources_cli
    from clubess.retention.cli import retention_cli
    from clubess.territories.cli import indicators_cli

    groups = (
        users_cli,
        outbox_cli,
        territories_cli,
        practices_cli,
        actors_cli,
        resources_cli,
        meetings_cli,
        demo_cli,
        retention_cli,
        indicators_cli,
        digest_cli,
        schedule_cli,
    )
    for group in groups:
        app.cli.add_command(group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def register_hooks(app: Flask) -> None:
    from clubess.core.errors import register_error_handlers
    from clubess.core.pagecache import register_page_cache
    from clubess.core.security import register_security_headers
    from clubess.core.templating import register_templating
    from clubess.core.versions import install as track_data_versions
    from clubess.ops.logs import register_request_logging
    from clubess.ops.metrics import register_metrics

    register_request_logging(app)  # first: its after_request runs last, with the final status
    register_metrics(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_templating(app)
    track_data_versions()
    register_page_cache(app)
