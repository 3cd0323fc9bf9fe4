"""`flask outbox send` and `flask outbox worker`."""

import click
from flask.cli import AppGroup

from clubess.mailing.worker import run_worker, send_pending

outbox_cli = AppGroup("outbox", help="Deliver the mail outbox.")


@outbox_cli.command("send")
@click.option("--limit", type=int, default=None, help="Messages to claim in this pass.")
def send_command(limit):
    """Deliver the messages that are due, once, then exit."""
    stats = send_pending(limit)
    click.echo(
        f"sent: {stats['sent']}, to retry: {stats['retry']}, failed: {stats['failed']}, "
        f"not sent (unsubscribed or bounced): {stats['skipped']}"
    )


@outbox_cli.command("worker")
@click.option("--interval", type=float, default=5.0, show_default=True, help="Seconds to sleep when idle.")
@click.option("--max-passes", type=int, default=None, help="Stop after this many passes (for tests).")
def worker_command(interval, max_passes):
    """Deliver the outbox continuously (run it under a process supervisor)."""
    run_worker(interval=interval, max_passes=max_passes)
