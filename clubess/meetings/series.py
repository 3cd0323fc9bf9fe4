"""Meeting series: the rule that gives their dates, their draft occurrences, the template agenda."""

import calendar
from dataclasses import dataclass
from datetime import date, time

from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, require_role
from clubess.core.timezone import local, tz
from clubess.extensions import db
from clubess.meetings import clashes
from clubess.meetings.models import AgendaItem, ItemKind, Meeting, MeetingSeries, MeetingStatus


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The nth (1-4, or -1 for last) given weekday (0 = Monday) of a month; None if it does not exist."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if 1 <= nth <= len(days) else None


@dataclass
class SeriesRule:
    rule: str
    year: int | None = None
    month_in_quarter: int | None = None
    weekday: int | None = None
    nth: int | None = None
    dates: list[date] | None = None


def rule_dates(rule: SeriesRule) -> list[date]:
    if rule.rule == "quarterly":
        if rule.year is None or rule.month_in_quarter not in (1, 2, 3) or rule.weekday not in range(7):
            return []
        found = [
            nth_weekday(rule.year, 3 * quarter + rule.month_in_quarter, rule.weekday, rule.nth or 1)
            for quarter in range(4)
        ]
        return [d for d in found if d is not None]
    return sorted(set(rule.dates or []))


def create_series(
    actor,
    title: str,
    kind: str,
    rule: SeriesRule,
    start_time: time,
    end_time: time,
    meeting_format: str,
    venue: str = "",
    address: str = "",
    online_url: str = "",
    template_agenda: list | None = None,
    acknowledged: str = "",
) -> MeetingSeries:
    """Create a series and its occurrences, as drafts, each with a copy of the template agenda.

    Occurrences at the time of other meetings need the coordinator's confirmation (`acknowledged`).
    """
    require_role(actor, Role.COORDINATOR)
    if end_time <= start_time:
        raise DomainError(_("L'heure de fin doit suivre l'heure de début."), field="end_time")
    dates = rule_dates(rule)
    if not dates:
        raise DomainError(_("Cette règle ne donne aucune date : vérifiez l'année, le mois et le jour."), field="rule")
    template = _check_template(template_agenda or [], start_time, end_time)
    clashes.check_times([(local(day, start_time), local(day, end_time)) for day in dates], acknowledged)
    series = MeetingSeries(
        title=title.strip(),
        kind=kind,
        rule=rule.rule,
        year=rule.year,
        month_in_quarter=rule.month_in_quarter,
        weekday=rule.weekday,
        nth=rule.nth,
        dates=[d.isoformat() for d in dates],
        start_time=start_time,
        end_time=end_time,
        format=meeting_format,
        venue=venue.strip(),
        address=address.strip(),
        online_url=online_url.strip(),
        template_agenda=template,
    )
    db.session.add(series)
    for number, day in enumerate(dates, start=1):
        meeting = Meeting(
            series=series,
            kind=kind,
            title=f"{series.title} — n° {number}",
            starts_at=local(day, start_time),
            ends_at=local(day, end_time),
            format=meeting_format,
            venue=series.venue,
            address=series.address,
            online_url=series.online_url,
            status=MeetingStatus.DRAFT.value,
        )
        db.session.add(meeting)
        _apply_template(meeting, template)
    db.session.flush()
    record(actor, "series.created", series, occurrences=len(dates))
    return series


def _check_template(template: list, start_time: time, end_time: time) -> list:
    for row in template:
        start, end = time.fromisoformat(row["start"]), time.fromisoformat(row["end"])
        if not (start_time <= start < end <= end_time):
            raise DomainError(
                _("Le point « %(title)s » sort des horaires de la rencontre.", title=row["title"]), field="template"
            )
        if row.get("kind", ItemKind.INTERVENTION) not in set(ItemKind):
            raise DomainError(_("Type de point inconnu."), field="template")
    return template


def _apply_template(meeting: Meeting, template: list) -> None:
    day = meeting.starts_at.astimezone(tz()).date()
    meeting.items = [
        AgendaItem(
            position=i,
            title=row["title"],
            kind=row.get("kind", ItemKind.INTERVENTION.value),
            description=row.get("description", ""),
            starts_at=local(day, time.fromisoformat(row["start"])),
            ends_at=local(day, time.fromisoformat(row["end"])),
        )
        for i, row in enumerate(template)
    ]


def update_series_template(actor, series: MeetingSeries, template: list) -> int:
    """Change the template agenda; occurrences edited on their own keep theirs. Returns the number rewritten."""
    require_role(actor, Role.COORDINATOR)
    series.template_agenda = _check_template(template, series.start_time, series.end_time)
    rewritten = 0
    for meeting in series.meetings:
        if not meeting.is_customised and meeting.status == MeetingStatus.DRAFT:
            _apply_template(meeting, series.template_agenda)
            rewritten += 1
    record(actor, "series.template_changed", series, rewritten=rewritten)
    return rewritten
