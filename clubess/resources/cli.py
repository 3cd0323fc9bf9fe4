"""`flask resources reindex`: rebuild the resource centre's search index."""

import click
from flask.cli import AppGroup

from clubess.extensions import db
from clubess.resources.search import reindex_all

resources_cli = AppGroup("resources", help="Documents of meetings and the resource centre: search index.")


@resources_cli.command("reindex")
def reindex_command():
    """Write the search postings of every document again (after an upgrade that changes the analysis)."""
    count = reindex_all()
    db.session.commit()
    click.echo(f"documents indexed: {count}")
