"""Mail rendered when it is sent, not when it is queued.

Bulk mail is queued as a reference (`OutboxMessage.source`, `source_id`): queueing 2,000 messages is
two bulk INSERTs, the attachments are not copied 2,000 times, and the worker checks the address at
the last moment. A source renders the message, or says it must not go (the address unsubscribed or
bounced meanwhile), and hears the outcome of each delivery.

`mailing` imports no domain: each domain's source is registered on the app by `create_app`
(`register_source`), and the worker finds it by name.
"""

from dataclasses import dataclass, field
from typing import Protocol

from flask import Flask, current_app

from clubess.mailing.models import OutboxMessage, Scope

EXTENSION = "clubess.mailing"


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
    #: the server refused the address for good (5xx), or the relay cannot take it at all
    BOUNCED = "bounced"
    #: not sent: `render` returned None
    SKIPPED = "skipped"


class MailSource(Protocol):
    #: the name stored in `OutboxMessage.source`
    name: str
    #: True: a message this source declines leaves no trace (its row is deleted, not counted), and the outbox
    #: page does not list it before it is rendered (a password-reset request must not say whether the
    #: address has an account)
    discreet: bool

    def render(self, message: OutboxMessage) -> Rendered | None:
        """The message to send now, or None when it must not be sent any more."""

    def outcome(self, message: OutboxMessage, outcome: str, error: str = "") -> bool | None:
        """Record what became of the message, in the worker's transaction. For BOUNCED, return True when the
        source holds the address itself (otherwise the address is added to the suppression list of the
        source's scope)."""


@dataclass
class Registered:
    source: MailSource
    #: the list its mail belongs to (None: transactional mail, which nobody unsubscribes from)
    scope: Scope | None


def _registry(app: Flask) -> dict:
    return app.extensions.setdefault(EXTENSION, {"sources": {}, "unsubscribe": {}})


def register_source(app: Flask, source: MailSource, scope: Scope | None = None) -> None:
    """Called while the app is created: the worker renders `source.name` messages with `source`."""
    _registry(app)["sources"][source.name] = Registered(source, Scope(scope) if scope else None)


def _registered(name: str) -> Registered:
    try:
        return _registry(current_app)["sources"][name]
    except KeyError:
        raise LookupError(f"unknown mail source {name!r}") from None


def get_source(name: str) -> MailSource:
    return _registered(name).source


def source_scope(name: str | None) -> Scope | None:
    return _registered(name).scope if name else None


def discreet_sources() -> list[str]:
    return [
        name for name, entry in _registry(current_app)["sources"].items() if getattr(entry.source, "discreet", False)
    ]
