"""User accounts."""

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, validates

from clubess.core.db import Base, UtcDateTime, enum_check, now_utc
from clubess.core.emails import lookup_key
from clubess.core.permissions import Role


def normalize_email(email: str) -> str:
    """The stored form of an address (see core.emails); text that is not an address is only trimmed and lowered."""
    return lookup_key(email)


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


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
    #: part of the login session id: changing it (new password, logout everywhere) ends every other session
    session_token: Mapped[str] = mapped_column(sa.String(40), default=new_session_token)
    #: secret part of the personal calendar feed URL; None until asked for, replaced to revoke it
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    @validates("email")
    def _normalize_email(self, key, value):
        return normalize_email(value)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

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
