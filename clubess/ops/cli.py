"""`flask backup` and `flask restore`: the whole club in one archive, and back."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from clubess.ops.backup import create_backup, restore_backup
from clubess.ops.databases import BackupError


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="The archive to write, or a folder to write clubess-backup-<date>.tar.gz in.",
)
@with_appcontext
def backup_command(output: Path):
    """Back up the database, the uploaded files and SECRET_KEY into one archive (mode 0600)."""
    try:
        path, manifest = create_backup(output)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(manifest["tables"].values())
    click.echo(
        f"Backup written to {path}: {manifest['database']} database at revision {manifest['alembic_revision']}, "
        f"{rows} rows in {len(manifest['tables'])} tables, {manifest['files']} uploaded file(s)."
    )
    click.echo("It holds SECRET_KEY: keep it as you keep a password (mode 0600, encrypted off-site copies).")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the data of a database (and upload folder) that is not empty.")
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the backup's SECRET_KEY when it differs from this server's "
    "(default: instance/secret_key.restored).",
)
@with_appcontext
def restore_command(archive: Path, force: bool, key_file: Path | None):
    """Restore a `flask backup` archive into this server's (empty) database and upload folder."""
    try:
        result = restore_backup(archive, force=force, key_file=key_file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    manifest = result.manifest
    click.echo(
        f"Restored the backup of {manifest['created_at']}: {result.rows} rows in {len(manifest['tables'])} tables "
        f"(every count checked against the manifest), {result.files} uploaded file(s)."
    )
    if result.key_matches:
        click.echo("SECRET_KEY matches the backup's: links already mailed keep working.")
    elif result.key_file is not None:
        click.echo(
            f"SECRET_KEY differs from the backup's. The backup's key is in {result.key_file} (mode 0600): set "
            "SECRET_KEY to it in this server's environment and restart, or every link already mailed "
            "(unsubscribe, invitations, password resets) stops working. Then delete that file."
        )
    if result.needs_upgrade:
        click.echo("The backup is from an earlier version: run `flask --app wsgi db upgrade` now.")
