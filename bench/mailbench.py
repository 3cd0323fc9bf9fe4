"""What the mail benchmarks share: a local SMTP server that counts what it receives, and an app on an empty
database (a scratch SQLite file, or the given database emptied first) that delivers to it."""

import socket
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class LocalSmtp:
    """aiosmtpd on 127.0.0.1, on a free port; `received` counts the mails each address got."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.received: Counter = Counter()
        self._lock = threading.Lock()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.received.update(envelope.rcpt_tos)
        return "250 OK"

    @property
    def total(self) -> int:
        return sum(self.received.values())

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


def fresh_app(database_url: str | None, smtp: LocalSmtp):
    """The app in development mode, rate limits off, mail to `smtp`, on an emptied and migrated database."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from clubess import create_app
    from clubess.extensions import db
    from config import DevelopmentConfig

    url = database_url or f"sqlite:///{tempfile.mkdtemp(prefix='clubess-bench-')}/bench.db"

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        MAIL_SERVER = "127.0.0.1"
        MAIL_PORT = smtp.port
        OUTBOX_BATCH_SIZE = 200
        MAIL_BULK_PER_MINUTE = 0  # the throttle is a setting; the benches measure the worker itself
        RATELIMIT_ENABLED = False

    app = create_app(Config)
    with app.app_context():
        existing = sa.MetaData()
        existing.reflect(db.engine)
        existing.drop_all(db.engine)
        upgrade()
    return app


def engine_name(app) -> str:
    return "PostgreSQL" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else "SQLite"
