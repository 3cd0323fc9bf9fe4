"""`flask practices import|export|reindex` and `flask thesaurus load`."""

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from clubess.extensions import db
from clubess.practices import transfer
from clubess.practices.models import Practice, PracticeStatus
from clubess.practices.search.rebuild import reindex_practices
from clubess.practices.services import load_default_thesaurus

practices_cli = AppGroup("practices", help="Good practices: import, export, search index.")


@practices_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default=None, help="Default: from the suffix.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid records even if some are rejected.")
@click.option("--status", type=click.Choice([s.value for s in PracticeStatus]), default="published", show_default=True)
def import_command(path, fmt, skip_invalid, status):
    """Upsert practices by ref from FILE (JSON like matching-dev.json, or CSV with the same columns)."""
    fmt = fmt or ("csv" if path.suffix.lower() == ".csv" else "json")
    try:
        records = transfer.parse(path.read_bytes(), fmt)
    except ValueError as exc:
        raise click.ClickException(f"{path}: {exc}; nothing imported") from None
    report = transfer.import_records(records, skip_invalid=skip_invalid, status=status)
    for label, reason in report.rejected:
        click.echo(f"rejected {label}: {reason}", err=True)
    if not report.applied:
        db.session.rollback()
        raise click.ClickException(
            f"{len(report.rejected)} invalid record(s): nothing imported (fix them, or use --skip-invalid)"
        )
    db.session.commit()
    click.echo(f"created: {report.created}, updated: {report.updated}, rejected: {len(report.rejected)}")


@practices_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--all", "include_all", is_flag=True, help="Drafts and archived practices too.")
def export_command(fmt, include_all):
    """Write the published practices to standard output."""
    stmt = sa.select(Practice).order_by(Practice.ref)
    if not include_all:
        stmt = stmt.where(Practice.status == PracticeStatus.PUBLISHED)
    practices = list(db.session.scalars(stmt))
    sys.stdout.write(transfer.to_json(practices) if fmt == "json" else transfer.to_csv(practices))


@practices_cli.command("reindex")
def reindex_command():
    """Rebuild the search index of every practice (committed by batches)."""
    count = 0
    for done in reindex_practices():
        db.session.commit()
        count += done
    click.echo(f"reindexed: {count}")


@practices_cli.command("thesaurus")
def thesaurus_command():
    """Load the default ESS thesaurus when it is empty."""
    count = load_default_thesaurus()
    db.session.commit()
    click.echo(f"thesaurus entries added: {count}")
