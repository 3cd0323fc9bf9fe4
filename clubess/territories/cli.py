"""`flask indicators import FILE [--dry-run]`: the ESS indicators from an observatory's CSV."""

from pathlib import Path

import click
from flask.cli import AppGroup

from clubess.extensions import db
from clubess.territories import indicator_import

indicators_cli = AppGroup("indicators", help="ESS indicators of the territories.")


@indicators_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and say what it would do; write nothing.")
def import_command(path: Path, dry_run: bool):
    """Import the figures of a CSV (territoire;annee;indicateur;valeur;source). Any error: nothing is written,
    every problem is printed with its line, and the exit code is 1."""
    report = indicator_import.import_figures(None, path.read_bytes(), path.name)
    if not report.ok:
        db.session.rollback()
        for problem in report.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(report.problems)} problem(s): nothing imported.", err=True)
        raise SystemExit(1)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for example in report.examples:
        click.echo(
            f"  {example.territory_name}, {example.indicator_label}, {example.year}: {example.old:g} → {example.new:g}"
        )
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{len(report.figures)} figures read: {report.created} {verb} new, {report.replaced} {verb} replaced, "
        f"{report.unchanged} unchanged." + (" Dry run: nothing written." if dry_run else "")
    )
