"""Account rules: authentication, password reset, email verification, roles."""

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from clubess.auth import notifications
from clubess.auth.models import User, normalize_email
from clubess.auth.passwords import hash_password, needs_rehash, verify_password
from clubess.auth.sessions import access_refusal, end_sessions
from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.emails import InvalidEmail, lookup_key
from clubess.core.emails import normalize_email as strict_email
from clubess.core.errors import DomainError, NotFound
from clubess.core.permissions import Role, require_role
from clubess.core.tokens import InvalidToken, make_token, read_token
from clubess.extensions import db
from clubess.mailing.models import OutboxMessage, SuppressionReason
from clubess.mailing.services import queue_request
from clubess.mailing.sources import Rendered
from clubess.mailing.suppression import lift

RESET_PURPOSE = "reset-password"
#: the first password of an account created for someone else (longer-lived than a reset link)
WELCOME_PURPOSE = "welcome"
VERIFY_PURPOSE = "verify-email"


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def check_password_policy(password: str, email: str = "") -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise DomainError(_("Le mot de passe doit contenir au moins %(n)d caractères.", n=minimum), field="password")
    if email and normalize_email(email).split("@")[0] in password.lower():
        raise DomainError(_("Le mot de passe ne doit pas contenir votre adresse électronique."), field="password")
    if len(set(password)) < 5:
        raise DomainError(_("Ce mot de passe est trop simple à deviner."), field="password")


def create_user(
    email: str,
    password: str | None = None,
    role: Role = Role.MEMBER,
    display_name: str = "",
    actor=None,
    verified: bool = False,
) -> User:
    """Create an account; the email must be free (case-insensitive)."""
    if actor is not None:
        require_role(actor, Role.ADMIN)
    try:
        email = strict_email(email)
    except InvalidEmail as exc:
        raise DomainError(str(exc.message), field="email") from None
    if get_user_by_email(email) is not None:
        raise DomainError(_("Un compte existe déjà avec cette adresse."), field="email")
    user = User(email=email, role=Role(role).value, display_name=display_name)
    if password is not None:
        check_password_policy(password, email)
        user.password_hash = hash_password(password)
        user.password_changed_at = now_utc()
    if verified:
        user.email_verified_at = now_utc()
    db.session.add(user)
    db.session.flush()
    record(actor, "user.created", user, email=email, role=user.role)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; never says which of the two was wrong.

    Raises DomainError, with what the person should read, when the credentials are right but a rule of
    another domain keeps the account out (a mandate ended): said only to whoever knows the password.
    """
    user = get_user_by_email(email)
    if user is None:
        verify_password(None, password)  # same time spent as for a real account
        return None
    if not verify_password(user.password_hash, password):
        return None
    refusal = access_refusal(user)
    if refusal is not None:
        raise DomainError(refusal)
    if not user.is_enabled:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now_utc()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise DomainError(_("Le mot de passe actuel est incorrect."), field="current_password")
    check_password_policy(new_password, user.email)
    _set_password(user, new_password)
    end_sessions(user, keep=user.login_session)  # every other device must log in with the new password
    record(user, "user.password_changed", user)


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = now_utc()


def _password_fingerprint(user: User) -> str:
    # Part of the reset token: once the password changes, every earlier link is dead (single use).
    source = f"{user.password_hash or ''}|{user.password_changed_at or ''}"
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def make_reset_token(user: User, purpose: str = RESET_PURPOSE) -> str:
    """A link token to (re)set the password; it dies as soon as the password changes."""
    return make_token(purpose, {"uid": user.id, "fp": _password_fingerprint(user)})


def _token_max_age(purpose: str) -> int:
    key = "WELCOME_TOKEN_MAX_AGE" if purpose == WELCOME_PURPOSE else "RESET_TOKEN_MAX_AGE"
    return current_app.config[key]


def request_password_reset(email: str) -> None:
    """Queue a reset request for the worker, whether or not the account exists.

    The request does the same work either way (one INSERT, no lookup, no rendering), so neither its answer
    nor its timing tells whether the address has an account. The worker decides (`ResetSource`): it mails a
    fresh link to an enabled account, and drops the request without a trace otherwise.
    """
    queue_request(
        notifications.RESET_SOURCE,
        lookup_key(email),
        category=notifications.RESET_CATEGORY,
        subject=_("Choisir un nouveau mot de passe"),
    )


class ResetSource:
    """Password-reset requests: rendered when the worker sends them, with a link valid from that moment."""

    name = notifications.RESET_SOURCE
    discreet = True

    def render(self, message: OutboxMessage) -> Rendered | None:
        user = get_user_by_email(message.recipient)
        if user is None or not user.is_enabled:
            return None
        if message.created_at < now_utc() - timedelta(seconds=_token_max_age(RESET_PURPOSE)):
            return None  # asked longer ago than a link lives (the relay was down): the person has moved on
        return notifications.render_password_reset(user, make_reset_token(user))

    def outcome(self, message: OutboxMessage, outcome: str, error: str = "") -> None:
        """Nothing to record: the outbox row is the whole story."""


def user_for_reset_token(token: str, purpose: str = RESET_PURPOSE) -> User:
    try:
        data = read_token(purpose, token, _token_max_age(purpose))
    except InvalidToken:
        raise DomainError(_("Ce lien n'est plus valable. Demandez-en un nouveau.")) from None
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.is_enabled or data.get("fp") != _password_fingerprint(user):
        raise DomainError(_("Ce lien n'est plus valable. Demandez-en un nouveau."))
    return user


def reset_password(token: str, new_password: str, purpose: str = RESET_PURPOSE) -> User:
    user = user_for_reset_token(token, purpose)
    check_password_policy(new_password, user.email)
    _set_password(user, new_password)
    end_sessions(user)  # whoever knew the old password is logged out everywhere
    if user.email_verified_at is None:
        user.email_verified_at = now_utc()  # the link reached the mailbox: the address works
    lift(user.email, reason=SuppressionReason.BOUNCED)  # so it may receive the lists again
    record(user, "user.password_reset", user)
    return user


def send_verification(user: User) -> None:
    if user.is_verified:
        return
    token = make_token(VERIFY_PURPOSE, {"uid": user.id, "email": user.email})
    notifications.queue_email_verification(user, token)


def verify_email(token: str) -> User:
    try:
        data = read_token(VERIFY_PURPOSE, token, current_app.config["VERIFY_TOKEN_MAX_AGE"])
    except InvalidToken:
        raise DomainError(_("Ce lien de confirmation n'est plus valable.")) from None
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("email"):
        raise DomainError(_("Ce lien de confirmation n'est plus valable."))
    if user.email_verified_at is None:
        user.email_verified_at = now_utc()
        record(user, "user.email_verified", user)
    lift(user.email, reason=SuppressionReason.BOUNCED)  # the link reached the mailbox: the address works
    return user


def list_users(actor, query: str = "", role: str | None = None, page: int = 1):
    require_role(actor, Role.ADMIN)
    stmt = sa.select(User).order_by(User.email)
    if query:
        stmt = stmt.where(User.email.contains(normalize_email(query), autoescape=True))
    if role in set(Role):
        stmt = stmt.where(User.role == role)
    return db.paginate(stmt, page=max(1, page), per_page=50, error_out=False)


def get_user_for_admin(actor, user_id: int) -> User:
    require_role(actor, Role.ADMIN)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("user")
    return user


def set_role(actor, user: User, role: str) -> None:
    """Change an account's role; an admin cannot demote themselves (the club would lose its last admin)."""
    require_role(actor, Role.ADMIN)
    if role not in set(Role):
        raise DomainError(_("Rôle inconnu."), field="role")
    if user.id == actor.id and role != Role.ADMIN:
        raise DomainError(_("Vous ne pouvez pas retirer votre propre rôle d'administrateur."), field="role")
    if user.role == role:
        return
    record(actor, "user.role_changed", user, before=user.role, after=role)
    user.role = role
    end_sessions(user)  # the person logs in again and gets the menus of their new role


def set_enabled(actor, user: User, enabled: bool) -> None:
    require_role(actor, Role.ADMIN)
    if user.id == actor.id and not enabled:
        raise DomainError(_("Vous ne pouvez pas désactiver votre propre compte."))
    if user.is_enabled == enabled:
        return
    user.is_enabled = enabled
    end_sessions(user)  # also when enabled again: sessions from before the suspension stay dead
    record(actor, "user.enabled" if enabled else "user.disabled", user)
