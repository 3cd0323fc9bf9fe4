"""`flask territories load`."""

import click
from flask.cli import AppGroup

from clubess.extensions import db
from clubess.members.territories import data_file, load_territories

territories_cli = AppGroup("territories", help="Territory reference data.")


@territories_cli.command("load")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Another territories file (default: the shipped one for CLUB_REGION_CODE).",
)
def load_command(path):
    """Load or update the territories of the configured region (safe to run again)."""
    from pathlib import Path

    counts = load_territories(Path(path) if path else data_file())
    db.session.commit()
    click.echo(
        f"territories: {counts['total']} in file, {counts['created']} created, {counts['updated']} updated, "
        f"{counts['links']} hierarchy links"
    )
