"""Mails about the directory: a refused request to be listed."""

from clubess.mailing.services import queue


def queue_rejection(organisation) -> None:
    """Tell the structure why its request was refused (in the outbox, sent after the commit)."""
    if not organisation.contact_email:
        return
    queue(
        organisation.contact_email,
        "actors/request_rejected",
        {"organisation": organisation},
        category="actors.request_rejected",
        dedupe_key=f"actors.request_rejected:{organisation.id}",
    )
