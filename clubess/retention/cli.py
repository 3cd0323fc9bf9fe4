"""`flask retention run` (cron, nightly): each domain purges what is past its period (see core.retention)."""

import click
from flask.cli import with_appcontext

from clubess.core.db import now_utc
from clubess.extensions import db


@click.group("retention")
def retention_cli():
    """RGPD retention periods (stated on /confidentialite)."""


def purges():
    """(name, purge(now) -> {kind: count}) in order: people first, so their mail and audit copies are
    scrubbed before the mail and audit periods apply."""
    from clubess.auth.sessions import end_expired_sessions
    from clubess.core.retention import cutoff, purge_audit
    from clubess.mailing.services import purge_sent
    from clubess.meetings.retention import purge_expired as meetings_purge
    from clubess.members.retention import purge_expired as members_purge
    from clubess.press.retention import purge_expired as press_purge

    return [
        ("members", members_purge),
        ("meetings", meetings_purge),
        ("press", press_purge),
        ("mailing", lambda now: {"mails": purge_sent(cutoff("outbox", now))}),
        ("audit", purge_audit),
        ("auth", lambda now: {"expired_sessions": end_expired_sessions()}),
    ]


@retention_cli.command("run")
@with_appcontext
def run():
    """Delete or anonymise what is past its retention period; prints the count per kind. Safe to run every
    night: a second run finds nothing more to do."""
    now = now_utc()
    for domain, purge in purges():
        counts = purge(now)
        db.session.commit()  # each domain on its own: a failure later does not undo what is done
        for kind, count in counts.items():
            click.echo(f"{domain}.{kind}: {count}")
