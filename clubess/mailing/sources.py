"""Mail rendered when it is sent, not when it is queued.

Bulk mail is queued as a reference (`OutboxMessage.source`, `source_id`): queueing 2,000 messages is
two bulk INSERTs, the attachments are not copied 2,000 times, and the worker checks the address at
the last moment. A source renders the message, or says it must not go (the address unsubscribed or
bounced meanwhile), and hears the outcome of each delivery.
"""

from dataclasses import dataclass, field
from typing import Protocol

from clubess.mailing.models import OutboxMessage


@dataclass
class Rendered:
    subject: str
    text: str
    html: str | None = None
    reply_to: str | None = None
    headers: dict = field(default_factory=dict)
    #: (filename, content type, bytes)
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)


class Outcome:
    SENT = "sent"
    #: retries exhausted, or an error that is not the recipient's address
    FAILED = "failed"
    #: the server refused the address for good (5xx)
    BOUNCED = "bounced"
    #: not sent: `render` returned None
    SKIPPED = "skipped"


class MailSource(Protocol):
    def render(self, message: OutboxMessage) -> Rendered | None:
        """The message to send now, or None when it must not be sent any more."""

    def outcome(self, message: OutboxMessage, outcome: str, error: str = "") -> None:
        """Record what became of the message, in the worker's transaction."""


def get_source(name: str) -> MailSource:
    # Imported here: the domains depend on mailing, not the other way round.
    from clubess.meetings.notifications import InvitationSource
    from clubess.press.mail import DeliverySource

    sources: dict[str, MailSource] = {source.name: source() for source in (DeliverySource, InvitationSource)}
    try:
        return sources[name]
    except KeyError:
        raise LookupError(f"unknown mail source {name!r}") from None
