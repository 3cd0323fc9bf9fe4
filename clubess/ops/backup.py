"""One archive holds the whole club: the database, the uploaded files and SECRET_KEY, with a manifest to check.

Archive layout (tar.gz, written with mode 0600 since it holds the key):

    manifest.json      format, date, database kind, Alembic revision, rows per table, files
    database.dump      pg_dump --format=custom (PostgreSQL), or
    database.sqlite    a copy made with SQLite's online backup API
    secret_key         SECRET_KEY: without it every link already mailed (unsubscribe, invitations) breaks
    uploads/...        the UPLOAD_FOLDER tree, when it exists
"""

import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app

from clubess.core import staging, storage
from clubess.extensions import db
from clubess.ops import databases
from clubess.ops.databases import VERSION_TABLE, BackupError
from config import ROOT

FORMAT = 1
APPLICATION = "clubess"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite"}


@dataclass
class Restored:
    manifest: dict
    rows: int
    files: int
    key_matches: bool
    key_file: Path | None = None
    needs_upgrade: bool = False


def _kind(engine: sa.Engine) -> str:
    kind = engine.url.get_backend_name()
    if kind not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {kind}.")
    return kind


def _in_transit(path: Path, uploads: Path) -> bool:
    """A file waiting for an import's confirmation (core.staging): personal data kept an hour, not the club's."""
    return path.relative_to(uploads).parts[0] == staging.FOLDER


def _upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def default_name(now: datetime | None = None) -> str:
    return f"clubess-backup-{(now or datetime.now(UTC)):%Y%m%d-%H%M%S}.tar.gz"


# --- backup -------------------------------------------------------------------------------------


def create_backup(output: Path) -> tuple[Path, dict]:
    """Write the archive to `output` (a file that must not exist yet, or a folder to put it in)."""
    output = output / default_name() if output.is_dir() else output
    if output.exists():
        raise BackupError(f"{output} already exists: a backup never overwrites a file.")
    kind = _kind(db.engine)
    uploads = _upload_folder()
    with tempfile.TemporaryDirectory(prefix="clubess-backup-") as scratch:
        database_file = Path(scratch) / DATABASE_MEMBERS[kind]
        if kind == "postgresql":
            counts, revision = databases.dump_postgresql(db.engine, database_file)
        else:
            counts, revision = databases.copy_sqlite(db.engine, database_file)
        # files kept in an S3 bucket are the bucket's to keep (its versioning or replication): not in the archive
        files = (
            sorted(p for p in uploads.rglob("*") if p.is_file() and not _in_transit(p, uploads))
            if storage.is_folder() and uploads.is_dir()
            else []
        )
        manifest = {
            "format": FORMAT,
            "application": APPLICATION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": kind,
            "alembic_revision": revision,
            "tables": counts,
            "files": len(files),
            "files_bytes": sum(p.stat().st_size for p in files),
        }
        partial = output.with_name(output.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)  # whatever the umask: the archive holds SECRET_KEY
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2, sort_keys=True).encode())
                tar.add(database_file, arcname=database_file.name)
                _add_bytes(tar, "secret_key", current_app.config["SECRET_KEY"].encode())
                for path in files:
                    tar.add(path, arcname=f"uploads/{path.relative_to(uploads).as_posix()}", recursive=False)
            os.replace(partial, output)  # a backup that stopped half-way never carries the final name
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return output, manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


# --- restore ------------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile("manifest.json"))
    except (KeyError, ValueError, AttributeError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("application") != APPLICATION:
        raise BackupError("This file is not a clubess backup (no clubess manifest in it).")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup has format {manifest.get('format')}; this version reads format {FORMAT}.")
    return manifest


def open_archive(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is not a clubess backup ({exc}).") from None


def restore_backup(path: Path, force: bool = False, key_file: Path | None = None) -> Restored:
    """Put the archive's database and files in place of this server's; refuse to replace data unless `force`."""
    engine = db.engine
    kind = _kind(engine)
    uploads = _upload_folder()
    with open_archive(path) as tar:
        manifest = read_manifest(tar)
        if manifest.get("database") != kind:
            raise BackupError(
                f"This backup is of a {manifest.get('database')} database; this server uses {kind}. "
                "Restore it on the same kind of database."
            )
        needs_upgrade = _check_revision(manifest.get("alembic_revision", ""))
        if not force:
            _check_empty(engine, uploads)
        with tempfile.TemporaryDirectory(prefix="clubess-restore-") as scratch:
            scratch = Path(scratch)
            members = [m for m in tar.getmembers() if m.name in (DATABASE_MEMBERS[kind], "secret_key")]
            members += [m for m in tar.getmembers() if m.name.startswith("uploads/")]
            tar.extractall(scratch, members=members, filter="data")
            database_file = scratch / DATABASE_MEMBERS[kind]
            if not database_file.is_file():
                raise BackupError("This backup holds no database.")
            if kind == "sqlite":
                checked, _revision = databases.read_sqlite(database_file)
                if checked != manifest["tables"]:
                    raise BackupError("The database in the backup does not match its manifest: not restored.")
            db.session.remove()
            if kind == "postgresql":
                databases.restore_postgresql(engine, database_file, scratch)
            else:
                databases.restore_sqlite(engine, database_file)
            engine.dispose()
            with engine.connect() as connection:
                restored = databases.count_rows(connection)
            if restored != manifest["tables"]:
                tables = set(restored) | set(manifest["tables"])
                different = sorted(t for t in tables if restored.get(t) != manifest["tables"].get(t))
                raise BackupError(f"Restored, but the row counts differ from the backup's in: {', '.join(different)}.")
            files = _put_uploads(scratch / "uploads", uploads)
            key = (scratch / "secret_key").read_text().strip() if (scratch / "secret_key").is_file() else ""
    result = Restored(
        manifest, rows=sum(restored.values()), files=files, key_matches=False, needs_upgrade=needs_upgrade
    )
    result.key_matches = key == current_app.config["SECRET_KEY"]
    if key and not result.key_matches:
        result.key_file = key_file or Path(current_app.instance_path) / "secret_key.restored"
        _write_private(result.key_file, key + "\n")
    return result


def _check_revision(revision: str) -> bool:
    """Whether migrations must run after the restore; a backup made by a newer version is refused."""
    script = ScriptDirectory(str(ROOT / "migrations"))
    known = {rev.revision for rev in script.walk_revisions()}
    revisions = {r for r in revision.split(",") if r}
    unknown = sorted(revisions - known)
    if unknown:
        raise BackupError(
            f"This backup comes from a newer version of clubess (migration {', '.join(unknown)} is unknown here): "
            "install that version to restore it."
        )
    return revisions != set(script.get_heads())


def _check_empty(engine: sa.Engine, uploads: Path) -> None:
    with engine.connect() as connection:
        counts = databases.count_rows(connection)
    filled = {t: n for t, n in counts.items() if n and t != VERSION_TABLE}
    if filled:
        sample = ", ".join(f"{n} in {t}" for t, n in sorted(filled.items(), key=lambda item: -item[1])[:3])
        raise BackupError(
            f"The database is not empty ({sample}…): restore into an empty database, "
            "or add --force to replace everything in it with the backup."
        )
    if uploads.is_dir() and any(p.is_file() for p in uploads.rglob("*")):
        raise BackupError(
            f"The upload folder {uploads} is not empty: empty it, or add --force to replace it with the backup's."
        )


def _put_uploads(extracted: Path, uploads: Path) -> int:
    if uploads.exists():
        shutil.rmtree(uploads)
    if not extracted.is_dir():
        return 0
    uploads.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(extracted), uploads)
    return sum(1 for p in uploads.rglob("*") if p.is_file())


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
