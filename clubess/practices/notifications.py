"""Mails about practices."""

from clubess.mailing.services import external_url, queue


def queue_changes_requested(practice) -> None:
    from clubess.auth.models import User
    from clubess.extensions import db

    author = db.session.get(User, practice.author_id) if practice.author_id else None
    if author is None:
        return
    queue(
        author.email,
        "practices/changes_requested",
        {"practice": practice, "url": external_url("practices.edit", practice_id=practice.id)},
        category="practices.changes_requested",
        locale=author.locale,
    )
