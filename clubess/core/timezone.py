"""The club's wall clock: dates people type and read are in its timezone (Europe/Paris), stored in UTC."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local(day: date, at: time) -> datetime:
    """A wall-clock time in the club's timezone, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=tz())


def today() -> date:
    """The date on the club's wall clock (not the server's): a mandate ends, a day starts, in Paris."""
    return datetime.now(tz()).date()
