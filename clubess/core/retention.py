"""Retention periods: one setting each, read both by the privacy page and by `flask retention run`.

Each domain purges its own rows (`purge_expired(now)` in its `retention` module) with `cutoff(key, now)`;
the page states `describe(key)`: the two come from the same setting, so they cannot disagree.
"""

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import ngettext

from clubess.core.audit import AuditEvent
from clubess.extensions import db


@dataclass(frozen=True)
class Period:
    #: the config key holding the amount
    setting: str
    #: "days", "months" or "years"; "seconds" for a link's lifetime, shown in days
    unit: str


PERIODS = {
    #: guests' registrations and invitations of people who are not members, after the meeting
    "guests": Period("RETENTION_GUEST_MONTHS", "months"),
    #: members' registrations and invitations, after the meeting
    "registrations": Period("RETENTION_REGISTRATION_YEARS", "years"),
    #: a person after the end of their mandate or of their collectivity's membership (their account too)
    "members": Period("RETENTION_MEMBER_MONTHS", "months"),
    #: the people of a rejected application, after the decision
    "rejected": Period("RETENTION_REJECTED_MONTHS", "months"),
    #: an application whose référent never confirmed the address: the confirmation link's lifetime
    "unconfirmed": Period("VERIFY_TOKEN_MAX_AGE", "seconds"),
    #: a press subscription never confirmed: the confirmation link's lifetime
    "press_pending": Period("PRESS_SUBSCRIBE_TOKEN_MAX_AGE", "seconds"),
    #: a press contact with no communiqué sent, or unsubscribed or bounced, for this long
    "press": Period("RETENTION_PRESS_YEARS", "years"),
    #: the address and content of mail once sent (or abandoned)
    "outbox": Period("RETENTION_OUTBOX_DAYS", "days"),
    #: the audit log
    "audit": Period("RETENTION_AUDIT_YEARS", "years"),
}


def amount(key: str) -> int:
    return max(0, int(current_app.config[PERIODS[key].setting]))


def months_before(moment: datetime, months: int) -> datetime:
    """The same instant `months` calendar months earlier (the 31st becomes the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def cutoff(key: str, now: datetime) -> datetime:
    """What started before this instant is past the period."""
    value, unit = amount(key), PERIODS[key].unit
    if unit == "seconds":
        return now - timedelta(seconds=value)
    if unit == "days":
        return now - timedelta(days=value)
    return months_before(now, value * 12 if unit == "years" else value)


def describe(key: str) -> str:
    """The period as the privacy page states it: "6 mois", "3 ans", "90 jours"."""
    value, unit = amount(key), PERIODS[key].unit
    if unit == "seconds":
        value, unit = value // 86400, "days"
    if unit == "days":
        return ngettext("%(num)d jour", "%(num)d jours", value)
    if unit == "months":
        return ngettext("%(num)d mois", "%(num)d mois", value)
    return ngettext("%(num)d an", "%(num)d ans", value)


def purge_audit(now: datetime) -> dict[str, int]:
    """Audit events older than the period are deleted."""
    deleted = db.session.execute(
        sa.delete(AuditEvent)
        .where(AuditEvent.created_at < cutoff("audit", now))
        .execution_options(synchronize_session=False)
    )
    return {"audit_events": deleted.rowcount or 0}
