"""Reads for the back office."""

import sqlalchemy as sa

from clubess.auth.models import User
from clubess.core.audit import AuditEvent
from clubess.core.permissions import Role, require_role
from clubess.extensions import db


def list_audit_events(actor, action: str = "", page: int = 1, per_page: int = 50):
    """The audit log, newest first."""
    require_role(actor, Role.COORDINATOR)
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    return db.paginate(stmt, page=max(1, page), per_page=per_page, max_per_page=100, error_out=False)


def actors_of(events: list[AuditEvent]) -> dict[int, User]:
    """The accounts that acted in these events, in one query: the log shows their name and role."""
    ids = {e.actor_id for e in events if e.actor_id is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}
