"""The export of registrations across meetings: everyone registered to the meetings of a period."""

from datetime import date, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from clubess.core import audit
from clubess.core.fictitious import fictitious_label
from clubess.core.labels import label
from clubess.core.permissions import Role, require_role
from clubess.core.timezone import local
from clubess.exports import labels  # noqa: F401 - the audit log's words for these exports
from clubess.extensions import db
from clubess.meetings.models import Meeting, Registration


def registrations_between(
    actor, start: date, end: date, meeting_kind: str = "", status: str = ""
) -> list[Registration]:
    """The registrations to the meetings starting from `start` to `end` (days in the club's time zone, both
    included), by meeting then name; optionally of one kind of meeting, one status. One query."""
    require_role(actor, Role.COORDINATOR)
    stmt = (
        sa.select(Registration)
        .join(Registration.meeting)
        .where(Meeting.starts_at >= local(start, time(0)), Meeting.starts_at < local(end + timedelta(days=1), time(0)))
        .options(
            joinedload(Registration.meeting),
            joinedload(Registration.collectivity),
            joinedload(Registration.on_behalf_of),
        )
        .order_by(Meeting.starts_at, Meeting.id, Registration.name, Registration.id)
    )
    if meeting_kind:
        stmt = stmt.where(Meeting.kind == meeting_kind)
    if status:
        stmt = stmt.where(Registration.status == status)
    return list(db.session.scalars(stmt).unique())


def header() -> list[str]:
    return [
        _("date de la rencontre"), _("rencontre"), _("type de rencontre"), _("nom"), _("collectivité"),
        _("organisation"), _("adresse électronique"), _("statut"), _("participation"), _("présence"),
        _("en représentation de"), _("type d’inscription"), _("venu·e sans inscription"), _("inscrit·e le"),
        _("exemple fictif"),
    ]  # fmt: skip


def row(r: Registration) -> list:
    return [
        r.meeting.starts_at,
        r.meeting.title,
        label(r.meeting.kind, "meeting_kind"),
        r.name,
        r.collectivity.name if r.collectivity else "",
        r.organisation,
        r.email or "",
        label(r.status, "registration_status"),
        label(r.mode, "attend_mode"),
        label(r.attendance, "attendance"),
        r.on_behalf_of.full_name if r.on_behalf_of else "",
        label(r.is_guest, "registration_kind"),
        _("oui") if r.is_walk_in else _("non"),
        r.created_at,
        fictitious_label(r.meeting),
    ]


def export_registrants(
    actor, start: date, end: date, fmt: str, meeting_kind: str = "", status: str = ""
) -> tuple[list[str], list[list]]:
    """The header and rows of the export, and its audit event."""
    rows = registrations_between(actor, start, end, meeting_kind, status)
    audit.record(
        actor,
        "export.registrants",
        None,
        filename=f"inscrits.{fmt}",
        count=len(rows),
        after=start.isoformat(),
        before=end.isoformat(),
        kind=label(meeting_kind, "meeting_kind") or None,
        status=label(status, "registration_status") or None,
    )
    return header(), [row(r) for r in rows]
