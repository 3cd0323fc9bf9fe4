"""Mails about accounts."""

from clubess.mailing.services import external_url, queue


def queue_password_reset(user, token: str) -> None:
    queue(
        user.email,
        "auth/reset_password",
        {"user": user, "url": external_url("auth.reset_password", token=token)},
        category="auth.reset_password",
        locale=user.locale,
    )


def queue_email_verification(user, token: str) -> None:
    queue(
        user.email,
        "auth/verify_email",
        {"user": user, "url": external_url("auth.verify_email", token=token)},
        category="auth.verify_email",
        locale=user.locale,
    )
