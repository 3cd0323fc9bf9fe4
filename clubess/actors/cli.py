"""`flask actors import|export|reindex`: ESS organisations and their solutions."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from clubess.actors import transfer
from clubess.extensions import db
from clubess.practices.search.rebuild import reindex_solutions

actors_cli = AppGroup("actors", help="ESS actors: import, export, search index of their solutions.")


@actors_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default=None, help="Default: from the suffix.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid records even if some are rejected.")
def import_command(path, fmt, skip_invalid):
    """Upsert organisations (by name) and solutions (by ref) from FILE: JSON {"actors": [...]} or CSV, each
    record with its `kind` (organisation or solution)."""
    fmt = fmt or ("csv" if path.suffix.lower() == ".csv" else "json")
    try:
        records = transfer.parse(path.read_bytes(), fmt)
    except ValueError as exc:
        raise click.ClickException(f"{path}: {exc}; nothing imported") from None
    report = transfer.import_records(records, skip_invalid=skip_invalid)
    for label, reason in report.rejected:
        click.echo(f"rejected {label}: {reason}", err=True)
    if not report.applied:
        db.session.rollback()
        raise click.ClickException(
            f"{len(report.rejected)} invalid record(s): nothing imported (fix them, or use --skip-invalid)"
        )
    db.session.commit()
    click.echo(f"created: {report.created}, updated: {report.updated}, rejected: {len(report.rejected)}")


@actors_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
def export_command(fmt):
    """Write the directory and its published solutions to standard output."""
    organisations = transfer.listed_organisations()
    sys.stdout.write(transfer.to_json(organisations) if fmt == "json" else transfer.to_csv(organisations))


@actors_cli.command("reindex")
def reindex_command():
    """Rebuild the search index rows of every solution (committed by batches)."""
    count = 0
    for done in reindex_solutions():
        db.session.commit()
        count += done
    click.echo(f"reindexed: {count}")
