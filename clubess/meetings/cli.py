"""`flask meetings remind`: the meetings' periodic job, for cron."""

import click
from flask.cli import with_appcontext

from clubess.extensions import db


@click.group("meetings")
def meetings_cli():
    """Meetings: reminders and waiting lists."""


@meetings_cli.command("remind")
@with_appcontext
def remind():
    """Withdraw expired waiting-list offers (the next person is offered the seat), queue due reminders, and ask the
    référents whose commitments are due at a meeting next week for an update."""
    from clubess.commitments.reminders import send_commitment_reminders
    from clubess.meetings.offers import expire_offers
    from clubess.meetings.reminders import send_reminders

    expired = expire_offers()
    db.session.commit()
    reminders = send_reminders()
    db.session.commit()
    commitments = send_commitment_reminders()
    db.session.commit()
    click.echo(
        f"{expired} offre(s) expirée(s), {reminders} rappel(s) mis en file d'envoi, "
        f"{commitments} demande(s) de mise à jour des engagements."
    )
