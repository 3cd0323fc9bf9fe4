"""Mails about accounts."""

from clubess.mailing.services import external_url, queue, render_email
from clubess.mailing.sources import Rendered

#: the outbox source of password-reset requests (rendered, or declined, by the worker)
RESET_SOURCE = "auth.reset_password"
RESET_CATEGORY = "auth.reset_password"


def render_password_reset(user, token: str) -> Rendered:
    subject, text, html = render_email(
        "auth/reset_password",
        {"user": user, "url": external_url("auth.reset_password", token=token)},
        locale=user.locale,
    )
    return Rendered(subject=subject, text=text, html=html)


def queue_email_verification(user, token: str) -> None:
    queue(
        user.email,
        "auth/verify_email",
        {"user": user, "url": external_url("auth.verify_email", token=token)},
        category="auth.verify_email",
        locale=user.locale,
    )
