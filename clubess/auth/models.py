"""User accounts."""

import hashlib
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from clubess.core import versions
from clubess.core.db import Base, UtcDateTime, enum_check, now_utc
from clubess.core.emails import lookup_key
from clubess.core.permissions import Role


def normalize_email(email: str) -> str:
    """The stored form of an address (see core.emails); text that is not an address is only trimmed and lowered."""
    return lookup_key(email)


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (enum_check("role", Role),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: always stored lower-case, so uniqueness is case-insensitive on every database
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default=Role.MEMBER.value)
    display_name: Mapped[str] = mapped_column(sa.String(200), default="")
    is_enabled: Mapped[bool] = mapped_column(default=True)
    #: preferred language for the interface and the mails this person receives
    locale: Mapped[str] = mapped_column(sa.String(5), default="fr")
    email_verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: secret part of the personal calendar feed URL; None until asked for, replaced to revoke it
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    @validates("email")
    def _normalize_email(self, key, value):
        return normalize_email(value)

    #: the login session this object was loaded through (set by auth.sessions, never stored on the user)
    login_session = None
    #: the secret that names `login_session` in the browser's cookies
    login_secret = None

    def get_id(self) -> str:
        """What Flask-Login puts in the session and the remember cookie: the login session's secret."""
        if not self.login_secret:
            raise RuntimeError("log users in through auth.sessions.open_session()")
        return self.login_secret

    def __eq__(self, other):
        if isinstance(other, User):
            return self is other or (self.id is not None and self.id == other.id)
        return NotImplemented

    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def name(self) -> str:
        return self.display_name or self.email

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class LoginSession(Base):
    """One login on one device: its secret is in the session and remember cookies; deleting the row logs it out."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: sha256 of the secret the browser holds; the secret itself is never stored
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: "rester connecté" was ticked: the session lives as long as the remember cookie
    is_remembered: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    #: updated at most every few minutes (auth.sessions.TOUCH_INTERVAL)
    last_used_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    #: the browser's User-Agent at login, shown on the sessions page as "Firefox sous Windows"
    user_agent: Mapped[str] = mapped_column(sa.String(255), default="")

    user: Mapped[User] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} user={self.user_id}>"


#: sessions change at every sign-in: no page part depends on them
versions.ignore("login_sessions")
