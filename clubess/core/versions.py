"""Data versions: a token that changes with every committed change of what the pages show.

A rendered part of a page (a territory page's section, a feed) can be kept and served again as long as the
data it was made from has not changed. Every transaction that writes to a table not declared `ignore()`d gets,
as its last statement before COMMIT, a new random token for the scope `content`, in the same transaction: the
token a request reads is the one of the data it reads, on every process and every machine of a deployment.

- Random tokens, not a counter: a fresh test database (or a restored backup) never repeats a token, so a
  process can never take a cache entry of another database for its own.
- The token is written last, just before COMMIT: a transaction holds the row's lock only while it commits,
  so writers queue briefly there and never deadlock on it.
- Writes through the ORM (new, changed and deleted objects) and DML run through the session
  (`session.execute(sa.update(...))`) count; writes on a bare connection do not, and no code of the app
  makes them (the test suite's cleanup does, and starts from an empty table, so nothing is cached then).
- Tables whose rows no page content depends on (the outbox, the audit log, sessions…) are declared
  ignored by their module, so a worker delivering mail does not invalidate every cache.
- On PostgreSQL the token is read on a connection each process keeps for it, in autocommit: one round trip,
  where the request's session would take a connection from the pool (a ping), open a transaction and roll it
  back, which made a page served from memory cost twice what `/healthz` costs. The token is read before any of
  the page's data (a request reads it first, then keeps it in `g`), and PostgreSQL's statements each see the
  latest commit: what is rendered is never older than the token it is kept under.
"""

import os
import secrets
import threading
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy.orm import Mapped, Session, mapped_column

from clubess.core.db import Base, UtcDateTime, now_utc
from clubess.extensions import db

CONTENT = "content"
#: session.info key: the scopes this transaction changed
_CHANGED = "clubess.changed_scopes"
_IGNORED: set[str] = {"data_versions", "alembic_version"}


class DataVersion(Base):
    __tablename__ = "data_versions"

    scope: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(32))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())


def ignore(*tables: str) -> None:
    """Declare tables whose writes change nothing a cached page part shows."""
    _IGNORED.update(tables)


def _note(session: Session, table_names) -> None:
    if any(name not in _IGNORED for name in table_names):
        session.info.setdefault(_CHANGED, set()).add(CONTENT)


def _after_flush(session: Session, flush_context) -> None:
    objects = list(session.new) + list(session.dirty) + list(session.deleted)
    _note(session, {getattr(getattr(o, "__table__", None), "name", None) for o in objects} - {None})


def _do_orm_execute(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        _note(state.session, {getattr(table, "name", None)} - {None})


def _upsert(dialect_name: str):
    values = {"scope": sa.bindparam("scope"), "token": sa.bindparam("token"), "changed_at": sa.bindparam("at")}
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(DataVersion.__table__).values(**values)
    return statement.on_conflict_do_update(
        index_elements=["scope"], set_={"token": statement.excluded.token, "changed_at": statement.excluded.changed_at}
    )


def _before_commit(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this hook: what it writes must count too
    scopes = session.info.pop(_CHANGED, None)
    if not scopes:
        return
    if has_app_context():
        g.pop("_data_versions", None)
    connection = session.connection()
    statement = _upsert(connection.dialect.name)
    for scope in sorted(scopes):
        connection.execute(statement, {"scope": scope, "token": secrets.token_hex(16), "at": now_utc()})


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(_CHANGED, None)


def install() -> None:
    """Listen to every session of the app (idempotent: create_app may run many times in one process)."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _do_orm_execute),
        ("before_commit", _before_commit),
        ("after_soft_rollback", _after_soft_rollback),
    ):
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)


class _TokenReader:
    """The tokens read on a PostgreSQL connection of this process (and thread) of its own, in autocommit."""

    QUERY = "SELECT token, changed_at FROM data_versions WHERE scope = %s"

    def __init__(self):
        self._local = threading.local()
        #: connections inherited through a fork, or of another database: kept, never closed from here (closing
        #: a forked copy would end its parent's session)
        self._left: list = []

    def read(self, engine: sa.Engine, scope: str):
        local = self._local
        connection = getattr(local, "connection", None)
        if connection is not None and (local.pid != os.getpid() or local.url != engine.url):
            self._left.append(connection)
            connection = local.connection = None
        for attempt in (1, 2):
            if connection is None or connection.closed:
                connection = local.connection = self._connect(engine)
                local.pid, local.url = os.getpid(), engine.url
            try:
                return connection.execute(self.QUERY, (scope,), prepare=True).fetchone()
            except engine.dialect.loaded_dbapi.OperationalError:
                connection.close()  # the server restarted or the link dropped: once more on a new connection
                connection = local.connection = None
                if attempt == 2:
                    raise

    @staticmethod
    def _connect(engine: sa.Engine):
        args, kwargs = engine.dialect.create_connect_args(engine.url)
        connection = engine.dialect.loaded_dbapi.connect(*args, **kwargs)
        connection.autocommit = True
        return connection


_reader = _TokenReader()


def _read(scope: str) -> tuple[str | None, datetime | None]:
    engine = db.engine
    if engine.dialect.name == "postgresql":
        row = _reader.read(engine, scope)
        if row is None:
            return None, None
        token, changed_at = row
        return token, changed_at.astimezone(UTC) if changed_at.tzinfo else changed_at.replace(tzinfo=UTC)
    row = db.session.execute(
        sa.select(DataVersion.token, DataVersion.changed_at).where(DataVersion.scope == scope)
    ).first()
    return (row.token, row.changed_at) if row else (None, None)


def stamp(scope: str = CONTENT) -> tuple[str | None, datetime | None]:
    """The scope's token and when it last changed, read once per request (before the page's data), or
    (None, None) when no change was ever recorded (then nothing may be cached)."""
    cache = g.setdefault("_data_versions", {}) if has_app_context() else {}
    if scope not in cache:
        cache[scope] = _read(scope)
    return cache[scope]


def current(scope: str = CONTENT) -> str | None:
    """The scope's token (see `stamp`)."""
    return stamp(scope)[0]
