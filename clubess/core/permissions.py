"""Roles and the checks services make before acting."""

import enum
from functools import wraps

from flask_login import current_user

from clubess.core.errors import Forbidden


class Role(enum.StrEnum):
    MEMBER = "member"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


#: each role includes the powers of the roles below it
ROLE_RANK = {Role.MEMBER: 1, Role.COORDINATOR: 2, Role.ADMIN: 3}


def has_role(user, role: Role) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return ROLE_RANK.get(Role(user.role), 0) >= ROLE_RANK[role]


def is_author(user, author_id: int | None) -> bool:
    """`user` wrote the row whose author is `author_id`. A row without an author (imported, or its author erased)
    has none: `None == None` must never make a visitor its author."""
    if author_id is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    return getattr(user, "id", None) == author_id


def require_role(user, role: Role) -> None:
    """Raise Forbidden unless `user` holds `role` (or a higher one)."""
    if not has_role(user, role):
        raise Forbidden("forbidden")


def role_required(role: Role):
    """View decorator: login first, then the role; services check again."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from clubess.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            require_role(current_user, role)
            return view(*args, **kwargs)

        return wrapped

    return decorator
