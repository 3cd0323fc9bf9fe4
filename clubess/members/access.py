"""From the day after a mandate ends, the person's account gives no access (see auth.sessions.AccessRule).

The rule is checked where the user is loaded (login, every request), so it never depends on anyone acting
that day; `close_ended_mandates` (nightly, `flask retention run`) then closes such accounts for good.
"""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.auth.models import User
from clubess.auth.sessions import AccessRule, end_sessions
from clubess.core.audit import record
from clubess.core.permissions import Role
from clubess.core.timezone import today, tz
from clubess.extensions import db
from clubess.members.models import Collectivity, CollectivityStatus, Member


def mandate_ended(day: date | None = None) -> sa.ColumnElement[bool]:
    """A member account (not staff) whose memberships have all ended: one mandate ended before `day` and
    none is current in a member collectivity. Memberships are the person's rows, by account or by address."""
    day = day or today()

    def either_link(*where):
        # one EXISTS per link, each served by its index (members.user_id, members.email; both addresses are
        # stored normalised): an OR inside one EXISTS, with lower() on the address, read every person of the
        # region on every signed-in request
        return sa.or_(
            sa.exists().where(Member.user_id == User.id, *where),
            sa.exists().where(Member.email == User.email, *where),
        )

    ended = either_link(Member.mandate_end_on < day)
    current = either_link(
        Member.collectivity_id == Collectivity.id,
        Collectivity.status == CollectivityStatus.ACTIVE,
        Member.anonymised_at.is_(None),
        sa.or_(Member.mandate_end_on.is_(None), Member.mandate_end_on >= day),
    )
    return sa.and_(User.role == Role.MEMBER.value, ended, ~current)


def _message() -> str:
    return _(
        "Votre mandat a pris fin : votre compte ne donne plus accès à l’espace des membres. "
        "Pour toute question, écrivez à la coordination du club."
    )


MANDATE_ENDED = AccessRule("mandate_ended", mandate_ended, _message)


def close_ended_mandates(now: datetime) -> int:
    """Close for good the open accounts whose mandates have all ended, and end their sessions (the system
    acts, audited); a second run finds nothing. Returns how many closed."""
    users = db.session.scalars(
        sa.select(User).where(User.is_enabled, mandate_ended(now.astimezone(tz()).date())).order_by(User.id)
    ).all()
    for user in users:
        user.is_enabled = False
        end_sessions(user)
        record(None, "user.closed_mandate_ended", user)
    db.session.flush()
    return len(users)


def closed_accounts(members: list[Member]) -> set[int]:
    """The ids of these people whose account is closed: disabled, or kept out today by a mandate's end."""
    users = {m.user_id: m.user for m in members if m.user is not None}
    kept_out = set(
        db.session.scalars(sa.select(User.id).where(User.id.in_(list(users)), mandate_ended())) if users else []
    )
    return {m.id for m in members if m.user_id in kept_out or (m.user is not None and not m.user.is_enabled)}
