"""Configuration classes: every setting can come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _env(name: str, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


class Config:
    """Settings shared by every environment; each one can be overridden by the environment."""

    ENV_NAME = "base"
    SECRET_KEY = _env("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL")  # None: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    ALLOW_SQLITE_IN_PRODUCTION = _env_bool("ALLOW_SQLITE_IN_PRODUCTION", False)
    #: the port `make run` serves on
    PORT = _env_int("PORT", 5000)
    #: the site's address in mail links; unset: http://127.0.0.1:<PORT> (required in production)
    BASE_URL = _env("BASE_URL")

    CLUB_NAME = _env("CLUB_NAME", "Club des collectivités pour l'ESS")
    CLUB_SHORT_NAME = _env("CLUB_SHORT_NAME", "Club ESS")
    CLUB_REGION_CODE = _env("CLUB_REGION_CODE", "11")
    CLUB_REGION_NAME = _env("CLUB_REGION_NAME", "Île-de-France")
    CLUB_CONTACT_EMAIL = _env("CLUB_CONTACT_EMAIL", "contact@club-ess.example.org")
    TIMEZONE = _env("TIMEZONE", "Europe/Paris")
    DEFAULT_LOCALE = _env("DEFAULT_LOCALE", "fr")
    LOCALES = ("fr", "en")

    MAIL_SERVER = _env("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_FROM = _env("MAIL_FROM", "Club ESS <ne-pas-repondre@club-ess.example.org>")
    MAIL_SUPPRESS_SEND = False
    #: seconds before a silent SMTP server counts as down (Flask-Mail has no timeout of its own)
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 20)
    OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_BACKOFF_SECONDS = _env_int("OUTBOX_BACKOFF_SECONDS", 60)
    OUTBOX_BATCH_SIZE = _env_int("OUTBOX_BATCH_SIZE", 50)
    #: bulk mail (communiqués, invitations) sent per minute at most, by all workers together; 0: no limit
    MAIL_BULK_PER_MINUTE = _env_int("MAIL_BULK_PER_MINUTE", 600)
    #: a message claimed by a worker that died is offered again after this many seconds
    OUTBOX_LEASE_SECONDS = _env_int("OUTBOX_LEASE_SECONDS", 600)

    #: reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host (nginx: 1); 0 ignores the headers
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    #: unset: memory:// (counts per worker), refused in production: use redis://
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI")
    #: if Redis goes away, each worker counts in memory until it is back (logins keep working, never a 500)
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN_IP = _env("RATELIMIT_LOGIN_IP", "20 per minute;100 per hour")
    RATELIMIT_LOGIN_ACCOUNT = _env("RATELIMIT_LOGIN_ACCOUNT", "5 per minute;20 per hour")
    RATELIMIT_RESET_IP = _env("RATELIMIT_RESET_IP", "5 per minute;30 per hour")
    RATELIMIT_RESET_ACCOUNT = _env("RATELIMIT_RESET_ACCOUNT", "3 per minute;10 per hour")

    #: argon2id cost; tests lower it, production keeps the library's recommended values
    ARGON2_TIME_COST = _env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = _env_int("ARGON2_MEMORY_COST", 65536)
    ARGON2_PARALLELISM = _env_int("ARGON2_PARALLELISM", 4)
    PASSWORD_MIN_LENGTH = 12
    RESET_TOKEN_MAX_AGE = _env_int("RESET_TOKEN_MAX_AGE", 3600)
    WELCOME_TOKEN_MAX_AGE = _env_int("WELCOME_TOKEN_MAX_AGE", 14 * 24 * 3600)
    VERIFY_TOKEN_MAX_AGE = _env_int("VERIFY_TOKEN_MAX_AGE", 7 * 24 * 3600)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    #: "rester connecté": the remember cookie, and its login session on the server, last this long after login
    REMEMBER_COOKIE_DURATION = timedelta(days=_env_int("REMEMBER_DAYS", 30))
    #: a login without "rester connecté" ends after this long unused (and when the browser closes)
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    HSTS = False
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    SQLALCHEMY_RECORD_QUERIES = False
    SHOW_DEV_OUTBOX = False

    #: hours a freed seat is held for the first person of the waiting list before the next one is offered it
    MEETING_OFFER_HOURS = _env_int("MEETING_OFFER_HOURS", 48)
    #: days before a meeting when `flask meetings remind` mails registrants (comma separated)
    MEETING_REMINDER_DAYS = _env("MEETING_REMINDER_DAYS", "7,1")
    #: changes to a published meeting within this many minutes are sent as one update
    MEETING_UPDATE_DELAY_MINUTES = _env_int("MEETING_UPDATE_DELAY_MINUTES", 5)
    #: how long the links of an invitation or an offer stay valid
    MEETING_TOKEN_MAX_AGE = _env_int("MEETING_TOKEN_MAX_AGE", 120 * 24 * 3600)
    #: days the personal link to a meeting's satisfaction questionnaire works, from the mail that carries it
    MEETING_SURVEY_DAYS = _env_int("MEETING_SURVEY_DAYS", 30)
    #: days before a meeting when `flask meetings remind` asks the référents whose commitments are due for an update
    COMMITMENT_REMINDER_DAYS = _env_int("COMMITMENT_REMINDER_DAYS", 7)

    #: the club's press contact, shown in the press room and prefilled in each communiqué
    PRESS_CONTACT_NAME = _env("PRESS_CONTACT_NAME", "Service presse du club")
    PRESS_CONTACT_EMAIL = _env("PRESS_CONTACT_EMAIL", "presse@club-ess.example.org")
    PRESS_CONTACT_PHONE = _env("PRESS_CONTACT_PHONE", "")
    #: a communiqué's attachments: each file, and all of them together (what newsroom mailboxes accept)
    PRESS_ATTACHMENT_MAX_MB = _env_int("PRESS_ATTACHMENT_MAX_MB", 8)
    PRESS_ATTACHMENTS_TOTAL_MB = _env_int("PRESS_ATTACHMENTS_TOTAL_MB", 10)
    #: uploaded files kept on disk (meeting documents); unset: <instance>/uploads. `flask backup` includes it
    UPLOAD_FOLDER = _env("UPLOAD_FOLDER")
    #: or an S3-compatible bucket for them (core/storage.py): every instance reads what another wrote. The keys come
    #: from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; the endpoint names a provider other than AWS
    UPLOAD_S3_BUCKET = _env("UPLOAD_S3_BUCKET")
    UPLOAD_S3_ENDPOINT_URL = _env("UPLOAD_S3_ENDPOINT_URL")
    UPLOAD_S3_REGION = _env("UPLOAD_S3_REGION")
    UPLOAD_S3_PREFIX = _env("UPLOAD_S3_PREFIX", "")
    #: fonts of the PDFs (sign-in sheets): DejaVu Sans from this folder (Debian's fonts-dejavu-core), else the
    #: Vera fonts ReportLab ships (French accents, œ, « », ’; fewer of other languages' letters)
    PDF_FONT_DIR = _env("PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
    #: a meeting's or the resource centre's document: PDF and office files, and pictures (photos)
    RESOURCE_FILE_MAX_MB = _env_int("RESOURCE_FILE_MAX_MB", 25)
    RESOURCE_IMAGE_MAX_MB = _env_int("RESOURCE_IMAGE_MAX_MB", 10)
    #: larger requests are refused (413) before they are read
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH_MB", 20) * 1024 * 1024

    #: RGPD retention: `flask retention run` (cron, nightly) enforces each period, /confidentialite states it
    #: guests' registrations, and invitations of people who are not members: name and address removed after
    RETENTION_GUEST_MONTHS = _env_int("RETENTION_GUEST_MONTHS", 6)
    #: members' registrations and invitations: anonymised this long after the meeting
    RETENTION_REGISTRATION_YEARS = _env_int("RETENTION_REGISTRATION_YEARS", 3)
    #: a person is anonymised this long after their mandate ends or their collectivity leaves (account closed)
    RETENTION_MEMBER_MONTHS = _env_int("RETENTION_MEMBER_MONTHS", 12)
    #: the people of a rejected application are deleted this long after the decision
    RETENTION_REJECTED_MONTHS = _env_int("RETENTION_REJECTED_MONTHS", 6)
    #: a press contact without any communiqué sent (or unsubscribed, or bounced) this long is deleted
    RETENTION_PRESS_YEARS = _env_int("RETENTION_PRESS_YEARS", 3)
    #: mail sent or abandoned keeps its address and content this long (subject, category and dates stay)
    RETENTION_OUTBOX_DAYS = _env_int("RETENTION_OUTBOX_DAYS", 90)
    #: the audit log
    RETENTION_AUDIT_YEARS = _env_int("RETENTION_AUDIT_YEARS", 5)
    #: how long a press subscription's confirmation link is valid (an unconfirmed subscription goes after)
    PRESS_SUBSCRIBE_TOKEN_MAX_AGE = _env_int("PRESS_SUBSCRIBE_TOKEN_MAX_AGE", 7 * 24 * 3600)
    #: the legal notice (/mentions-legales, LCEN art. 6) and the privacy page's controller; empty lines are left out
    LEGAL_PUBLISHER = _env(
        "LEGAL_PUBLISHER",
        "CRESS Île-de-France (Chambre régionale de l'économie sociale et solidaire d'Île-de-France)",
    )
    LEGAL_PUBLISHER_FORM = _env("LEGAL_PUBLISHER_FORM", "association loi 1901")
    LEGAL_ADDRESS = _env("LEGAL_ADDRESS", "")
    LEGAL_PHONE = _env("LEGAL_PHONE", "")
    LEGAL_SIRET = _env("LEGAL_SIRET", "")
    LEGAL_PUBLICATION_DIRECTOR = _env(
        "LEGAL_PUBLICATION_DIRECTOR", "le président ou la présidente de la CRESS Île-de-France"
    )
    #: empty: the publisher hosts the platform itself (the notice says so)
    LEGAL_HOST = _env("LEGAL_HOST", "")
    LEGAL_HOST_ADDRESS = _env("LEGAL_HOST_ADDRESS", "")
    LEGAL_HOST_PHONE = _env("LEGAL_HOST_PHONE", "")
    #: empty: CLUB_CONTACT_EMAIL
    LEGAL_CONTACT_EMAIL = _env("LEGAL_CONTACT_EMAIL", "")

    #: the sentence-embedding signal of the matcher (~140 MiB per worker, loaded on first use)
    MATCH_SEMANTIC = _env_bool("MATCH_SEMANTIC", True)
    #: a newly published practice scoring at least this for a followed problem is mailed to its author
    MATCH_NOTIFY_SCORE = float(_env("MATCH_NOTIFY_SCORE", "0.55"))

    #: `flask schedule run` (one scheduler at a time, README « Deploying »): its lease, renewed before each job
    SCHEDULER_LEASE_SECONDS = _env_int("SCHEDULER_LEASE_SECONDS", 3600)
    #: `flask meetings remind` runs this often; `flask retention run` daily at this Paris time; `flask digest send`
    #: monthly on this day at this time
    SCHEDULE_REMIND_MINUTES = _env_int("SCHEDULE_REMIND_MINUTES", 15)
    SCHEDULE_RETENTION_AT = _env("SCHEDULE_RETENTION_AT", "03:00")
    SCHEDULE_DIGEST_DAY = _env_int("SCHEDULE_DIGEST_DAY", 1)
    SCHEDULE_DIGEST_AT = _env("SCHEDULE_DIGEST_AT", "08:00")
    #: `json`: one JSON object per log line (time, level, logger, message, request_id; one access line per request)
    LOG_FORMAT = _env("LOG_FORMAT", "text")
    #: who may read /metrics: addresses or networks, comma-separated (behind nginx: the client's address)
    METRICS_ALLOW = _env("METRICS_ALLOW", "127.0.0.1/32,::1/128")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False
    SHOW_DEV_OUTBOX = True


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite:///clubess-test.db")
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 8025
    MAIL_TIMEOUT = 3
    MAIL_SUPPRESS_SEND = False
    OUTBOX_BACKOFF_SECONDS = 0
    MAIL_BULK_PER_MINUTE = 0
    RATELIMIT_STORAGE_URI = "memory://"
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1
    SERVER_NAME = None
    BASE_URL = "http://localhost"
    SHOW_DEV_OUTBOX = True


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    HSTS = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env():
    """The config class named by CLUBESS_ENV (default: development)."""
    name = os.environ.get("CLUBESS_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"CLUBESS_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
