"""Copying the database out and back in: pg_dump/pg_restore for PostgreSQL, the online backup API for SQLite."""

import os
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa

VERSION_TABLE = "alembic_version"


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why and what to do."""


def count_rows(connection) -> dict[str, int]:
    """Rows per table (the Alembic version table included), read inside the caller's transaction."""
    names = sorted(sa.inspect(connection).get_table_names())
    return {name: connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name))) for name in names}


def revision_of(connection) -> str:
    if VERSION_TABLE not in sa.inspect(connection).get_table_names():
        return ""
    versions = connection.scalars(sa.select(sa.column("version_num")).select_from(sa.table(VERSION_TABLE)))
    return ",".join(sorted(versions))


def _run(command: list[str], env: dict | None = None) -> None:
    try:
        # the PostgreSQL client tools, with arguments built here (the password goes through PGPASSWORD)
        subprocess.run(  # noqa: S603
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
        )
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).") from None
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()[-2000:]}") from None


def _libpq(url: sa.engine.URL) -> tuple[str, dict]:
    """A libpq connection URI without the password (it goes through PGPASSWORD, never on a command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


# --- PostgreSQL ---------------------------------------------------------------------------------


def dump_postgresql(engine: sa.Engine, target: Path) -> tuple[dict[str, int], str]:
    """pg_dump (custom format) of one snapshot; the row counts and revision come from the same snapshot."""
    uri, env = _libpq(engine.url)
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with connection.begin():
            snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
            counts, revision = count_rows(connection), revision_of(connection)
            # the exporting transaction stays open while pg_dump reads the snapshot
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
                + [f"--file={target}", f"--dbname={uri}"],
                env,
            )
    return counts, revision


def restore_postgresql(engine: sa.Engine, dump: Path, scratch: Path) -> None:
    """Replace every table by the dump's in one transaction: if anything fails, the database is as it was."""
    uri, env = _libpq(engine.url)
    drops, script = scratch / "drop.sql", scratch / "restore.sql"
    tables = sa.inspect(engine).get_table_names()
    drops.write_text(
        f"DROP TABLE IF EXISTS {', '.join(_quote(engine, t) for t in tables)} CASCADE;\n" if tables else ""
    )
    _run(["pg_restore", "--no-owner", "--no-privileges", f"--file={script}", str(dump)], env)
    _run(
        ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1", f"--dbname={uri}"]
        + [f"--file={drops}", f"--file={script}"],
        env,
    )


def _quote(engine: sa.Engine, name: str) -> str:
    return engine.dialect.identifier_preparer.quote(name)


# --- SQLite -------------------------------------------------------------------------------------


def sqlite_path(engine: sa.Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def copy_sqlite(engine: sa.Engine, target: Path) -> tuple[dict[str, int], str]:
    """A consistent copy while the app runs (SQLite's online backup API), then counts read from the copy."""
    source = sqlite3.connect(sqlite_path(engine), timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    return read_sqlite(target)


def read_sqlite(path: Path) -> tuple[dict[str, int], str]:
    """Row counts and revision of a SQLite file, after checking it is a sound database."""
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            if connection.scalar(sa.text("PRAGMA integrity_check")) != "ok":
                raise BackupError("The database in the backup is damaged (SQLite integrity check failed).")
            return count_rows(connection), revision_of(connection)
    except sa.exc.DatabaseError:
        raise BackupError("The database in the backup is not a SQLite database.") from None
    finally:
        engine.dispose()


def restore_sqlite(engine: sa.Engine, copy: Path) -> None:
    """Write the copy over the database, page by page, through the backup API (open connections see it)."""
    engine.dispose()
    source = sqlite3.connect(copy)
    target = sqlite3.connect(sqlite_path(engine), timeout=30)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
