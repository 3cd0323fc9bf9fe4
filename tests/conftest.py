"""Test rails: app, database, client with CSRF, real SMTP server, query counter."""

import contextvars
import email
import email.policy
import os
import re
import socket
import threading
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient

from clubess import create_app
from clubess.extensions import db as _db
from clubess.extensions import limiter
from config import TestingConfig

pytest_plugins = [
    "tests.fixtures_members",
    "tests.fixtures_meetings",
    "tests.fixtures_followup",
    "tests.fixtures_practices",
    "tests.fixtures_press",
    "tests.fixtures_policy",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- SMTP ---------------------------------------------------------------------------------------


class _Handler:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        #: recipients for which the server answers a permanent refusal (550)
        self.refuse = set()
        #: recipient → how many more times the server answers "try again later" (451) after reading the message
        self.defer = {}
        #: the messages answered 451
        self.deferred = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox does not exist"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            deferred = [a for a in envelope.rcpt_tos if self.defer.get(a.lower(), 0) > 0]
            for address in deferred:
                self.defer[address.lower()] -= 1
            if deferred:
                self.deferred.append(parsed)
                return "451 4.3.0 Try again later"
            self.messages.append(parsed)
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it receives."""

    def __init__(self, port: int):
        self.port = port
        self.handler = _Handler()
        self.controller = None

    @property
    def messages(self):
        return list(self.handler.messages)

    def start(self):
        if self.controller is None:
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def clear(self):
        self.handler.messages.clear()
        self.handler.refuse.clear()
        self.handler.defer.clear()
        self.handler.deferred.clear()

    def to(self, address: str):
        return [m for m in self.messages if address.lower() in m["To"].lower()]

    @staticmethod
    def text_of(message) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @staticmethod
    def links_in(message) -> list[str]:
        return re.findall(r"https?://\S+", SmtpServer.text_of(message))

    @staticmethod
    def local_path(link: str) -> str:
        """A link in a mail without its scheme and host, to follow it on the test client or live server."""
        return re.sub(r"^https?://[^/]+", "", link)

    @staticmethod
    def link_path(message, containing: str) -> str:
        """The path of the first link of the mail that contains `containing`."""
        return SmtpServer.local_path(next(u for u in SmtpServer.links_in(message) if containing in u))


@pytest.fixture(scope="session")
def smtp_server():
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server):
    smtp_server.start()
    smtp_server.clear()
    yield smtp_server
    smtp_server.start()


# --- app and database ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app(smtp_server, tmp_path_factory):
    database_url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'clubess-test.db'}"
    )

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        MAIL_PORT = smtp_server.port
        UPLOAD_FOLDER = str(tmp_path_factory.mktemp("uploads"))

    app = create_app(Config)
    with app.app_context():
        from flask_migrate import upgrade

        existing = sa.MetaData()
        existing.reflect(_db.engine)  # what is there, even tables an older schema left behind
        existing.drop_all(_db.engine)
        upgrade()  # the real migrations, not create_all: they are tested on every run
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(request, app):
    """Every test starts with empty tables, an empty rate-limit store, no logged-in user and the app's settings
    as they were (a test that changes one and forgets it no longer changes the tests after it)."""
    settings = dict(app.config)
    yield
    app.config.clear()
    app.config.update(settings)
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())
        limiter.reset()


@pytest.fixture
def no_page_cache(app):
    """Every page made by its view (core.pagecache off): for tests that count what a page costs to make."""
    app.config["PAGE_CACHE"] = False
    yield
    app.config["PAGE_CACHE"] = True


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def db(app_ctx):
    yield _db
    _db.session.remove()


# --- client -------------------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class FormClient(FlaskClient):
    """A test client that submits forms the way a browser does: with the CSRF token of the page.

    Each request runs in a fresh context, as in a real server: it never shares the test's app
    context, so neither `g` nor the database session leak between the test and the request.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self, url: str = "/connexion") -> str:
        token = self.page_token(url)
        assert token, f"no CSRF token on {url}"
        return token

    def page_token(self, url: str) -> str | None:
        """The page's CSRF token, or None for a form that needs none (a signed link's form, a visitor's page)."""
        match = CSRF_RE.search(self.get(url).get_data(as_text=True))
        return match.group(1) if match else None

    def choose_language(self, lang: str, next: str = "/"):
        """Switch the language as a browser does from `next`: the form (signed in) or the link (a visitor)."""
        html = self.get(next).get_data(as_text=True)
        if 'class="lang-switch" method="post"' in html:
            return self.submit("/langue", {"lang": lang, "next": next}, form_url=next)
        return self.get(f"/langue/{lang}", query_string={"next": next})

    def submit(self, url: str, data: dict | None = None, form_url: str | None = None, **kwargs):
        """Post `data` as the page's form would: with its token when it has one (the app refuses a form
        without the token it needs, so a missing token still fails the test)."""
        data = dict(data or {})
        token = self.page_token(form_url or url)
        if token:
            data["csrf_token"] = token
        return self.post(url, data=data, **kwargs)

    def confirm(self, url: str, data: dict | None = None, form_url: str | None = None, expect: str | None = None):
        """An action behind a confirmation page: ask (GET `url`, or submit `data` to it), check the page
        and what it states (`expect`), then press its button. Returns the button's response."""
        from tests.pages import check_page, confirmation_form

        asked = self.get(url) if data is None else self.submit(url, data, form_url)
        html = asked.get_data(as_text=True)
        assert asked.status_code == 200, (asked.status_code, html[:2000])
        check_page(html)
        if expect is not None:
            assert expect in html, html[:4000]
        from werkzeug.datastructures import MultiDict

        action, fields = confirmation_form(html)
        return self.post(action, data=MultiDict(fields))

    def login(self, email: str, password: str = "un mot de passe solide"):
        response = self.submit("/connexion", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response


@pytest.fixture
def client(app):
    app.test_client_class = FormClient
    yield app.test_client()


# --- factories and helpers ----------------------------------------------------------------------


@pytest.fixture
def make_user(db):
    from tests.factories import UserFactory

    def make(**kwargs):
        user = UserFactory(**kwargs)
        db.session.commit()
        return user

    return make


@pytest.fixture
def coordinator(make_user):
    return make_user(role="coordinator", email="coordination@example.org")


@pytest.fixture
def admin(make_user):
    return make_user(role="admin", email="admin@example.org")


class QueryCounter:
    def __init__(self):
        self.statements = []

    @property
    def count(self):
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter:` counts the SQL statements run inside the block."""

    @contextmanager
    def counting():
        counter = QueryCounter()

        def listener(conn, cursor, statement, parameters, context, executemany):
            counter.statements.append(statement)

        with app.app_context():
            engine = _db.engine
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)

    return counting


# --- CI: a skipped test is a failure ------------------------------------------------------------


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped:
        reporter.write_line(f"CI: {len(skipped)} skipped test(s): a skipped test is a failure here.", red=True)
        session.exitstatus = 1
