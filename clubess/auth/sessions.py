"""Login sessions: a row per login, named by a secret in the session and remember cookies; no row, no login."""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app, g
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from clubess.auth.models import LoginSession, User, hash_secret
from clubess.core.db import now_utc
from clubess.core.errors import NotFound
from clubess.extensions import db

#: the last use of a session is written at most this often: one UPDATE every few minutes, not one per request
TOUCH_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class AccessRule:
    """A rule of another domain under which an enabled account gives no access (auth imports no domain:
    the domains register their rules when the app is created).

    `refused()` is a SQL condition on `User` (correlated subqueries allowed), evaluated inside the very
    query that loads the user, so a request still costs one query; `message()` is what the person is told.
    """

    name: str
    refused: Callable[[], sa.ColumnElement[bool]]
    message: Callable[[], str]


def register_access_rule(app: Flask, rule: AccessRule) -> None:
    app.extensions.setdefault("clubess.access_rules", {})[rule.name] = rule


def _access_rules() -> list[AccessRule]:
    return list(current_app.extensions.get("clubess.access_rules", {}).values())


def access_refusal(user: User) -> str | None:
    """What keeps this account out, as the person should read it, or None (one query, none without rules)."""
    rules = _access_rules()
    if not rules:
        return None
    refused = db.session.execute(
        sa.select(*(rule.refused().label(f"refused_{i}") for i, rule in enumerate(rules))).where(User.id == user.id)
    ).first()
    return next((rule.message() for rule, is_refused in zip(rules, refused or (), strict=False) if is_refused), None)


def gives_access(user: User) -> bool:
    """The account is open and no rule keeps it out today: for what a person reaches without logging in
    (a personal calendar feed's address)."""
    return user.is_enabled and access_refusal(user) is None


def refusal_of_this_request() -> str | None:
    """Why the login this request came with was refused by a rule (set by `load_user`), if it was."""
    return g.get("access_refused")


def _is_expired(login_session: LoginSession, now) -> bool:
    """A remembered login ends with its cookie (a fixed time after login, whatever a copy of the cookie
    says); another one after the browser session's lifetime without use."""
    if login_session.is_remembered:
        return now - login_session.created_at > _remember_duration()
    return now - login_session.last_used_at > current_app.permanent_session_lifetime


def _remember_duration() -> timedelta:
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    return duration if isinstance(duration, timedelta) else timedelta(seconds=duration)


def open_session(user: User, remember: bool, user_agent: str = "") -> None:
    """Start a login for `user` on one device; `user.get_id()` then names it for Flask-Login's cookies."""
    _prune_expired(user)
    secret = secrets.token_urlsafe(32)
    user_agent = "".join(ch for ch in user_agent or "" if ch.isprintable())[:255]  # a header, not a form field
    login_session = LoginSession(
        user_id=user.id, secret_hash=hash_secret(secret), is_remembered=remember, user_agent=user_agent
    )
    db.session.add(login_session)
    user.login_session, user.login_secret = login_session, secret


def _prune_expired(user: User) -> None:
    now = now_utc()
    for login_session in db.session.scalars(sa.select(LoginSession).where(LoginSession.user_id == user.id)):
        if _is_expired(login_session, now):
            db.session.delete(login_session)


def end_expired_sessions() -> int:
    """Delete every session past its lifetime (each person's are also pruned at their next login); for cron."""
    now = now_utc()
    result = db.session.execute(
        sa.delete(LoginSession).where(
            sa.or_(
                sa.and_(LoginSession.is_remembered, LoginSession.created_at < now - _remember_duration()),
                sa.and_(
                    sa.not_(LoginSession.is_remembered),
                    LoginSession.last_used_at < now - current_app.permanent_session_lifetime,
                ),
            )
        )
    )
    return result.rowcount


def load_user(secret: str) -> User | None:
    """Flask-Login's loader: the user of the open session named by `secret` (one query), or None."""
    if not secret:
        return None
    rules = _access_rules()
    row = db.session.execute(
        sa.select(LoginSession, *(rule.refused().label(f"refused_{i}") for i, rule in enumerate(rules)))
        .join(LoginSession.user)
        .options(contains_eager(LoginSession.user))
        .where(LoginSession.secret_hash == hash_secret(secret))
    ).first()
    login_session = row[0] if row is not None else None
    if login_session is None or _is_expired(login_session, now_utc()) or not login_session.user.is_enabled:
        return None
    refused = next((rule for rule, is_refused in zip(rules, row[1:], strict=True) if is_refused), None)
    if refused is not None:
        # the flag is not trusted: this login is over for good (the cron closes the account itself)
        _end_refused(login_session)
        g.access_refused = refused.message()
        return None
    user = login_session.user
    user.login_session, user.login_secret = login_session, secret
    return user


def _end_refused(login_session: LoginSession) -> None:
    """Delete a session a rule refuses, in its own short transaction (the loader runs before the view's)."""
    with db.engine.begin() as connection:
        connection.execute(sa.delete(LoginSession).where(LoginSession.id == login_session.id))


def touch(user: User) -> None:
    """Record that the session was used now, in its own short transaction, at most every TOUCH_INTERVAL.

    Called before the view runs, so this request holds no write lock yet (SQLite would otherwise wait
    on itself); the view's own transaction is left alone and nothing is flushed twice.
    """
    login_session = user.login_session
    now = now_utc()
    if login_session is None or now - login_session.last_used_at < TOUCH_INTERVAL:
        return
    with db.engine.begin() as connection:
        connection.execute(sa.update(LoginSession).where(LoginSession.id == login_session.id).values(last_used_at=now))
    set_committed_value(login_session, "last_used_at", now)


def end_session(user: User) -> None:
    """Logout: the session this request came with ends, whatever cookie a copy of it was taken from."""
    if user.login_session is not None:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.id == user.login_session.id))
        user.login_session = user.login_secret = None


def end_session_by_secret(secret: str | None) -> None:
    """End the session a (remember) cookie names, if it still exists."""
    if secret:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.secret_hash == hash_secret(secret)))


def end_sessions(user: User, keep: LoginSession | None = None) -> None:
    """End every session of `user` (but `keep`): call it whenever a person must be logged out everywhere
    (password changed, account disabled or closed, role changed, mandate ended, erasure)."""
    stmt = sa.delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep is not None and keep.id is not None:
        stmt = stmt.where(LoginSession.id != keep.id)
    db.session.execute(stmt)
    if keep is None:
        user.login_session = user.login_secret = None


def list_sessions(user: User) -> list[LoginSession]:
    """The person's open sessions, most recently used first (expired ones are not shown)."""
    now = now_utc()
    rows = db.session.scalars(
        sa.select(LoginSession)
        .where(LoginSession.user_id == user.id)
        .order_by(LoginSession.last_used_at.desc(), LoginSession.id.desc())
    ).all()
    return [row for row in rows if not _is_expired(row, now)]


def end_own_session(user: User, session_id: int) -> None:
    """The person ends one of their sessions (another device); someone else's is not found."""
    login_session = db.session.get(LoginSession, session_id)
    if login_session is None or login_session.user_id != user.id:
        raise NotFound("session")
    db.session.delete(login_session)


_BROWSERS = (
    ("Edge", r"Edg(?:e|A|iOS)?/"),
    ("Opera", r"OPR/|Opera"),
    ("Samsung Internet", r"SamsungBrowser/"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/"),
    ("Safari", r"Safari/"),
)
_SYSTEMS = (
    ("iOS", r"iPhone|iPad|iPod"),
    ("Android", r"Android"),
    ("Windows", r"Windows"),
    ("ChromeOS", r"CrOS"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("Linux", r"Linux|X11"),
)


def device_label(user_agent: str) -> str:
    """A person-readable name for the device of a session, e.g. "Firefox sous Windows"."""
    browser = next((name for name, pattern in _BROWSERS if re.search(pattern, user_agent or "")), None)
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, user_agent or "")), None)
    if browser and system:
        return _("%(browser)s sous %(system)s", browser=browser, system=system)
    return browser or system or _("Appareil inconnu")
