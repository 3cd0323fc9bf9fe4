"""`flask backup` / `flask restore`: a populated club restored into an empty database is found whole."""

import json
import os
import stat
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from clubess import create_app
from clubess.extensions import db as _db
from config import TestingConfig

OTHER_KEY = "a-different-secret-key-of-the-new-server-0123456789"


def _count_rows(url: str) -> dict[str, int]:
    """Rows per table, read straight from the database (not through the app)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            return {n: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(n))) for n in sorted(names)}
    finally:
        engine.dispose()


@pytest.fixture
def empty_database(app, tmp_path):
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL database (dropped afterwards)."""
    source = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if source.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"{source.database}_restore"
    admin = sa.create_engine(source, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield source.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _app_on(url: str, secret_key: str, tmp_path: Path, name: str):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = secret_key
        UPLOAD_FOLDER = str(tmp_path / name / "uploads")

    return create_app(Config)


@pytest.fixture
def populated_club(app, db, tmp_path, monkeypatch):
    """The demo club plus an invitation, a queued mail, an uploaded file and an unsubscribe link already sent."""
    from clubess.auth import services as auth_services
    from clubess.mailing.services import unsubscribe_headers
    from clubess.meetings.models import Invitation, Meeting

    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.status == "published").limit(1))
    db.session.add(Invitation(meeting=meeting, email="invitee@exemple.fr", name="Invitée"))
    auth_services.request_password_reset("admin@club-ess.example.org")
    db.session.commit()
    uploads = tmp_path / "source" / "uploads"
    (uploads / "rencontres" / "12").mkdir(parents=True)
    (uploads / "rencontres" / "12" / "support.pdf").write_bytes(b"%PDF-1.7 support de la rencontre")
    # a contacts file waiting for its import's confirmation (an hour at most): not the club's data, not kept
    (uploads / "imports").mkdir()
    (uploads / "imports" / "a1b2.data").write_bytes(b"email\nzoe@exemple.fr\n")
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(uploads))
    link, _headers = unsubscribe_headers("invitee@exemple.fr", "invitations")
    counts = _count_rows(app.config["SQLALCHEMY_DATABASE_URI"])
    for table in (
        "members",
        "meetings",
        "registrations",
        "invitations",
        "practices",
        "search_postings",
        "press_contacts",
        "outbox_messages",
    ):
        assert counts[table] > 0, table
    return {"counts": counts, "unsubscribe_path": link.split("://", 1)[1].split("/", 1)[1]}


def test_backup_restores_into_an_empty_database_with_everything(app, populated_club, empty_database, tmp_path):
    archive = tmp_path / "backups" / "club.tar.gz"
    archive.parent.mkdir()
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(archive).st_mode) == 0o600  # it holds SECRET_KEY
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"] == sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    assert manifest["tables"] == populated_club["counts"]
    assert manifest["alembic_revision"]
    assert manifest["files"] == 1

    restored = _app_on(empty_database, OTHER_KEY, tmp_path, "target")
    key_file = tmp_path / "restored-key"
    with restored.app_context():  # the test holds the source app's context; the command runs in the target's
        result = restored.test_cli_runner().invoke(args=["restore", str(archive), "--key-file", str(key_file)])
        _db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert "SECRET_KEY" in result.output and str(key_file) in result.output

    assert _count_rows(empty_database) == populated_club["counts"]  # every table, row for row
    restored_file = tmp_path / "target" / "uploads" / "rencontres" / "12" / "support.pdf"
    assert restored_file.read_bytes() == b"%PDF-1.7 support de la rencontre"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert key_file.read_text().strip() == app.config["SECRET_KEY"]

    # a practice is found by the search engine of the restored club
    client = restored.test_client()
    found = client.get("/api/v1/practices?q=ressourcerie").get_json()
    assert found["total"] >= 1, found
    # the unsubscribe link mailed before the backup: refused with the new server's own key...
    assert client.get("/" + populated_club["unsubscribe_path"]).status_code == 400
    # ...and valid once the restored key is in place, as the restore told
    with_key = _app_on(empty_database, key_file.read_text().strip(), tmp_path, "target")
    page = with_key.test_client().get("/" + populated_club["unsubscribe_path"])
    assert page.status_code == 200
    assert "invitee@exemple.fr" in page.get_data(as_text=True)
    for other in (restored, with_key):
        with other.app_context():
            _db.engine.dispose()


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(app, populated_club, tmp_path):
    archive = tmp_path / "club.tar.gz"
    assert app.test_cli_runner().invoke(args=["backup", "--output", str(archive)]).exit_code == 0
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["restore", str(archive), "--key-file", str(tmp_path / "key")])
    assert refused.exit_code != 0
    assert "not empty" in refused.output and "--force" in refused.output
    assert _count_rows(app.config["SQLALCHEMY_DATABASE_URI"]) == populated_club["counts"]  # untouched

    # the club changes after the backup; --force puts it back as it was
    with app.app_context():
        _db.session.execute(sa.text("DELETE FROM invitations"))
        _db.session.commit()
    forced = runner.invoke(args=["restore", str(archive), "--force", "--key-file", str(tmp_path / "key")])
    assert forced.exit_code == 0, forced.output
    with app.app_context():
        _db.engine.dispose()
    assert _count_rows(app.config["SQLALCHEMY_DATABASE_URI"]) == populated_club["counts"]
    assert "matches" in forced.output  # same server, same key: nothing to do
    assert not (tmp_path / "key").exists()


def test_restore_refuses_what_is_not_a_backup_of_this_application(app, tmp_path):
    not_a_backup = tmp_path / "photos.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as tar:
        tar.add(__file__, arcname="notes.py")
    result = app.test_cli_runner().invoke(args=["restore", str(not_a_backup)])
    assert result.exit_code != 0
    assert "not a clubess backup" in result.output

    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not even a tar file")
    result = app.test_cli_runner().invoke(args=["restore", str(garbage)])
    assert result.exit_code != 0
    assert "not a clubess backup" in result.output


def test_backup_never_overwrites_an_existing_file(app, tmp_path):
    archive = tmp_path / "club.tar.gz"
    archive.write_text("an older backup")
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(archive)])
    assert result.exit_code != 0
    assert archive.read_text() == "an older backup"


def test_backup_into_a_folder_names_the_archive_by_date(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (archive,) = tmp_path.glob("clubess-backup-*.tar.gz")
    assert stat.S_IMODE(os.stat(archive).st_mode) == 0o600
    assert not list(tmp_path.glob("*.partial"))


def test_a_backup_taken_while_the_club_is_in_use_restores_exactly_what_its_manifest_says(
    app, populated_club, empty_database, tmp_path
):
    """Writes go on during the backup: the dump and the manifest's counts come from one snapshot, so the
    restore (which checks every table's count against the manifest) succeeds."""
    import threading

    from clubess.core.audit import AuditEvent

    stop = threading.Event()
    written = []

    def keep_writing():
        engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        try:
            while not stop.is_set():
                with engine.begin() as conn:
                    conn.execute(sa.insert(AuditEvent).values(action="test.busy", actor_label="robot", details={}))
                written.append(1)
        finally:
            engine.dispose()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:  # the club is busy before the backup starts
            stop.wait(0.01)
        archive = tmp_path / "busy.tar.gz"
        result = app.test_cli_runner().invoke(args=["backup", "--output", str(archive)])
        during = len(written)
    finally:
        stop.set()
        writer.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert len(written) > during or during > 5  # it really wrote while the backup ran

    restored = _app_on(empty_database, app.config["SECRET_KEY"], tmp_path, "busy")
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", str(archive)])
        _db.engine.dispose()
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert _count_rows(empty_database) == manifest["tables"]
