"""`flask digest send`: the members' monthly news digest (cron)."""

import click
from flask.cli import AppGroup

from clubess.core.errors import DomainError
from clubess.digest.services import parse_period, queue_digests
from clubess.extensions import db

digest_cli = AppGroup("digest", help="The members' monthly news digest.")


@digest_cli.command("send")
@click.option("--period", default="", help="The month, YYYY-MM (default: the current month).")
@click.option("--dry-run", is_flag=True, help="Count, queue nothing.")
def send_command(period, dry_run):
    """Queue this month's digest for everyone with something new (once per person and month; run it monthly)."""
    try:
        chosen = parse_period(period)
    except DomainError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    plan = queue_digests(None, chosen, dry_run=dry_run)
    if not dry_run:
        db.session.commit()
    verb = "would queue" if dry_run else "queued"
    click.echo(
        f"{chosen.key}: {verb}: {plan.recipients}, skipped (nothing new): {plan.empty}, "
        f"suppressed: {plan.suppressed}, already queued this month: {plan.already}"
    )
