"""Audit log: every coordinator or admin action leaves an AuditEvent, written by the service that acts."""

from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.local import LocalProxy

from clubess.core import versions
from clubess.core.db import Base, UtcDateTime, now_utc


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, index=True)
    #: the user who acted; None for the system (CLI, worker) or an anonymous visitor
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: kept as text so the log still says who acted after the account is anonymised: the account's
    #: address, or SYSTEM (CLI, worker) or VISITOR (someone without an account, e.g. through a mailed link)
    actor_label: Mapped[str] = mapped_column(sa.String(255), default="système")
    #: a dotted verb, e.g. "user.role_changed"
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    target_type: Mapped[str | None] = mapped_column(sa.String(50))
    target_id: Mapped[str | None] = mapped_column(sa.String(64))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)


#: the log is read as it is, never from a cached page part
versions.ignore("audit_events")

SYSTEM = "système"
VISITOR = "visiteur"


def _real(obj):
    """The object behind Flask-Login's `current_user` proxy (the proxy's type and repr say nothing)."""
    if isinstance(obj, LocalProxy):
        obj = obj._get_current_object()
    if obj is not None and getattr(obj, "is_anonymous", False):
        return None
    return obj


def record(actor, action: str, target=None, **details) -> AuditEvent:
    """Add an audit event to the session; it is committed with the change it describes."""
    from clubess.extensions import db

    actor, target = _real(actor), _real(target)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "email", None) or (VISITOR if has_request_context() else SYSTEM),
        action=action,
        target_type=type(target).__name__ if target is not None else None,
        target_id=str(target.id) if getattr(target, "id", None) is not None else None,
        details={k: v for k, v in details.items() if v is not None},
    )
    db.session.add(event)
    return event
